//! Transactions and savepoints, safe against errors, panics and
//! cancellation.

use std::borrow::Cow;
use std::future::Future;
use std::pin::pin;
use std::sync::atomic::Ordering;
use std::task::{Context, Poll, Waker};

use super::connection::{Connection, SYSTEM};
use super::in_flight::STATE_MUST_ROLL_BACK;
use crate::error::{Error, Result, Retryable};
use crate::instrument;
use crate::retry::RetryPolicy;

/// The isolation level of a transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IsolationLevel {
    /// `READ UNCOMMITTED` (PostgreSQL runs it as `READ COMMITTED`).
    ReadUncommitted,
    /// `READ COMMITTED`, PostgreSQL's default.
    ReadCommitted,
    /// `REPEATABLE READ`.
    RepeatableRead,
    /// `SERIALIZABLE`: retry on [`Error::SerializationFailure`].
    Serializable,
}

/// How [`Connection::transaction_with`] begins its transaction.
///
/// ```
/// use quarry_runtime::postgres::{IsolationLevel, TransactionOptions};
///
/// let options = TransactionOptions::default()
///     .isolation(IsolationLevel::Serializable)
///     .read_only(true);
/// # let _ = options;
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct TransactionOptions {
    isolation: Option<IsolationLevel>,
    read_only: bool,
    deferrable: bool,
}

impl TransactionOptions {
    /// Sets the isolation level; the server's default otherwise.
    #[must_use]
    pub fn isolation(mut self, level: IsolationLevel) -> Self {
        self.isolation = Some(level);
        self
    }

    /// Makes the transaction `READ ONLY`.
    #[must_use]
    pub fn read_only(mut self, read_only: bool) -> Self {
        self.read_only = read_only;
        self
    }

    /// Makes the transaction `DEFERRABLE` (meaningful for serializable
    /// read-only transactions).
    #[must_use]
    pub fn deferrable(mut self, deferrable: bool) -> Self {
        self.deferrable = deferrable;
        self
    }

    fn begin_sql(&self) -> Cow<'static, str> {
        if *self == TransactionOptions::default() {
            return Cow::Borrowed("BEGIN");
        }
        let mut sql = String::from("BEGIN");
        if let Some(level) = self.isolation {
            sql.push_str(match level {
                IsolationLevel::ReadUncommitted => " ISOLATION LEVEL READ UNCOMMITTED",
                IsolationLevel::ReadCommitted => " ISOLATION LEVEL READ COMMITTED",
                IsolationLevel::RepeatableRead => " ISOLATION LEVEL REPEATABLE READ",
                IsolationLevel::Serializable => " ISOLATION LEVEL SERIALIZABLE",
            });
        }
        if self.read_only {
            sql.push_str(" READ ONLY");
        }
        if self.deferrable {
            sql.push_str(" DEFERRABLE");
        }
        Cow::Owned(sql)
    }
}

fn savepoint(level: u32) -> String {
    format!("quarry_savepoint_{level}")
}

/// The statement that undoes transaction level `level`.
fn rollback_sql(level: u32) -> Cow<'static, str> {
    if level <= 1 {
        Cow::Borrowed("ROLLBACK")
    } else {
        let name = savepoint(level);
        Cow::Owned(format!(
            "ROLLBACK TO SAVEPOINT {name}; RELEASE SAVEPOINT {name}"
        ))
    }
}

/// The closure returned `Ok` although a statement inside failed and
/// PostgreSQL aborted the transaction: `COMMIT` would have rolled back.
#[derive(Debug)]
struct AbortedTransaction;

impl std::fmt::Display for AbortedTransaction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(
            "a statement failed inside the transaction, which PostgreSQL then aborted; \
             the closure returned Ok, but the transaction was rolled back, not committed",
        )
    }
}

impl std::error::Error for AbortedTransaction {}

/// Rolls back a transaction level whose future stopped before finishing it:
/// the closure panicked, or the future was dropped.
struct Guard<'c> {
    conn: &'c mut Connection,
    level: u32,
    armed: bool,
}

impl Drop for Guard<'_> {
    fn drop(&mut self) {
        if !self.armed {
            return;
        }
        let conn = &mut *self.conn;
        conn.depth = self.level - 1;
        conn.aborted.store(false, Ordering::Relaxed);
        let sql = rollback_sql(self.level);
        let statement = instrument::Statement::start(SYSTEM, &sql);
        let sent = {
            let _entered = statement.span().enter();
            tracing::warn!(
                target: "quarry::postgres",
                level = self.level,
                "transaction interrupted by a panic or cancellation: rolling back"
            );
            send_now(conn.client.batch_execute(&sql))
        };
        statement.finish(0);
        if let Poll::Ready(Err(e)) = sent {
            tracing::warn!(target: "quarry::postgres", error = %e, "could not roll back: discarding the connection");
            conn.broken.store(true, Ordering::Relaxed);
        }
        // A cancel request for the interrupted statement may reach the
        // server during this ROLLBACK and fail it: check before next use.
        conn.state.store(STATE_MUST_ROLL_BACK, Ordering::Relaxed);
    }
}

/// Dropped while waiting for the reply to `COMMIT` or `ROLLBACK`: whether it
/// took is unknown, so the connection checks the server's transaction
/// state (and rolls back what is still open) before it runs anything else.
struct Ending<'c> {
    conn: &'c Connection,
    replied: bool,
}

impl Drop for Ending<'_> {
    fn drop(&mut self) {
        if !self.replied {
            self.conn
                .state
                .store(STATE_MUST_ROLL_BACK, Ordering::Relaxed);
        }
    }
}

/// Polls `fut` once, without a waker, and drops it.
///
/// tokio-postgres queues a request on the connection the first time its
/// future is polled; its reply is then read and discarded by the
/// connection's task even though nobody waits for it. Requests are sent in
/// the order they are queued, so everything run on the connection later runs
/// after this one. This is how tokio-postgres' own `Transaction` rolls back
/// when dropped.
fn send_now<F: Future>(fut: F) -> Poll<F::Output> {
    let mut fut = pin!(fut);
    fut.as_mut().poll(&mut Context::from_waker(Waker::noop()))
}

impl Connection {
    /// Runs `f` inside a transaction: `COMMIT` if it returns `Ok`,
    /// `ROLLBACK` if it returns `Err`. Called inside another transaction, it
    /// uses a savepoint instead, so that an `Err` undoes only its own work.
    ///
    /// If `f` panics or the returned future is dropped before `COMMIT` is
    /// sent (for example by a timeout while `f` runs), the transaction is
    /// rolled back before the connection runs anything else (a statement
    /// running in `f` is cancelled on the server), and a pool never hands
    /// out a connection with a transaction open.
    ///
    /// # Cancellation after `COMMIT` is sent
    ///
    /// `COMMIT` is sent in the same poll in which `f`'s future completes
    /// with `Ok`. If this future is dropped after that, while waiting for
    /// the server's reply, **whether the transaction committed cannot be
    /// known**: the server may have committed it, or (if the cancel request
    /// reached it first, or the connection broke) not. No error can tell
    /// the caller which. A caller that retries on timeout must therefore
    /// make the transaction idempotent (for example, insert with a unique
    /// request id and treat a [`Error::UniqueViolation`] on it as done), or
    /// check its effect before retrying. The same holds for
    /// [`Error::ConnectionLost`] and [`Error::Timeout`] from `COMMIT`.
    /// [`transaction_with_retry`](Self::transaction_with_retry) retries only
    /// errors the server reported before committing.
    ///
    /// If a statement inside fails (PostgreSQL then rejects the rest of the
    /// transaction) and `f` still returns `Ok`, the transaction is rolled
    /// back and an [`Error::Postgres`] is returned: nothing is committed
    /// silently.
    ///
    /// ```no_run
    /// # async fn demo(conn: &mut quarry_runtime::postgres::Connection) -> quarry_runtime::Result<()> {
    /// use quarry_runtime::{Error, Value};
    ///
    /// let moved = conn
    ///     .transaction(async |tx| {
    ///         tx.execute_static("UPDATE account SET balance = balance - 10 WHERE id = $1", &[Value::Int(1)])
    ///             .await?;
    ///         tx.execute_static("UPDATE account SET balance = balance + 10 WHERE id = $1", &[Value::Int(2)])
    ///             .await?;
    ///         Ok::<_, Error>(10)
    ///     })
    ///     .await?;
    /// # let _ = moved; Ok(()) }
    /// ```
    pub async fn transaction<T, E, F>(&mut self, f: F) -> Result<T, E>
    where
        F: AsyncFnOnce(&mut Connection) -> Result<T, E>,
        E: From<Error>,
    {
        self.transaction_with(TransactionOptions::default(), f)
            .await
    }

    /// Like [`transaction`](Self::transaction), beginning it with `options`.
    /// Options can only be given to the outermost transaction: a nested call
    /// with options other than the default fails with [`Error::Config`].
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
        if level == 1 {
            self.settle_before_use().await?;
        }
        let begin = if level == 1 {
            options.begin_sql()
        } else if options == TransactionOptions::default() {
            Cow::Owned(format!("SAVEPOINT {}", savepoint(level)))
        } else {
            return Err(Error::Config(
                "transaction options can only be set on the outermost transaction".into(),
            )
            .into());
        };

        // From here until the end statement is sent, dropping this future
        // rolls the level back.
        let mut guard = Guard {
            conn: self,
            level,
            armed: true,
        };
        guard.conn.depth = level;
        if let Err(e) = guard.conn.batch_execute(&begin).await {
            guard.armed = false;
            guard.conn.depth = level - 1;
            return Err(e.into());
        }

        let result = f(&mut *guard.conn).await;

        // The end statement is queued on its first poll, so the level is
        // over even if this future is dropped while waiting for the reply.
        guard.armed = false;
        let conn = &mut *guard.conn;
        conn.depth = level - 1;
        match result {
            Ok(_) if conn.aborted.load(Ordering::Relaxed) => {
                if let Err(e) = conn.rollback_level(level).await {
                    tracing::warn!(target: "quarry::postgres", error = %e, "rollback failed");
                }
                Err(Error::Postgres(Box::new(AbortedTransaction)).into())
            }
            Ok(value) => {
                let end = if level == 1 {
                    Cow::Borrowed("COMMIT")
                } else {
                    Cow::Owned(format!("RELEASE SAVEPOINT {}", savepoint(level)))
                };
                let mut ending = Ending {
                    conn,
                    replied: false,
                };
                let ended = conn.batch_execute(&end).await;
                ending.replied = true;
                if level == 1 {
                    // COMMIT ends the transaction even when it fails.
                    conn.aborted.store(false, Ordering::Relaxed);
                }
                ended?;
                Ok(value)
            }
            Err(e) => {
                if let Err(rollback_error) = conn.rollback_level(level).await {
                    tracing::warn!(
                        target: "quarry::postgres",
                        error = %rollback_error,
                        "rollback failed"
                    );
                }
                Err(e)
            }
        }
    }

    /// Rolls back transaction level `level` (already popped from `depth`).
    async fn rollback_level(&self, level: u32) -> Result<()> {
        let mut ending = Ending {
            conn: self,
            replied: false,
        };
        let rolled_back = self.batch_execute(&rollback_sql(level)).await;
        ending.replied = true;
        match rolled_back {
            Ok(()) => {
                self.aborted.store(false, Ordering::Relaxed);
                Ok(())
            }
            Err(e) => {
                if level == 1 {
                    // Unknown state: the pool must not reuse it.
                    self.broken.store(true, Ordering::Relaxed);
                } else {
                    // The outer transaction cannot commit now.
                    self.aborted.store(true, Ordering::Relaxed);
                }
                Err(e)
            }
        }
    }
}

impl Connection {
    /// Runs `f` in a transaction begun with `options`, and runs it again
    /// when it fails with a [retryable](Error::is_retryable) error (a
    /// serialization failure or a deadlock), pausing as `policy` says, at
    /// most `policy.max_attempts` times in all. This is the way to retry
    /// transactions: use it with `IsolationLevel::Serializable` or
    /// `RepeatableRead`, where serialization failures are expected.
    ///
    /// `f` may run several times, so it must not have effects outside the
    /// database that cannot be repeated. A lost connection, a timeout and a
    /// dropped future are never retried: a `COMMIT` may have been applied
    /// (see [`transaction`](Self::transaction)).
    ///
    /// ```no_run
    /// # async fn demo(conn: &mut quarry_runtime::postgres::Connection) -> quarry_runtime::Result<()> {
    /// use quarry_runtime::postgres::{IsolationLevel, TransactionOptions};
    /// use quarry_runtime::{Error, RetryPolicy, Value};
    ///
    /// let options = TransactionOptions::default().isolation(IsolationLevel::Serializable);
    /// conn.transaction_with_retry(options, RetryPolicy::default(), async |tx| {
    ///     tx.execute_static("UPDATE counter SET n = n + 1 WHERE id = $1", &[Value::Int(1)])
    ///         .await?;
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
                Err(e) if e.is_retryable() && policy.again(attempt) => {
                    let pause = policy.backoff(attempt);
                    tracing::debug!(
                        target: "quarry::postgres",
                        attempt,
                        pause_ms = pause.as_millis() as u64,
                        "retryable transaction failure: running it again"
                    );
                    tokio::time::sleep(pause).await;
                    attempt += 1;
                }
                done => return done,
            }
        }
    }
}
