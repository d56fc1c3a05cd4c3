//! A pool of [`Connection`]s over deadpool.
//!
//! deadpool-postgres' own manager hands out its `ClientWrapper`; quarry's
//! manager hands out quarry's [`Connection`], so that pooled and unpooled
//! connections share one type, one statement cache per physical connection
//! and one transaction bookkeeping.

use std::ops::{Deref, DerefMut};
use std::sync::Arc;
use std::time::{Duration, Instant};

use deadpool::Runtime;
use deadpool::managed::{self, Metrics, Object, PoolError, QueueMode, RecycleError, TimeoutType};

use super::config::{PoolConfig, StatementMode, Target, parse_target};
use super::connection::Connection;
use super::shared::{Lending, Pick, SharedConnection};
use super::tls::Tls;
use super::transaction::TransactionOptions;
use crate::error::{Error, Result, Retryable};
use crate::retry::RetryPolicy;

/// Opens, checks and retires the pool's connections.
#[derive(Debug)]
pub struct Manager {
    pg: tokio_postgres::Config,
    tls: Tls,
    config: PoolConfig,
    mode: StatementMode,
}

impl Manager {
    /// Why `conn` must be closed rather than handed out, if it must.
    fn retire_reason(&self, conn: &Connection, metrics: &Metrics) -> Option<&'static str> {
        if conn.is_closed() {
            return Some("the connection is closed or broken");
        }
        if conn.in_transaction() {
            return Some("the connection was returned inside a transaction");
        }
        if let Some(max) = self.config.max_lifetime
            && metrics.age() >= max
        {
            return Some("max_lifetime elapsed");
        }
        if let Some(max) = self.config.idle_timeout
            && let Some(since) = conn.idle_since
            && since.elapsed() >= max
        {
            return Some("idle_timeout elapsed");
        }
        None
    }
}

impl managed::Manager for Manager {
    type Type = Connection;
    type Error = Error;

    async fn create(&self) -> Result<Connection> {
        let connecting = Connection::connect_config(&self.pg, &self.tls);
        let mut conn = match self.config.connect_timeout {
            Some(after) => tokio::time::timeout(after, connecting)
                .await
                .map_err(|_| Error::Timeout {
                    setting: "connect_timeout",
                    after,
                })??,
            None => connecting.await?,
        };
        conn.statement_timeout = self.config.statement_timeout;
        conn.mode = self.mode;
        Ok(conn)
    }

    async fn recycle(
        &self,
        conn: &mut Connection,
        metrics: &Metrics,
    ) -> managed::RecycleResult<Error> {
        if let Some(reason) = self.retire_reason(conn, metrics) {
            tracing::debug!(target: "quarry::postgres", reason, "closing a pooled connection");
            return Err(RecycleError::message(reason));
        }
        // A cancel request was sent on it: the server acts on one when it
        // gets to it, which could be during the next borrower's statement.
        // Such a connection is closed, its cancelled statement with it.
        if conn.cancel_sent.load(std::sync::atomic::Ordering::Relaxed) {
            tracing::debug!(target: "quarry::postgres", "closing a pooled connection that a cancel request was sent on");
            return Err(RecycleError::message(
                "a cancel request was sent on the connection",
            ));
        }
        // The connection may be inside a transaction it was returned in:
        // make sure the server is idle and outside any transaction before
        // anyone else gets it.
        if conn.needs_check()
            && let Err(e) = conn.check_idle().await
        {
            tracing::debug!(target: "quarry::postgres", error = %e, "pooled connection failed its state check");
            return Err(RecycleError::Backend(e));
        }
        if self.config.test_on_checkout
            && let Err(e) = conn.ping().await
        {
            tracing::debug!(target: "quarry::postgres", error = %e, "pooled connection failed its health check");
            return Err(RecycleError::Backend(e));
        }
        conn.idle_since = None;
        Ok(())
    }
}

/// A pool of PostgreSQL connections.
///
/// Cloning a `Pool` is cheap and shares the connections. Connections are
/// opened on demand up to [`PoolConfig::max_size`], handed out by
/// [`get`](Self::get) most recently used first, and checked before each
/// checkout: closed or broken connections, connections older than
/// `max_lifetime` or idle longer than `idle_timeout` are replaced (and with
/// `test_on_checkout`, connections that do not answer `SELECT 1`). A
/// background task also closes idle connections past those limits.
///
/// A connection is never handed out in an unknown state: one whose
/// statement timed out is closed; one whose statement was abandoned
/// mid-flight (its future dropped) is handed out again only after the
/// cancel request for it was delivered and the server answered a check; and
/// one that may have been returned inside a transaction (quarry's own,
/// interrupted, or one begun with SQL such as
/// `batch_execute("BEGIN; ...")`) is checked and rolled back first.
///
/// # Statements on `&Pool`
///
/// A statement run on the pool itself (`query.load_async(&pool)`) outside
/// a transaction does not check a connection out: it runs on one of the
/// connections the pool lends to such statements ([`shared`](Self::shared)),
/// the least loaded, pipelined with the others running there. Up to
/// `max_size` connections are lent out, as load needs them; [`get`](Self::get)
/// takes one back when it would otherwise wait, and the background task
/// returns idle ones. Transactions and [`get`](Self::get) have a connection
/// to themselves.
#[derive(Clone)]
pub struct Pool {
    inner: managed::Pool<Manager, PooledConnection>,
    config: Arc<PoolConfig>,
    lending: Arc<Lending>,
}

impl std::fmt::Debug for Pool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pool")
            .field("config", &self.config)
            .field("status", &self.status())
            .finish()
    }
}

/// A snapshot of a pool's connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct PoolStatus {
    /// The most connections the pool may hold.
    pub max_size: usize,
    /// Connections open now, checked out or idle.
    pub size: usize,
    /// Idle connections ready to be handed out.
    pub available: usize,
    /// Callers waiting for a connection.
    pub waiting: usize,
}

impl Pool {
    /// A pool with [`PoolConfig::default()`] settings. See
    /// [`Connection::connect`] for `url`.
    ///
    /// Opens one connection to check the settings, so a wrong URL or an
    /// unreachable server fails here rather than at the first query.
    pub async fn connect(url: &str) -> Result<Pool> {
        Self::with_config(url, PoolConfig::default()).await
    }

    /// A pool with `config`. Like [`connect`](Self::connect), opens one
    /// connection to check the settings.
    pub async fn with_config(url: &str, config: PoolConfig) -> Result<Pool> {
        let target = parse_target(url)?;
        let tls = Tls::for_request(&target.tls)?;
        Self::build(target, config, tls).await
    }

    /// Like [`with_config`](Self::with_config), with TLS configured by
    /// `tls` rather than by quarry; see [`Connection::connect_tls`].
    #[cfg(feature = "tls")]
    pub async fn with_tls(
        url: &str,
        config: PoolConfig,
        tls: rustls::ClientConfig,
    ) -> Result<Pool> {
        let target = parse_target(url)?;
        let tls = Tls::custom(&target.tls, tls)?;
        Self::build(target, config, tls).await
    }

    async fn build(target: Target, config: PoolConfig, tls: Tls) -> Result<Pool> {
        config.validate()?;
        if tokio::runtime::Handle::try_current().is_err() {
            return Err(Error::Config(
                "a PostgreSQL pool must be created inside a Tokio runtime".into(),
            ));
        }
        let manager = Manager {
            pg: target.pg,
            tls,
            config: config.clone(),
            mode: target.statements,
        };
        let inner = managed::Pool::builder(manager)
            .max_size(config.max_size)
            .wait_timeout(config.wait_timeout)
            // `Manager::create` bounds connecting itself, to fail with
            // `Error::Timeout`.
            .create_timeout(None)
            .recycle_timeout(config.connect_timeout)
            .queue_mode(QueueMode::Lifo)
            .runtime(Runtime::Tokio1)
            .build()
            .map_err(|e| Error::Config(format!("cannot build the pool: {e}")))?;
        let pool = Pool {
            inner,
            lending: Arc::new(Lending::new(config.max_size)),
            config: Arc::new(config),
        };
        pool.spawn_reaper();
        drop(pool.get().await?);
        Ok(pool)
    }

    /// Closes idle connections past `idle_timeout` or `max_lifetime` in the
    /// background, until the pool is dropped.
    fn spawn_reaper(&self) {
        let period = match (self.config.idle_timeout, self.config.max_lifetime) {
            (None, None) => return,
            (Some(a), Some(b)) => a.min(b),
            (Some(a), None) | (None, Some(a)) => a,
        };
        let period = (period / 2).clamp(Duration::from_millis(50), Duration::from_secs(30));
        let weak = self.inner.weak();
        let lending = Arc::downgrade(&self.lending);
        let max_lifetime = self.config.max_lifetime;
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(period);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                let Some(pool) = weak.upgrade() else { break };
                // Lent connections with no statement in flight go back, and
                // so do those past `max_lifetime`: the pool's own checks
                // then apply to them.
                if let Some(lending) = lending.upgrade() {
                    lending.release_where(|conn| {
                        conn.in_flight() > 0
                            && max_lifetime.is_none_or(|max| {
                                Object::metrics(&conn.pooled().object).age() < max
                            })
                    });
                }
                let manager = pool.manager();
                let removed =
                    pool.retain(|conn, metrics| manager.retire_reason(conn, &metrics).is_none());
                if !removed.removed.is_empty() {
                    tracing::debug!(
                        target: "quarry::postgres",
                        closed = removed.removed.len(),
                        "closed idle pooled connections"
                    );
                }
            }
        });
    }

    /// A connection from the pool, opening one if none is idle and the pool
    /// is not full. Waits at most [`PoolConfig::wait_timeout`] for one to be
    /// returned, then fails with [`Error::PoolTimeout`].
    ///
    /// When every connection is checked out or lent to statements on
    /// `&Pool`, the least loaded lent one is taken back: it is handed out
    /// here once its statements are done.
    pub async fn get(&self) -> Result<PooledConnection> {
        let status = self.inner.status();
        if status.available == 0 && status.size >= status.max_size {
            self.lending.release_one();
        }
        self.checkout().await
    }

    /// A connection shared with the other statements that run on `&Pool`
    /// outside a transaction: the least loaded of those the pool lends out,
    /// or one more checked out and lent when all are busy and the pool has
    /// room. This is what `query.load_async(&pool)` runs on; statements
    /// sent at the same time on it are pipelined.
    ///
    /// See [`SharedConnection`] for what does not belong on it (transactions,
    /// session settings) and for how an abandoned statement is cancelled.
    ///
    /// ```no_run
    /// # async fn demo(pool: &quarry_runtime::postgres::Pool) -> quarry_runtime::Result<()> {
    /// use quarry_runtime::Value;
    ///
    /// let conn = pool.shared().await?;
    /// let rows = conn.query_static("SELECT name FROM users WHERE id = $1", &[Value::Int(7)]).await?;
    /// # let _ = rows; Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// As [`get`](Self::get), when a connection must be checked out to be
    /// lent.
    pub async fn shared(&self) -> Result<SharedConnection> {
        let room = || {
            let status = self.inner.status();
            status.available > 0 || status.size < status.max_size
        };
        loop {
            let pick = match self.lending.pick(room) {
                Pick::Wait => {
                    // Made before the second look, so that a fill ending
                    // in between still wakes it; not before the first,
                    // which nearly always finds a connection.
                    let changed = self.lending.changed();
                    match self.lending.pick(room) {
                        Pick::Wait => {
                            changed.await;
                            continue;
                        }
                        pick => pick,
                    }
                }
                pick => pick,
            };
            match pick {
                Pick::Ready(conn) => return Ok(conn),
                Pick::Wait => continue,
                Pick::Fill => {
                    // Boxed: a checkout's future (deadpool's, which holds
                    // a connect's) is kilobytes, and every statement on
                    // `&Pool` would carry it in its own for a path taken
                    // only while connections are being lent out.
                    let checked_out = Box::pin(self.checkout()).await;
                    match checked_out {
                        Ok(conn) => {
                            if let Some(shared) = self.lending.lend(Some(conn)) {
                                return Ok(shared);
                            }
                        }
                        Err(e) => {
                            self.lending.lend(None);
                            return Err(e);
                        }
                    }
                }
            }
        }
    }

    /// How many connections are lent to statements on `&Pool` now; see
    /// [`shared`](Self::shared).
    pub fn shared_len(&self) -> usize {
        self.lending.len()
    }

    /// A connection checked out of deadpool, its errors mapped.
    async fn checkout(&self) -> Result<PooledConnection> {
        let started = Instant::now();
        self.inner.get().await.map_err(|e| match e {
            PoolError::Timeout(TimeoutType::Wait) => Error::PoolTimeout {
                setting: "wait_timeout",
                waited: started.elapsed(),
            },
            PoolError::Timeout(TimeoutType::Create | TimeoutType::Recycle) => Error::Timeout {
                setting: "connect_timeout",
                after: self.config.connect_timeout.unwrap_or_default(),
            },
            PoolError::Backend(e) => e,
            PoolError::Closed => Error::Config("the pool is closed".into()),
            PoolError::NoRuntimeSpecified => Error::Config("the pool has no runtime".into()),
            PoolError::PostCreateHook(e) => Error::Config(format!("pool hook failed: {e}")),
        })
    }

    /// Runs `SELECT 1` on a pooled connection.
    pub async fn ping(&self) -> Result<()> {
        self.get().await?.ping().await
    }

    /// Runs `f` in a transaction on a pooled connection; see
    /// [`Connection::transaction`], in particular for what a dropped future
    /// means once `COMMIT` was sent: its outcome cannot be known.
    pub async fn transaction<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: AsyncFnOnce(&mut Connection) -> Result<T, E>,
        E: From<Error>,
    {
        let mut conn = self.get().await?;
        conn.transaction(f).await
    }

    /// Runs `f` in a transaction on a pooled connection, again after
    /// serialization failures and deadlocks; see
    /// [`Connection::transaction_with_retry`], the way to retry
    /// transactions.
    ///
    /// ```no_run
    /// # async fn demo(pool: &quarry_runtime::postgres::Pool) -> quarry_runtime::Result<()> {
    /// use quarry_runtime::postgres::{IsolationLevel, TransactionOptions};
    /// use quarry_runtime::{Error, RetryPolicy, Value};
    ///
    /// let options = TransactionOptions::default().isolation(IsolationLevel::Serializable);
    /// pool.transaction_with_retry(options, RetryPolicy::default(), async |tx| {
    ///     tx.execute_static("UPDATE stock SET n = n - 1 WHERE id = $1", &[Value::Int(7)])
    ///         .await?;
    ///     Ok::<_, Error>(())
    /// })
    /// .await?;
    /// # Ok(()) }
    /// ```
    pub async fn transaction_with_retry<T, E, F>(
        &self,
        options: TransactionOptions,
        policy: RetryPolicy,
        f: F,
    ) -> Result<T, E>
    where
        F: AsyncFnMut(&mut Connection) -> Result<T, E>,
        E: From<Error> + Retryable,
    {
        let mut conn = self.get().await?;
        conn.transaction_with_retry(options, policy, f).await
    }

    /// The pool's settings.
    pub fn config(&self) -> &PoolConfig {
        &self.config
    }

    /// How many connections are open, idle and awaited.
    pub fn status(&self) -> PoolStatus {
        let status = self.inner.status();
        PoolStatus {
            max_size: status.max_size,
            size: status.size,
            available: status.available,
            waiting: status.waiting,
        }
    }

    /// Closes the pool: idle connections close now, checked-out ones when
    /// returned, and [`get`](Self::get) fails from now on.
    pub fn close(&self) {
        self.lending.release_where(|_| false);
        self.inner.close();
    }
}

/// A [`Connection`] checked out of a [`Pool`]; returns to it when dropped.
///
/// Dereferences to [`Connection`], so it has every query method, and
/// `transaction` through `&mut`.
pub struct PooledConnection {
    pub(crate) object: Object<Manager>,
}

impl std::fmt::Debug for PooledConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("PooledConnection")
            .field(&*self.object)
            .finish()
    }
}

impl From<Object<Manager>> for PooledConnection {
    fn from(object: Object<Manager>) -> Self {
        PooledConnection { object }
    }
}

impl Deref for PooledConnection {
    type Target = Connection;

    fn deref(&self) -> &Connection {
        &self.object
    }
}

impl DerefMut for PooledConnection {
    fn deref_mut(&mut self) -> &mut Connection {
        &mut self.object
    }
}

impl Drop for PooledConnection {
    fn drop(&mut self) {
        self.object.idle_since = Some(Instant::now());
    }
}
