//! Statements in flight: their timeout, the cancel request sent when one is
//! abandoned, and checking a connection's transaction state afterwards.
//!
//! A tokio-postgres request, once queued, runs on the server to its end even
//! if its future is dropped, and every later request on the connection waits
//! behind it. So a statement abandoned mid-flight (its future dropped, or its
//! statement timeout elapsed) is cancelled on the server with a cancel
//! request, and the connection does not run anything else until that request
//! has been delivered.

use std::future::Future;
use std::sync::atomic::Ordering;
use std::time::Duration;

use tokio_postgres::{NoTls, SimpleQueryMessage};

use super::connection::Connection;
use super::tls::Tls;
use crate::error::{Error, Result};

/// The server's transaction state is what `depth` says.
pub(crate) const STATE_CLEAN: u8 = 0;
/// A statement outside quarry's transactions may have begun a transaction
/// (its text mentions `BEGIN` or `START`): checked before the pool hands
/// the connection out again.
pub(crate) const STATE_MAYBE_IN_TRANSACTION: u8 = 1;
/// quarry's transaction was interrupted; its `ROLLBACK` was sent but may
/// itself have been cancelled: checked before the connection runs anything
/// else.
pub(crate) const STATE_MUST_ROLL_BACK: u8 = 2;

/// How long a cancel request may take before it is given up.
const CANCEL_TIMEOUT: Duration = Duration::from_secs(10);

tokio::task_local! {
    static STATEMENT_TIMEOUT: Option<Duration>;
}

/// Runs `fut` with every PostgreSQL statement it runs bounded by `timeout`
/// instead of its connection's [`statement_timeout`](Connection::set_statement_timeout)
/// (`None`: unbounded). The setting is scoped to `fut` on the current task:
/// tasks `fut` spawns do not inherit it.
///
/// Each statement gets the whole `timeout`; a statement that exceeds it is
/// cancelled on the server and fails with [`Error::Timeout`]
/// (`setting: "statement_timeout"`), and its connection is discarded.
///
/// ```no_run
/// # async fn demo(pool: &quarry_runtime::postgres::Pool) -> quarry_runtime::Result<()> {
/// use std::time::Duration;
/// use quarry_runtime::postgres::with_statement_timeout;
///
/// let conn = pool.get().await?;
/// // This report may take a minute, whatever the pool's default.
/// let rows = with_statement_timeout(Some(Duration::from_secs(60)), async {
///     conn.query_static("SELECT * FROM monthly_report()", &[]).await
/// })
/// .await?;
/// # let _ = rows; Ok(()) }
/// ```
pub async fn with_statement_timeout<F: Future>(timeout: Option<Duration>, fut: F) -> F::Output {
    STATEMENT_TIMEOUT.scope(timeout, fut).await
}

/// Abandoned before it finished: cancels the statement on the server.
struct InFlight<'c> {
    conn: &'c Connection,
    finished: bool,
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        if !self.finished {
            self.conn.abandon();
        }
    }
}

impl Connection {
    /// Sets the default bound on each statement of this connection (`None`:
    /// unbounded, the default for connections opened with
    /// [`connect`](Self::connect); pooled connections take
    /// [`PoolConfig::statement_timeout`](super::PoolConfig::statement_timeout)).
    /// [`with_statement_timeout`] overrides it for a scope.
    ///
    /// A statement that exceeds it is cancelled on the server and fails with
    /// [`Error::Timeout`]; the connection is then marked closed (a pool
    /// discards it), since a server that does not answer in time may not
    /// answer at all.
    ///
    /// ```no_run
    /// # async fn demo() -> quarry_runtime::Result<()> {
    /// use std::time::Duration;
    /// use quarry_runtime::postgres::Connection;
    ///
    /// let mut conn = Connection::connect("postgres://postgres@localhost/app").await?;
    /// conn.set_statement_timeout(Some(Duration::from_secs(5)));
    /// # Ok(()) }
    /// ```
    pub fn set_statement_timeout(&mut self, timeout: Option<Duration>) {
        self.statement_timeout = timeout;
    }

    /// The default bound on each statement; see
    /// [`set_statement_timeout`](Self::set_statement_timeout).
    pub fn statement_timeout(&self) -> Option<Duration> {
        self.statement_timeout
    }

    /// Runs the statement `statement` makes within the statement timeout;
    /// dropped or timed out before it finishes, it is cancelled on the
    /// server.
    ///
    /// `text` is the statement's SQL when it is to be read here for a
    /// `BEGIN` or `START`; `None` for a statement run through the
    /// statement cache, which read its text once when it prepared it
    /// (`start_static` calls [`may_begin`](Self::may_begin)).
    ///
    /// `statement` makes the statement's future where it is awaited (see
    /// `connection::observed`).
    pub(crate) async fn guarded<T, F: Future<Output = Result<T>>>(
        &self,
        text: Option<&str>,
        statement: impl FnOnce() -> F,
    ) -> Result<T> {
        if self.needs_settling() {
            // Boxed: rare, and its future (a cancel awaited, a round trip)
            // would otherwise make every statement's future larger.
            Box::pin(self.settle_before_use()).await?;
        }
        if let Some(sql) = text
            && mentions_transaction_control(sql)
        {
            self.may_begin();
        }
        let timeout = STATEMENT_TIMEOUT
            .try_with(|scoped| *scoped)
            .unwrap_or(self.statement_timeout);
        let mut flight = InFlight {
            conn: self,
            finished: false,
        };
        let result = match timeout {
            None => statement().await,
            Some(after) => match tokio::time::timeout(after, statement()).await {
                Ok(result) => result,
                Err(_) => {
                    tracing::warn!(
                        target: "quarry::postgres",
                        timeout_ms = after.as_millis() as u64,
                        "statement timeout elapsed: cancelling it and discarding the connection"
                    );
                    self.broken.store(true, Ordering::Relaxed);
                    // `flight` drops unfinished: the cancel request goes out.
                    return Err(Error::Timeout {
                        setting: "statement_timeout",
                        after,
                    });
                }
            },
        };
        flight.finished = true;
        result
    }

    /// A statement whose text mentions `BEGIN` or `START` is about to run:
    /// outside quarry's transactions, the pool checks the connection's
    /// transaction state before handing it out again.
    pub(crate) fn may_begin(&self) {
        if self.depth == 0 {
            let _ = self.state.compare_exchange(
                STATE_CLEAN,
                STATE_MAYBE_IN_TRANSACTION,
                Ordering::Relaxed,
                Ordering::Relaxed,
            );
        }
    }

    /// A statement (or a row stream) was abandoned mid-flight: cancels it on
    /// the server, now or, on a connection shared with other statements,
    /// once they are done.
    pub(crate) fn abandon(&self) {
        if self.shared.load(Ordering::Relaxed) {
            // A cancel request now could hit another statement pipelined
            // on this connection: it goes out when the last of them is done
            // (see `shared.rs`), and the pool stops lending the connection.
            self.deferred_cancel.store(true, Ordering::Relaxed);
        } else {
            self.cancel_on_server();
        }
    }

    /// Sends a cancel request for whatever the connection runs now, in a
    /// spawned task, and keeps the task so that the next statement waits
    /// until the request was delivered.
    pub(crate) fn cancel_on_server(&self) {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            self.broken.store(true, Ordering::Relaxed);
            return;
        };
        tracing::debug!(target: "quarry::postgres", "statement abandoned mid-flight: sending a cancel request");
        self.cancel_sent.store(true, Ordering::Relaxed);
        let token = self.client.cancel_token();
        let tls = self.tls.clone();
        let target = self.cancel_target.clone();
        let task = runtime.spawn(async move {
            let sent = tokio::time::timeout(CANCEL_TIMEOUT, async move {
                match (tls, target) {
                    // Sent by quarry, waiting for the server to act on it
                    // (over TLS too, when the connection's sslmode asks).
                    (Tls::None, Some(target)) => target.cancel(&token).await,
                    (Tls::None, None) => token.cancel_query(NoTls).await.map_err(Into::into),
                    #[cfg(feature = "tls")]
                    (Tls::Rustls(tls), Some(target)) => {
                        target.cancel_tls(&token, tls.connector.clone()).await
                    }
                    #[cfg(feature = "tls")]
                    (Tls::Rustls(tls), None) => token
                        .cancel_query(tls.connector.clone())
                        .await
                        .map_err(Into::into),
                }
            })
            .await;
            match sent {
                Ok(Ok(())) => {}
                Ok(Err(e)) => {
                    tracing::debug!(target: "quarry::postgres", error = %e, "cancel request failed");
                }
                Err(_) => tracing::debug!(target: "quarry::postgres", "cancel request timed out"),
            }
        });
        if let Ok(mut slot) = self.pending_cancel.lock() {
            *slot = Some(task);
        } else {
            self.broken.store(true, Ordering::Relaxed);
        }
    }

    /// Whether the pool must check the connection before handing it out.
    pub(crate) fn needs_check(&self) -> bool {
        self.state.load(Ordering::Relaxed) != STATE_CLEAN
            || self.deferred_cancel.load(Ordering::Relaxed)
            || self.has_pending_cancel()
    }

    fn has_pending_cancel(&self) -> bool {
        // No cancel request was ever sent (`cancel_sent` is set before the
        // task is kept, and never cleared): no lock to take.
        self.cancel_sent.load(Ordering::Relaxed)
            && self
                .pending_cancel
                .lock()
                .map_or(true, |slot| slot.is_some())
    }

    /// Whether [`settle_before_use`](Self::settle_before_use) has anything
    /// to do.
    pub(crate) fn needs_settling(&self) -> bool {
        self.has_pending_cancel()
            || (self.depth == 0 && self.state.load(Ordering::Relaxed) == STATE_MUST_ROLL_BACK)
    }

    /// Before a statement: waits for a cancel request in flight, and rolls
    /// back an interrupted transaction of quarry's if its `ROLLBACK` did not
    /// take.
    pub(crate) async fn settle_before_use(&self) -> Result<()> {
        if self.has_pending_cancel() {
            self.await_cancel().await;
        }
        if self.depth == 0 && self.state.load(Ordering::Relaxed) == STATE_MUST_ROLL_BACK {
            self.check_idle().await?;
        }
        Ok(())
    }

    async fn await_cancel(&self) {
        let task = self
            .pending_cancel
            .lock()
            .ok()
            .and_then(|mut slot| slot.take());
        if let Some(task) = task {
            // The task bounds itself by CANCEL_TIMEOUT and never panics.
            let _ = task.await;
        }
    }

    /// Makes sure the server is idle and outside any transaction, as the
    /// pool must before handing the connection out: waits for a cancel
    /// request in flight, asks the server whether a transaction is open
    /// (`now()` is the transaction's start, `statement_timestamp()` this
    /// statement's: they differ only inside a transaction begun earlier),
    /// and rolls it back if one is. On any failure the connection is marked
    /// closed.
    pub(crate) async fn check_idle(&self) -> Result<()> {
        self.await_cancel().await;
        let checked = async {
            let in_transaction = match self
                .client
                .simple_query("SELECT now() = statement_timestamp()")
                .await
            {
                Ok(messages) => !messages
                    .iter()
                    .any(|m| matches!(m, SimpleQueryMessage::Row(row) if row.get(0) == Some("t"))),
                // 25P02: inside a transaction a statement already aborted.
                Err(e) if e.code().map(|c| c.code()) == Some("25P02") => true,
                Err(e) => return Err(self.fail(e)),
            };
            if in_transaction {
                tracing::warn!(
                    target: "quarry::postgres",
                    "connection left inside a transaction: rolling it back"
                );
                self.client
                    .batch_execute("ROLLBACK")
                    .await
                    .map_err(|e| self.fail(e))?;
            }
            Ok(())
        }
        .await;
        match checked {
            Ok(()) => {
                self.aborted.store(false, Ordering::Relaxed);
                self.state.store(STATE_CLEAN, Ordering::Relaxed);
                Ok(())
            }
            Err(e) => {
                self.broken.store(true, Ordering::Relaxed);
                Err(e)
            }
        }
    }
}

/// Whether `sql` may begin a transaction: it mentions `BEGIN` or `START`
/// in any case. A false alarm costs one round trip when the pool next hands
/// the connection out.
///
/// It runs for every statement not run through the statement cache (and
/// once per cached statement, when it is prepared), so it looks at each
/// byte once and compares a window only where a `b` or an `s` starts one.
pub(crate) fn mentions_transaction_control(sql: &str) -> bool {
    let bytes = sql.as_bytes();
    bytes.iter().enumerate().any(|(i, &b)| {
        matches!(b | 0x20, b'b' | b's')
            && bytes.get(i..i + 5).is_some_and(|w| {
                w.eq_ignore_ascii_case(b"begin") || w.eq_ignore_ascii_case(b"start")
            })
    })
}

#[cfg(test)]
mod tests {
    use super::mentions_transaction_control;

    #[test]
    fn transaction_control() {
        assert!(mentions_transaction_control(
            "BEGIN; INSERT INTO t VALUES (1)"
        ));
        assert!(mentions_transaction_control("start transaction"));
        assert!(!mentions_transaction_control("SELECT 1"));
        assert!(mentions_transaction_control("x; Begin"));
        assert!(!mentions_transaction_control(
            "SELECT \"users\".\"id\" FROM \"users\" WHERE s = $1"
        ));
        assert!(!mentions_transaction_control("star"));
    }
}
