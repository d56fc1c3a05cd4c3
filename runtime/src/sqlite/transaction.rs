//! Transactions as closures, nested ones as savepoints.

use crate::retry::RetryPolicy;
use crate::{Error, Retryable, instrument};

use super::connection::Connection;

/// The `db.system` of SQLite's spans.
const SYSTEM: &str = "sqlite";

/// The name of the savepoint of transaction level `level` (1 is the
/// outermost transaction, so savepoints start at 2): the same names as on
/// PostgreSQL, so that both backends' spans read alike.
fn savepoint(level: u32) -> String {
    format!("quarry_savepoint_{level}")
}

/// Runs transaction control `sql` in a `quarry.statement` span, as every
/// other statement: its SQL, 0 rows, its duration. PostgreSQL's runtime
/// records the same spans for the same statements.
fn control_span(sql: &str, run: impl FnOnce() -> crate::Result<()>) -> crate::Result<()> {
    let statement = instrument::Statement::start(SYSTEM, sql);
    let result = {
        let _entered = statement.span().enter();
        let result = run();
        if let Err(e) = &result {
            tracing::debug!(error = %e, "statement failed");
        }
        result
    };
    statement.finish(0);
    result
}

/// How an outermost transaction takes SQLite's locks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TransactionMode {
    /// `BEGIN DEFERRED`: take the read lock at the first read and the write
    /// lock at the first write. A transaction that reads and then writes
    /// can fail with `SQLITE_BUSY` when another connection wrote meanwhile.
    #[default]
    Deferred,
    /// `BEGIN IMMEDIATE`: take the write lock at once, so the transaction
    /// waits (up to the busy timeout) at its start rather than failing in
    /// the middle. Best for transactions that write.
    Immediate,
    /// `BEGIN EXCLUSIVE`: as `Immediate`; in rollback-journal mode it also
    /// keeps readers out.
    Exclusive,
}

impl TransactionMode {
    fn begin_sql(self) -> &'static str {
        match self {
            TransactionMode::Deferred => "BEGIN DEFERRED",
            TransactionMode::Immediate => "BEGIN IMMEDIATE",
            TransactionMode::Exclusive => "BEGIN EXCLUSIVE",
        }
    }
}

impl Connection {
    /// Runs `f` in a transaction: commits when it returns `Ok`, rolls back
    /// when it returns `Err` or panics (the panic then goes on).
    ///
    /// The outermost call runs `BEGIN DEFERRED` (see
    /// [`transaction_with`](Self::transaction_with) for the other modes). A
    /// call inside `f` runs in a savepoint (`SAVEPOINT quarry_savepoint_N`),
    /// so its failure undoes only its own work and the outer transaction
    /// goes on.
    ///
    /// `BEGIN`, `COMMIT`, `ROLLBACK` and the savepoint statements run in
    /// `quarry.statement` spans like every other statement.
    ///
    /// Do not begin or end transactions with SQL inside `f`: the
    /// connection would lose track of them.
    ///
    /// # Errors
    ///
    /// The error of `f`, or the [`Error`] of beginning or committing (when
    /// `COMMIT` fails the transaction is rolled back).
    pub fn transaction<T, E, F>(&mut self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut Connection) -> Result<T, E>,
        E: From<Error>,
    {
        self.transaction_with(TransactionMode::Deferred, f)
    }

    /// As [`transaction`](Self::transaction), with `BEGIN IMMEDIATE`: the
    /// write lock is taken at the start, waiting up to the busy timeout for
    /// other writers. Use it for every transaction that writes when several
    /// connections share the database, above all in WAL mode, where a
    /// deferred transaction that reads and then writes fails at once with
    /// [`Error::Busy`] if another connection wrote since its read.
    ///
    /// ```
    /// # fn demo(conn: &mut quarry_runtime::sqlite::Connection) -> quarry_runtime::Result<()> {
    /// use quarry_runtime::{Error, Value};
    ///
    /// conn.transaction_immediate(|tx| {
    ///     tx.execute_static("UPDATE counter SET n = n + 1 WHERE id = ?1", &[Value::Int(1)])?;
    ///     Ok::<_, Error>(())
    /// })?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// As [`transaction`](Self::transaction); [`Error::Busy`] when the
    /// write lock stays taken past the busy timeout.
    pub fn transaction_immediate<T, E, F>(&mut self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut Connection) -> Result<T, E>,
        E: From<Error>,
    {
        self.transaction_with(TransactionMode::Immediate, f)
    }

    /// Runs `f` in a transaction begun in `mode`, and runs it again when it
    /// fails with a [retryable](Error::is_retryable) error ([`Error::Busy`],
    /// or [`Error::SerializationFailure`] from a stale WAL snapshot),
    /// sleeping the thread as `policy` says between attempts. `f` may run
    /// several times.
    ///
    /// ```
    /// # fn demo(conn: &mut quarry_runtime::sqlite::Connection) -> quarry_runtime::Result<()> {
    /// use quarry_runtime::sqlite::TransactionMode;
    /// use quarry_runtime::{Error, RetryPolicy};
    ///
    /// conn.transaction_with_retry(TransactionMode::Immediate, RetryPolicy::default(), |tx| {
    ///     tx.execute_static("INSERT INTO log (at) VALUES (datetime('now'))", &[])?;
    ///     Ok::<_, Error>(())
    /// })?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// The last attempt's error, or the first error that is not retryable.
    pub fn transaction_with_retry<T, E, F>(
        &mut self,
        mode: TransactionMode,
        policy: RetryPolicy,
        mut f: F,
    ) -> Result<T, E>
    where
        F: FnMut(&mut Connection) -> Result<T, E>,
        E: From<Error> + Retryable,
    {
        let mut attempt = 1;
        loop {
            match self.transaction_with(mode, &mut f) {
                Err(e) if e.is_retryable() && self.depth == 0 && policy.again(attempt) => {
                    std::thread::sleep(policy.backoff(attempt));
                    attempt += 1;
                }
                done => return done,
            }
        }
    }

    /// As [`transaction`](Self::transaction), beginning the outermost
    /// transaction in `mode`. Inside a transaction `mode` is ignored.
    ///
    /// # Errors
    ///
    /// As [`transaction`](Self::transaction).
    pub fn transaction_with<T, E, F>(&mut self, mode: TransactionMode, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut Connection) -> Result<T, E>,
        E: From<Error>,
    {
        let depth = self.depth;
        if depth == 0 {
            self.control(mode.begin_sql())?;
        } else {
            self.savepoint_sql("SAVEPOINT", depth)?;
        }
        self.depth = depth + 1;
        let mut guard = Guard {
            conn: self,
            depth,
            open: true,
        };
        match f(&mut *guard.conn) {
            Ok(value) => {
                guard.commit()?;
                Ok(value)
            }
            // The guard rolls back as it drops.
            Err(e) => Err(e),
        }
    }

    /// Runs static transaction control (`BEGIN`, `COMMIT`, `ROLLBACK`)
    /// through the statement cache, in a span.
    fn control(&mut self, sql: &'static str) -> crate::Result<()> {
        control_span(sql, || self.control_static(sql))
    }

    /// Runs `<verb> <name>` for the savepoint opened at `depth`.
    fn savepoint_sql(&mut self, verb: &str, depth: u32) -> crate::Result<()> {
        let sql = format!("{verb} {}", savepoint(depth + 1));
        control_span(&sql, || {
            self.raw()
                .execute_batch(&sql)
                .map_err(super::error_map::map_error)
        })
    }

    /// Undoes the transaction or savepoint opened at `depth`.
    fn rollback_to(&mut self, depth: u32) -> crate::Result<()> {
        if depth == 0 {
            // SQLite may have rolled back already, after some errors.
            if self.raw().is_autocommit() {
                return Ok(());
            }
            self.control("ROLLBACK")
        } else {
            let name = savepoint(depth + 1);
            let sql = format!("ROLLBACK TO SAVEPOINT {name}; RELEASE SAVEPOINT {name}");
            control_span(&sql, || {
                self.raw()
                    .execute_batch(&sql)
                    .map_err(super::error_map::map_error)
            })
        }
    }
}

/// An open transaction or savepoint: rolled back when dropped open, as
/// after an error or during a panic.
struct Guard<'c> {
    conn: &'c mut Connection,
    /// The connection's depth before this transaction began.
    depth: u32,
    open: bool,
}

impl Guard<'_> {
    /// Commits, or releases the savepoint. On failure the guard stays open,
    /// and rolls back as it drops.
    fn commit(&mut self) -> crate::Result<()> {
        if self.depth == 0 {
            self.conn.control("COMMIT")?;
        } else {
            self.conn.savepoint_sql("RELEASE SAVEPOINT", self.depth)?;
        }
        self.open = false;
        self.conn.depth = self.depth;
        Ok(())
    }
}

impl Drop for Guard<'_> {
    fn drop(&mut self) {
        if self.open {
            if let Err(e) = self.conn.rollback_to(self.depth) {
                tracing::warn!(error = %e, depth = self.depth, "rollback failed");
            }
            self.conn.depth = self.depth;
        }
    }
}
