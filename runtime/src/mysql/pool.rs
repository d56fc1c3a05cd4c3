//! A pool of [`Connection`]s over deadpool, with the PostgreSQL pool's
//! settings.

use std::ops::{Deref, DerefMut};
use std::sync::Arc;
use std::time::{Duration, Instant};

use deadpool::Runtime;
use deadpool::managed::{self, Metrics, Object, PoolError, QueueMode, RecycleError, TimeoutType};
use mysql_async::Opts;

use super::config::PoolConfig;
use super::connection::{Connection, parse_url};
use super::transaction::TransactionOptions;
use crate::error::{Error, Result, Retryable};
use crate::retry::RetryPolicy;

/// Opens, checks and retires the pool's connections.
#[derive(Debug)]
pub struct Manager {
    opts: Opts,
    config: PoolConfig,
}

impl Manager {
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
        let connecting = Connection::open(self.opts.clone(), self.config.statement_timeout);
        match self.config.connect_timeout {
            Some(after) => {
                tokio::time::timeout(after, connecting)
                    .await
                    .map_err(|_| Error::Timeout {
                        setting: "connect_timeout",
                        after,
                    })?
            }
            None => connecting.await,
        }
    }

    async fn recycle(
        &self,
        conn: &mut Connection,
        metrics: &Metrics,
    ) -> managed::RecycleResult<Error> {
        if let Some(reason) = self.retire_reason(conn, metrics) {
            tracing::debug!(target: "quarry::mysql", reason, "closing a pooled connection");
            return Err(RecycleError::message(reason));
        }
        if self.config.test_on_checkout
            && let Err(e) = conn.ping().await
        {
            tracing::debug!(target: "quarry::mysql", error = %e, "pooled connection failed its health check");
            return Err(RecycleError::Backend(e));
        }
        conn.idle_since = None;
        Ok(())
    }
}

/// A pool of MariaDB/MySQL connections.
///
/// Cloning a `Pool` is cheap and shares the connections. Connections are
/// opened on demand up to [`PoolConfig::max_size`], handed out most
/// recently used first, and replaced when closed, broken, returned inside a
/// transaction, older than `max_lifetime` or idle longer than
/// `idle_timeout` (and with `test_on_checkout`, when they do not answer a
/// ping). A statement run on `&Pool` checks a connection out for itself.
///
/// ```no_run
/// # async fn demo() -> quarry_runtime::Result<()> {
/// use quarry_runtime::mysql::{Pool, PoolConfig};
/// let pool = Pool::with_config("mysql://root@127.0.0.1:3306/test", PoolConfig::default().max_size(4)).await?;
/// assert_eq!(pool.status().max_size, 4);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Pool {
    inner: managed::Pool<Manager, Object<Manager>>,
    config: Arc<PoolConfig>,
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
    /// A pool with [`PoolConfig::default()`] settings. Opens one connection
    /// to check the URL, so a wrong URL or an unreachable server fails here.
    ///
    /// ```no_run
    /// # async fn demo() -> quarry_runtime::Result<()> {
    /// let pool = quarry_runtime::mysql::Pool::connect("mysql://root@127.0.0.1:3306/test").await?;
    /// pool.ping().await?;
    /// # Ok(()) }
    /// ```
    pub async fn connect(url: &str) -> Result<Pool> {
        Self::with_config(url, PoolConfig::default()).await
    }

    /// A pool with `config`; see [`connect`](Self::connect).
    ///
    /// ```no_run
    /// # async fn demo() -> quarry_runtime::Result<()> {
    /// use std::time::Duration;
    /// use quarry_runtime::mysql::{Pool, PoolConfig};
    /// let config = PoolConfig::default().statement_timeout(Some(Duration::from_secs(5)));
    /// let pool = Pool::with_config("mysql://root@127.0.0.1:3306/test", config).await?;
    /// # let _ = pool; Ok(()) }
    /// ```
    pub async fn with_config(url: &str, config: PoolConfig) -> Result<Pool> {
        config.validate()?;
        if tokio::runtime::Handle::try_current().is_err() {
            return Err(Error::Config(
                "a MariaDB/MySQL pool must be created inside a Tokio runtime".into(),
            ));
        }
        let manager = Manager {
            opts: parse_url(url)?,
            config: config.clone(),
        };
        let inner = managed::Pool::builder(manager)
            .max_size(config.max_size)
            .wait_timeout(config.wait_timeout)
            .create_timeout(None)
            .recycle_timeout(config.connect_timeout)
            .queue_mode(QueueMode::Lifo)
            .runtime(Runtime::Tokio1)
            .build()
            .map_err(|e| Error::Config(format!("cannot build the pool: {e}")))?;
        let pool = Pool {
            inner,
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
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(period);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                let Some(pool) = weak.upgrade() else { break };
                let manager = pool.manager();
                pool.retain(|conn, metrics| manager.retire_reason(conn, &metrics).is_none());
            }
        });
    }

    /// A connection from the pool, opening one if none is idle and the
    /// pool is not full; waits at most [`PoolConfig::wait_timeout`], then
    /// fails with [`Error::PoolTimeout`].
    ///
    /// ```no_run
    /// # async fn demo(pool: &quarry_runtime::mysql::Pool) -> quarry_runtime::Result<()> {
    /// let conn = pool.get().await?;
    /// conn.ping().await?;
    /// # Ok(()) }
    /// ```
    pub async fn get(&self) -> Result<PooledConnection> {
        let started = Instant::now();
        let object = self.inner.get().await.map_err(|e| match e {
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
        })?;
        Ok(PooledConnection { object })
    }

    /// Pings the server on a pooled connection.
    ///
    /// ```no_run
    /// # async fn demo(pool: &quarry_runtime::mysql::Pool) -> quarry_runtime::Result<()> {
    /// pool.ping().await?;
    /// # Ok(()) }
    /// ```
    pub async fn ping(&self) -> Result<()> {
        self.get().await?.ping().await
    }

    /// Runs `f` in a transaction on a pooled connection; see
    /// [`Connection::transaction`].
    ///
    /// ```no_run
    /// # async fn demo(pool: &quarry_runtime::mysql::Pool) -> quarry_runtime::Result<()> {
    /// use quarry_runtime::{Error, Value};
    /// pool.transaction(async |tx| {
    ///     tx.execute("DELETE FROM sessions WHERE user_id = ?", &[Value::Int(7)]).await?;
    ///     Ok::<_, Error>(())
    /// })
    /// .await?;
    /// # Ok(()) }
    /// ```
    pub async fn transaction<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: AsyncFnOnce(&mut Connection) -> Result<T, E>,
        E: From<Error>,
    {
        let mut conn = self.get().await?;
        conn.transaction(f).await
    }

    /// Runs `f` in a transaction on a pooled connection, again after
    /// deadlocks and lock wait timeouts; see
    /// [`Connection::transaction_with_retry`].
    ///
    /// ```no_run
    /// # async fn demo(pool: &quarry_runtime::mysql::Pool) -> quarry_runtime::Result<()> {
    /// use quarry_runtime::mysql::TransactionOptions;
    /// use quarry_runtime::{Error, RetryPolicy, Value};
    /// pool.transaction_with_retry(TransactionOptions::default(), RetryPolicy::default(), async |tx| {
    ///     tx.execute("UPDATE stock SET n = n - 1 WHERE id = ?", &[Value::Int(7)]).await?;
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
        self.inner.close();
    }
}

/// A [`Connection`] checked out of a [`Pool`]; returns to it when dropped.
/// Dereferences to [`Connection`].
pub struct PooledConnection {
    object: Object<Manager>,
}

impl std::fmt::Debug for PooledConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("PooledConnection")
            .field(&*self.object)
            .finish()
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
