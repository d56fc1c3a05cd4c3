//! Transactions and savepoints.

use std::sync::atomic::Ordering;

use super::connection::Connection;
use crate::error::{Error, Result, Retryable};
use crate::retry::RetryPolicy;

/// A transaction's isolation level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IsolationLevel {
    /// `READ UNCOMMITTED`.
    ReadUncommitted,
    /// `READ COMMITTED`.
    ReadCommitted,
    /// `REPEATABLE READ`, InnoDB's default.
    RepeatableRead,
    /// `SERIALIZABLE`.
    Serializable,
}

/// How a transaction begins: its isolation level and whether it is read
/// only. The default is the server's default level, read and write.
///
/// ```
/// use quarry_runtime::mysql::{IsolationLevel, TransactionOptions};
///
/// let options = TransactionOptions::default().isolation(IsolationLevel::Serializable);
/// # let _ = options;
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct TransactionOptions {
    /// The isolation level; `None` keeps the session's.
    pub isolation: Option<IsolationLevel>,
    /// `START TRANSACTION READ ONLY`.
    pub read_only: bool,
}

impl TransactionOptions {
    /// Sets the isolation level.
    #[must_use]
    pub fn isolation(mut self, level: IsolationLevel) -> Self {
        self.isolation = Some(level);
        self
    }

    /// Makes the transaction read only.
    #[must_use]
    pub fn read_only(mut self, read_only: bool) -> Self {
        self.read_only = read_only;
        self
    }

    fn begin_sql(self) -> String {
        let mut sql = String::new();
        if let Some(level) = self.isolation {
            sql.push_str("SET TRANSACTION ISOLATION LEVEL ");
            sql.push_str(match level {
                IsolationLevel::ReadUncommitted => "READ UNCOMMITTED",
                IsolationLevel::ReadCommitted => "READ COMMITTED",
                IsolationLevel::RepeatableRead => "REPEATABLE READ",
                IsolationLevel::Serializable => "SERIALIZABLE",
            });
            sql.push_str("; ");
        }
        sql.push_str(if self.read_only {
            "START TRANSACTION READ ONLY"
        } else {
            "START TRANSACTION"
        });
        sql
    }
}

fn savepoint(level: u32) -> String {
    format!("quarry_sp_{level}")
}

/// Marks the connection broken if the transaction's future is dropped
/// before its end was sent: the server still has it open, so the
/// connection is not used again (a pool closes it, which rolls it back).
struct Guard<'a> {
    conn: &'a mut Connection,
    armed: bool,
}

impl Drop for Guard<'_> {
    fn drop(&mut self) {
        if self.armed {
            self.conn.broken.store(true, Ordering::Relaxed);
        }
    }
}

impl Connection {
    /// Runs `f` in a transaction: `COMMIT` when it returns `Ok`, `ROLLBACK`
    /// when it returns `Err`. Called inside a transaction, it is a
    /// savepoint, released or rolled back to. A transaction whose future is
    /// dropped before it ends leaves the connection closed for further use
    /// (a pool then replaces it; the server rolls the transaction back).
    ///
    /// ```no_run
    /// # async fn demo(conn: &mut quarry_runtime::mysql::Connection) -> quarry_runtime::Result<()> {
    /// use quarry_runtime::{Error, Value};
    /// conn.transaction(async |tx| {
    ///     tx.execute("UPDATE account SET balance = balance - 10 WHERE id = ?", &[Value::Int(1)]).await?;
    ///     tx.execute("UPDATE account SET balance = balance + 10 WHERE id = ?", &[Value::Int(2)]).await?;
    ///     Ok::<_, Error>(())
    /// })
    /// .await?;
    /// # Ok(()) }
    /// ```
    pub async fn transaction<T, E, F>(&mut self, f: F) -> Result<T, E>
    where
        F: AsyncFnOnce(&mut Connection) -> Result<T, E>,
        E: From<Error>,
    {
        self.transaction_with(TransactionOptions::default(), f)
            .await
    }

    /// Like [`transaction`](Self::transaction), beginning it with
    /// `options`; only the outermost transaction takes options.
    ///
    /// ```no_run
    /// # async fn demo(conn: &mut quarry_runtime::mysql::Connection) -> quarry_runtime::Result<()> {
    /// use quarry_runtime::mysql::TransactionOptions;
    /// use quarry_runtime::Error;
    /// let n = conn
    ///     .transaction_with(TransactionOptions::default().read_only(true), async |tx| {
    ///         Ok::<_, Error>(tx.query_raw("SELECT 1", &[]).await?.len())
    ///     })
    ///     .await?;
    /// # let _ = n; Ok(()) }
    /// ```
    pub async fn transaction_with<T, E, F>(
        &mut self,
        options: TransactionOptions,
        f: F,
    ) -> Result<T, E>
    where
        F: AsyncFnOnce(&mut Connection) -> Result<T, E>,
        E: From<Error>,
    {
        let level = self.depth + 1;
        let begin = if level == 1 {
            options.begin_sql()
        } else if options == TransactionOptions::default() {
            format!("SAVEPOINT {}", savepoint(level))
        } else {
            return Err(Error::Config(
                "transaction options can only be set on the outermost transaction".into(),
            )
            .into());
        };
        self.batch_execute(&begin).await?;
        let guard = Guard {
            conn: self,
            armed: true,
        };
        guard.conn.depth = level;
        let result = f(&mut *guard.conn).await;
        let mut guard = guard;
        let conn = &mut *guard.conn;
        conn.depth = level - 1;
        let outcome = match result {
            Ok(value) if !conn.aborted.load(Ordering::Relaxed) => {
                let end = if level == 1 {
                    "COMMIT".to_owned()
                } else {
                    format!("RELEASE SAVEPOINT {}", savepoint(level))
                };
                match conn.batch_execute(&end).await {
                    Ok(()) => Ok(value),
                    Err(e) => {
                        conn.rollback_level(level).await;
                        Err(e.into())
                    }
                }
            }
            Ok(_) => {
                conn.rollback_level(level).await;
                Err(Error::Config(
                    "a nested transaction could not be rolled back to its savepoint, so this transaction was rolled back".into(),
                )
                .into())
            }
            Err(e) => {
                conn.rollback_level(level).await;
                Err(e)
            }
        };
        guard.armed = false;
        outcome
    }

    /// Rolls back level `level`. A failure at the outermost level leaves
    /// the connection broken; at a savepoint, the outer transaction must
    /// roll back too (after a deadlock MariaDB has already rolled the
    /// whole transaction back, savepoints included).
    async fn rollback_level(&self, level: u32) {
        let sql = if level == 1 {
            "ROLLBACK".to_owned()
        } else {
            format!("ROLLBACK TO SAVEPOINT {}", savepoint(level))
        };
        match self.batch_execute(&sql).await {
            Ok(()) if level == 1 => self.aborted.store(false, Ordering::Relaxed),
            Ok(()) => {}
            Err(e) => {
                tracing::warn!(target: "quarry::mysql", error = %e, "rollback failed");
                if level == 1 {
                    self.broken.store(true, Ordering::Relaxed);
                } else {
                    self.aborted.store(true, Ordering::Relaxed);
                }
            }
        }
    }

    /// Runs `f` in a transaction begun with `options`, again after a
    /// [retryable](Error::is_retryable) error (a deadlock, a lock wait
    /// timeout), pausing as `policy` says.
    ///
    /// ```no_run
    /// # async fn demo(conn: &mut quarry_runtime::mysql::Connection) -> quarry_runtime::Result<()> {
    /// use quarry_runtime::mysql::TransactionOptions;
    /// use quarry_runtime::{Error, RetryPolicy, Value};
    /// conn.transaction_with_retry(TransactionOptions::default(), RetryPolicy::default(), async |tx| {
    ///     tx.execute("UPDATE counter SET n = n + 1 WHERE id = ?", &[Value::Int(1)]).await?;
    ///     Ok::<_, Error>(())
    /// })
    /// .await?;
    /// # Ok(()) }
    /// ```
    pub async fn transaction_with_retry<T, E, F>(
        &mut self,
        options: TransactionOptions,
        policy: RetryPolicy,
        mut f: F,
    ) -> Result<T, E>
    where
        F: AsyncFnMut(&mut Connection) -> Result<T, E>,
        E: From<Error> + Retryable,
    {
        let mut attempt = 1;
        loop {
            match self.transaction_with(options, async |tx| f(tx).await).await {
                Err(e) if e.is_retryable() && policy.again(attempt) && self.depth == 0 => {
                    tokio::time::sleep(policy.backoff(attempt)).await;
                    attempt += 1;
                }
                done => return done,
            }
        }
    }
}
