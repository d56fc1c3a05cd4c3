//! The SQLite connection: opening, statements with binds, and queries.

use std::fmt;
use std::path::Path;
use std::time::Duration;

use crate::instrument;
use crate::{Result, Value};

use super::bind::bind_all;
use super::error_map::map_error;
use super::row::Row;
use super::statement_cache::CachedConnection;

/// How many static statements a new [`Connection`] keeps prepared.
pub const DEFAULT_STATEMENT_CACHE_CAPACITY: usize = 256;

/// How long a new [`Connection`] waits for another connection's lock
/// before failing with [`Error::Busy`](crate::Error::Busy).
pub const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The `db.system` of SQLite's spans.
pub(super) const SYSTEM: &str = "sqlite";

/// A connection to a SQLite database.
///
/// Foreign keys are enforced (`PRAGMA foreign_keys = ON`), and `LIKE`
/// tells upper from lower case, as on PostgreSQL (`PRAGMA
/// case_sensitive_like = ON`). A statement that
/// needs a lock another connection holds waits up to the busy timeout
/// ([`DEFAULT_BUSY_TIMEOUT`], see [`set_busy_timeout`](Self::set_busy_timeout))
/// and then fails with [`Error::Busy`](crate::Error::Busy).
///
/// # Several writers
///
/// With several connections to one file, use WAL mode
/// (`PRAGMA journal_mode = WAL`) and run every transaction that writes with
/// [`transaction_immediate`](Self::transaction_immediate). A deferred
/// transaction that reads and then writes must upgrade its read lock; if
/// another connection wrote meanwhile, SQLite fails it at once with
/// `SQLITE_BUSY` without waiting for the busy timeout (waiting could not
/// help: its snapshot is stale). `BEGIN IMMEDIATE` takes the write lock at
/// the start, where waiting works. Retry what still fails with
/// [`transaction_with_retry`](Self::transaction_with_retry).
///
/// Statements from
/// `&'static str` SQL stay prepared in an LRU cache of
/// [`DEFAULT_STATEMENT_CACHE_CAPACITY`] statements (see
/// [`set_statement_cache_capacity`](Self::set_statement_cache_capacity)).
///
/// A connection is `Send` but not `Sync`: use it from one thread at a time.
pub struct Connection {
    pub(super) inner: CachedConnection,
    /// How many [`transaction`](Self::transaction) calls are open: 0 outside
    /// a transaction, 1 in one, more in savepoints.
    pub(super) depth: u32,
    /// See [`set_busy_timeout`](Self::set_busy_timeout).
    busy_timeout: Duration,
}

impl Connection {
    /// Opens (creating it if needed) the database file at `path`.
    ///
    /// # Errors
    ///
    /// [`Error::Sqlite`](crate::Error::Sqlite) when the file cannot be
    /// opened.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let conn = rusqlite::Connection::open(path).map_err(map_error)?;
        Self::from_rusqlite(conn)
    }

    /// Opens a new, private, in-memory database.
    ///
    /// # Errors
    ///
    /// [`Error::Sqlite`](crate::Error::Sqlite) when SQLite cannot allocate
    /// it.
    pub fn open_in_memory() -> Result<Self> {
        let conn = rusqlite::Connection::open_in_memory().map_err(map_error)?;
        Self::from_rusqlite(conn)
    }

    /// Wraps a connection opened with `rusqlite` (for example with other
    /// flags), turning on foreign keys and case-sensitive `LIKE`, and setting the busy timeout to
    /// [`DEFAULT_BUSY_TIMEOUT`].
    ///
    /// # Errors
    ///
    /// [`Error::Sqlite`](crate::Error::Sqlite) when foreign keys cannot be
    /// turned on, as inside a transaction.
    pub fn from_rusqlite(conn: rusqlite::Connection) -> Result<Self> {
        // `LIKE` compares case as PostgreSQL's does (SQLite's own ignores
        // the case of ASCII letters): one pattern, the same rows.
        conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA case_sensitive_like = ON")
            .map_err(map_error)?;
        conn.busy_timeout(DEFAULT_BUSY_TIMEOUT).map_err(map_error)?;
        Ok(Connection {
            inner: CachedConnection::new(conn, DEFAULT_STATEMENT_CACHE_CAPACITY),
            depth: 0,
            busy_timeout: DEFAULT_BUSY_TIMEOUT,
        })
    }

    /// Sets how long a statement waits for a lock another connection holds
    /// before failing with [`Error::Busy`](crate::Error::Busy)
    /// (`PRAGMA busy_timeout`). Zero fails at once.
    ///
    /// ```
    /// use std::time::Duration;
    /// use quarry_runtime::sqlite::Connection;
    ///
    /// let mut conn = Connection::open_in_memory()?;
    /// conn.set_busy_timeout(Duration::from_secs(1))?;
    /// assert_eq!(conn.busy_timeout(), Duration::from_secs(1));
    /// # Ok::<(), quarry_runtime::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Sqlite`](crate::Error::Sqlite) if SQLite refuses it.
    pub fn set_busy_timeout(&mut self, timeout: Duration) -> Result<()> {
        self.raw().busy_timeout(timeout).map_err(map_error)?;
        self.busy_timeout = timeout;
        Ok(())
    }

    /// How long a statement waits for another connection's lock; see
    /// [`set_busy_timeout`](Self::set_busy_timeout).
    pub fn busy_timeout(&self) -> Duration {
        self.busy_timeout
    }

    /// Gives back the `rusqlite` connection, finalizing the cached
    /// statements.
    pub fn into_rusqlite(self) -> rusqlite::Connection {
        self.inner.into_conn()
    }

    /// The `rusqlite` connection, for what this API does not cover.
    ///
    /// Statements run on it are not instrumented, and a transaction begun
    /// or ended on it is unknown to [`transaction`](Self::transaction).
    pub fn raw(&self) -> &rusqlite::Connection {
        self.inner.conn()
    }

    /// Sets how many static statements stay prepared, finalizing the least
    /// recently used beyond it. With 0, static statements are prepared on
    /// every use.
    pub fn set_statement_cache_capacity(&mut self, capacity: usize) {
        self.inner.set_capacity(capacity);
    }

    /// How many static statements may stay prepared.
    pub fn statement_cache_capacity(&self) -> usize {
        self.inner.capacity()
    }

    /// How many static statements are prepared now.
    pub fn statement_cache_len(&self) -> usize {
        self.inner.len()
    }

    /// Finalizes every cached static statement.
    pub fn clear_statement_cache(&mut self) {
        self.inner.clear();
    }

    /// Whether a [`transaction`](Self::transaction) call is running.
    pub fn in_transaction(&self) -> bool {
        self.depth > 0
    }

    /// Runs one statement of SQL built at run time, with `params` bound to
    /// its parameters `?1`, `?2`, …, and returns the number of rows it
    /// changed (0 for a read-only statement). Rows it returns are skipped.
    ///
    /// The statement is prepared through `rusqlite`'s own cache, keyed by
    /// the SQL text.
    ///
    /// # Errors
    ///
    /// [`Error::Bind`](crate::Error::Bind) when `params` do not fit the
    /// statement's parameters, a constraint variant when a constraint
    /// rejects the statement, [`Error::Sqlite`](crate::Error::Sqlite)
    /// otherwise.
    pub fn execute(&mut self, sql: &str, params: &[Value<'_>]) -> Result<u64> {
        let conn = self.inner.conn();
        traced(sql, |rows| {
            let mut stmt = conn.prepare_cached(sql).map_err(map_error)?;
            *rows = run_execute(conn, &mut stmt, params)?;
            Ok(*rows)
        })
    }

    /// Runs every statement in `sql`, without parameters.
    /// [`pg::Connection::execute_batch`](crate::postgres::Connection::execute_batch)
    /// is the same method on PostgreSQL.
    ///
    /// The span records the number of rows changed, triggers included.
    ///
    /// # Errors
    ///
    /// As [`execute`](Self::execute); statements before the failing one
    /// stay run.
    pub fn execute_batch(&mut self, sql: &str) -> Result<()> {
        let conn = self.inner.conn();
        traced(sql, |rows| {
            let before = conn.total_changes();
            let result = conn.execute_batch(sql).map_err(map_error);
            *rows = conn.total_changes().saturating_sub(before);
            result
        })
    }

    /// The same as [`execute_batch`](Self::execute_batch), under the name
    /// Diesel and tokio-postgres use.
    pub fn batch_execute(&mut self, sql: &str) -> Result<()> {
        self.execute_batch(sql)
    }

    /// Runs a query of SQL built at run time with `params` bound, calling
    /// `f` with each row, and returns the number of rows.
    ///
    /// The statement is prepared through `rusqlite`'s own cache, keyed by
    /// the SQL text.
    ///
    /// # Errors
    ///
    /// As [`execute`](Self::execute), and the first error `f` returns, which
    /// stops the query.
    pub fn query_raw<F>(&mut self, sql: &str, params: &[Value<'_>], mut f: F) -> Result<u64>
    where
        F: FnMut(&Row<'_>) -> Result<()>,
    {
        let conn = self.inner.conn();
        traced(sql, |rows| {
            let mut stmt = conn.prepare_cached(sql).map_err(map_error)?;
            run_query(&mut stmt, params, rows, &mut f)
        })
    }

    /// Runs a query whose SQL is static with `params` bound, calling `f`
    /// with each row, and returns the number of rows.
    ///
    /// This is the path of quarry's generated queries. The statement is
    /// prepared once and cached by the address of `sql`: while it stays in
    /// the cache, running it again neither copies nor hashes the text.
    ///
    /// # Errors
    ///
    /// As [`query_raw`](Self::query_raw).
    pub fn query_static<F>(
        &mut self,
        sql: &'static str,
        params: &[Value<'_>],
        mut f: F,
    ) -> Result<u64>
    where
        F: FnMut(&Row<'_>) -> Result<()>,
    {
        let inner = &mut self.inner;
        traced(sql, |rows| {
            inner.with_static(sql, |_, stmt| run_query(stmt, params, rows, &mut f))
        })
    }

    /// Runs a query whose SQL is static with `params` bound, and hands its
    /// first row to `f`; `None` when it returns no rows. The statement stops
    /// after that row: later rows are never computed.
    ///
    /// Cached as for [`query_static`](Self::query_static).
    ///
    /// ```
    /// use quarry_runtime::Value;
    /// use quarry_runtime::sqlite::Connection;
    ///
    /// let mut conn = Connection::open_in_memory()?;
    /// let first = conn.query_static_first("SELECT ?1 UNION ALL SELECT 2", &[Value::Int(1)], |row| {
    ///     Ok(row.get_ref(0)?.as_i64().unwrap_or_default())
    /// })?;
    /// assert_eq!(first, Some(1));
    /// # Ok::<(), quarry_runtime::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`query_raw`](Self::query_raw).
    pub fn query_static_first<T, F>(
        &mut self,
        sql: &'static str,
        params: &[Value<'_>],
        f: F,
    ) -> Result<Option<T>>
    where
        F: FnOnce(&Row<'_>) -> Result<T>,
    {
        let inner = &mut self.inner;
        traced(sql, |rows| {
            inner.with_static(sql, |_, stmt| run_first(stmt, params, rows, f))
        })
    }

    /// Runs a statement whose SQL is static with `params` bound, and returns
    /// the number of rows it changed (0 for a read-only statement). Rows it
    /// returns are skipped.
    ///
    /// The statement is cached as for [`query_static`](Self::query_static).
    ///
    /// # Errors
    ///
    /// As [`execute`](Self::execute).
    pub fn execute_static(&mut self, sql: &'static str, params: &[Value<'_>]) -> Result<u64> {
        let inner = &mut self.inner;
        traced(sql, |rows| {
            inner.with_static(sql, |conn, stmt| {
                let result = run_execute(conn, stmt, params);
                *rows = *result.as_ref().unwrap_or(&0);
                result
            })
        })
    }

    /// Runs a static statement that takes no parameters, without a span:
    /// for transaction control.
    pub(super) fn control_static(&mut self, sql: &'static str) -> Result<()> {
        self.inner
            .with_static(sql, |conn, stmt| run_execute(conn, stmt, &[]).map(drop))
    }
}

impl fmt::Debug for Connection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connection")
            .field("path", &self.raw().path())
            .field("transaction_depth", &self.depth)
            .field("cached_statements", &self.statement_cache_len())
            .finish_non_exhaustive()
    }
}

/// Runs `run` inside a statement span for `sql`; `run` stores the rows it
/// returned or changed, also when it fails part way.
///
/// When no subscriber takes `DEBUG` spans and no slow-statement hook is set
/// ([`instrument::wanted`]), there is no span to make: `run` runs bare.
#[inline]
fn traced<T>(sql: &str, run: impl FnOnce(&mut u64) -> Result<T>) -> Result<T> {
    if !instrument::wanted() {
        crate::statement_count::record(sql);
        return run(&mut 0);
    }
    traced_in_span(sql, run)
}

/// [`traced`] with its span, out of line.
#[inline(never)]
fn traced_in_span<T>(sql: &str, run: impl FnOnce(&mut u64) -> Result<T>) -> Result<T> {
    let statement = instrument::Statement::start(SYSTEM, sql);
    let mut rows = 0;
    let result = {
        let _entered = statement.span().enter();
        let result = run(&mut rows);
        if let Err(e) = &result {
            tracing::debug!(error = %e, "statement failed");
        }
        result
    };
    statement.finish(rows);
    result
}

/// Binds `params`, steps through the rows calling `f` with each, and counts
/// them in `rows`. Large values are unbound afterwards ([`Bound`]).
#[inline]
fn run_query<F>(
    stmt: &mut rusqlite::Statement<'_>,
    params: &[Value<'_>],
    rows: &mut u64,
    f: &mut F,
) -> Result<u64>
where
    F: FnMut(&Row<'_>) -> Result<()>,
{
    let bound = bind_all(stmt, params)?;
    let mut cursor = stmt.raw_query();
    let result = loop {
        match cursor.next() {
            Ok(Some(row)) => {
                *rows += 1;
                if let Err(e) = f(&Row::new(row)) {
                    break Err(e);
                }
            }
            Ok(None) => break Ok(*rows),
            Err(e) => break Err(map_error(e)),
        }
    };
    drop(cursor);
    bound.release(stmt, params);
    result
}

/// Binds `params`, steps to the first row and hands it to `f`; the cursor
/// is reset when dropped, so no further row is computed.
#[inline]
fn run_first<T, F>(
    stmt: &mut rusqlite::Statement<'_>,
    params: &[Value<'_>],
    rows: &mut u64,
    f: F,
) -> Result<Option<T>>
where
    F: FnOnce(&Row<'_>) -> Result<T>,
{
    let bound = bind_all(stmt, params)?;
    let mut cursor = stmt.raw_query();
    let result = match cursor.next() {
        Ok(Some(row)) => {
            *rows = 1;
            f(&Row::new(row)).map(Some)
        }
        Ok(None) => Ok(None),
        Err(e) => Err(map_error(e)),
    };
    drop(cursor);
    bound.release(stmt, params);
    result
}

/// Binds `params`, runs the statement to its end, and returns the rows it
/// changed.
fn run_execute(
    conn: &rusqlite::Connection,
    stmt: &mut rusqlite::Statement<'_>,
    params: &[Value<'_>],
) -> Result<u64> {
    let bound = bind_all(stmt, params)?;
    let mut cursor = stmt.raw_query();
    let result = loop {
        match cursor.next() {
            Ok(Some(_)) => {}
            Ok(None) => break Ok(()),
            Err(e) => break Err(map_error(e)),
        }
    };
    drop(cursor);
    bound.release(stmt, params);
    result?;
    Ok(if stmt.readonly() { 0 } else { conn.changes() })
}
