//! Read replicas: a primary pool for writes and transactions, replica pools
//! for reads that can be stale.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::time::{Duration, Instant};

use tokio::sync::OnceCell;

use super::config::{PoolConfig, parse_target};
use super::connection::Connection;
use super::pool::{Pool, PooledConnection};
use super::tls::Tls;
use super::transaction::TransactionOptions;
use crate::error::{Error, Result, Retryable};
use crate::retry::RetryPolicy;

/// Settings of a [`Router`].
///
/// ```
/// use std::time::Duration;
/// use quarry_runtime::postgres::{PoolConfig, RouterConfig};
///
/// let config = RouterConfig::default()
///     .replica_pool(PoolConfig::default().max_size(20))
///     .skip_failed_replica_for(Duration::from_secs(2))
///     .fall_back_to_primary(false);
/// assert!(!config.fall_back_to_primary);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RouterConfig {
    /// The primary's pool. Default [`PoolConfig::default()`].
    pub primary_pool: PoolConfig,
    /// Each replica's pool. Default [`PoolConfig::default()`] with a
    /// `connect_timeout` of 2 seconds, so that an unreachable replica is
    /// skipped quickly.
    pub replica_pool: PoolConfig,
    /// How long reads skip a replica that failed: one that could not be
    /// connected to, lost its connection, or failed a health check. Then
    /// the next read (or health check) tries it again. Default 5 seconds.
    pub skip_failed_replica_for: Duration,
    /// How often a background task pings every replica (`SELECT 1` on a
    /// pooled connection), marking the ones that fail as down and the ones
    /// that answer again as up. `None`: only reads find out. Default 5
    /// seconds.
    pub health_check_interval: Option<Duration>,
    /// Whether reads go to the primary when no replica is up (otherwise
    /// they fail with the last replica's error). Default `true`.
    pub fall_back_to_primary: bool,
}

impl Default for RouterConfig {
    fn default() -> Self {
        RouterConfig {
            primary_pool: PoolConfig::default(),
            replica_pool: PoolConfig::default().connect_timeout(Some(Duration::from_secs(2))),
            skip_failed_replica_for: Duration::from_secs(5),
            health_check_interval: Some(Duration::from_secs(5)),
            fall_back_to_primary: true,
        }
    }
}

impl RouterConfig {
    /// Sets [`primary_pool`](Self::primary_pool).
    #[must_use]
    pub fn primary_pool(mut self, config: PoolConfig) -> Self {
        self.primary_pool = config;
        self
    }

    /// Sets [`replica_pool`](Self::replica_pool).
    #[must_use]
    pub fn replica_pool(mut self, config: PoolConfig) -> Self {
        self.replica_pool = config;
        self
    }

    /// Sets [`skip_failed_replica_for`](Self::skip_failed_replica_for).
    #[must_use]
    pub fn skip_failed_replica_for(mut self, pause: Duration) -> Self {
        self.skip_failed_replica_for = pause;
        self
    }

    /// Sets [`health_check_interval`](Self::health_check_interval).
    #[must_use]
    pub fn health_check_interval(mut self, interval: Option<Duration>) -> Self {
        self.health_check_interval = interval;
        self
    }

    /// Sets [`fall_back_to_primary`](Self::fall_back_to_primary).
    #[must_use]
    pub fn fall_back_to_primary(mut self, fall_back: bool) -> Self {
        self.fall_back_to_primary = fall_back;
        self
    }
}

/// One replica: its pool, opened on first use, and whether it is down.
struct Replica {
    url: String,
    pool: OnceCell<Pool>,
    down_until: Mutex<Option<Instant>>,
}

impl Replica {
    fn is_down(&self, now: Instant) -> bool {
        let down = self
            .down_until
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        down.is_some_and(|until| now < until)
    }

    fn mark(&self, down_for: Option<Duration>) {
        *self
            .down_until
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = down_for.map(|pause| Instant::now() + pause);
    }

    async fn pool(&self, config: &PoolConfig) -> Result<&Pool> {
        self.pool
            .get_or_try_init(|| Pool::with_config(&self.url, config.clone()))
            .await
    }

    async fn get(&self, config: &PoolConfig) -> Result<PooledConnection> {
        self.pool(config).await?.get().await
    }
}

/// Whether `e` says the server is unreachable, rather than the statement
/// or the settings being wrong.
fn is_unavailable(e: &Error) -> bool {
    matches!(
        e,
        Error::Connect { .. } | Error::ConnectionLost { .. } | Error::Timeout { .. }
    )
}

struct Inner {
    primary: Pool,
    replicas: Vec<Replica>,
    next: AtomicUsize,
    config: RouterConfig,
}

/// A primary and its read replicas: writes and transactions go to the
/// primary, reads that may be slightly stale to a replica.
///
/// - `&Router` runs everything on the primary: writes, transactions, and
///   reads that must see the caller's own writes (read-your-writes). It is
///   the default because it is always correct.
/// - [`router.read()`](Self::read) is a [`Reads`] view whose connections
///   come from the replicas, round-robin, skipping replicas that failed to
///   connect or failed a health check (for
///   [`skip_failed_replica_for`](RouterConfig::skip_failed_replica_for)),
///   and from the primary when none is up (unless
///   [`fall_back_to_primary`](RouterConfig::fall_back_to_primary) is off).
///
/// Which statements read is the caller's choice, not a guess from the SQL:
/// a `SELECT` may write (`nextval()`, a function, a writable CTE), and
/// which read may be stale depends on what the caller wrote before it.
/// A replica lags the primary by the time its WAL takes to arrive and be
/// replayed, usually milliseconds but unbounded under load.
///
/// Cloning a `Router` is cheap and shares the pools.
///
/// ```no_run
/// # async fn demo() -> quarry_runtime::Result<()> {
/// use quarry_runtime::Value;
/// use quarry_runtime::postgres::Router;
///
/// let router = Router::connect(
///     "postgres://app@primary/app",
///     &["postgres://app@replica-1/app", "postgres://app@replica-2/app"],
/// )
/// .await?;
/// // A write, on the primary.
/// router.get().await?
///     .execute_static("UPDATE users SET seen = now() WHERE id = $1", &[Value::Int(7)])
///     .await?;
/// // A read that may lag, on a replica.
/// let rows = router.read().get().await?
///     .query_static("SELECT name FROM users WHERE id = $1", &[Value::Int(7)])
///     .await?;
/// # let _ = rows; Ok(()) }
/// ```
#[derive(Clone)]
pub struct Router {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Router {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let now = Instant::now();
        f.debug_struct("Router")
            .field("primary", &self.inner.primary)
            .field(
                "replicas_up",
                &self
                    .inner
                    .replicas
                    .iter()
                    .filter(|r| !r.is_down(now))
                    .count(),
            )
            .field("replicas", &self.inner.replicas.len())
            .finish_non_exhaustive()
    }
}

impl Router {
    /// A router with [`RouterConfig::default()`]: a pool on `primary`, and
    /// one on each of `replicas` (URLs as for
    /// [`Connection::connect`](super::Connection::connect), each with its
    /// own `quarry_statements`).
    ///
    /// Connects to the primary now, so a wrong primary URL fails here. A
    /// replica that cannot be reached does not fail this: it is marked down
    /// and tried again later; a replica URL that does not parse does.
    pub async fn connect(primary: &str, replicas: &[&str]) -> Result<Router> {
        Self::with_config(primary, replicas, RouterConfig::default()).await
    }

    /// Like [`connect`](Self::connect), with `config`.
    pub async fn with_config(
        primary: &str,
        replicas: &[&str],
        config: RouterConfig,
    ) -> Result<Router> {
        for url in replicas {
            // A bad replica URL, or a TLS setting that cannot be met
            // (an unreadable sslrootcert), fails now.
            Tls::for_request(&parse_target(url)?.tls)?;
        }
        config.replica_pool.validate()?;
        let primary = Pool::with_config(primary, config.primary_pool.clone()).await?;
        let replicas = replicas
            .iter()
            .map(|url| Replica {
                url: (*url).to_owned(),
                pool: OnceCell::new(),
                down_until: Mutex::new(None),
            })
            .collect();
        let router = Router {
            inner: Arc::new(Inner {
                primary,
                replicas,
                next: AtomicUsize::new(0),
                config,
            }),
        };
        router.check_replicas().await;
        if let Some(interval) = router.inner.config.health_check_interval {
            spawn_health_checks(Arc::downgrade(&router.inner), interval);
        }
        Ok(router)
    }

    /// The primary's pool.
    pub fn primary(&self) -> &Pool {
        &self.inner.primary
    }

    /// A connection to the primary, for writes, transactions and reads
    /// that must see earlier writes.
    pub async fn get(&self) -> Result<PooledConnection> {
        self.inner.primary.get().await
    }

    /// Reads that may run on a replica; see [`Reads`].
    pub fn read(&self) -> Reads<'_> {
        Reads {
            router: self,
            primary: false,
        }
    }

    /// How many replicas are configured, and how many are up now.
    pub fn replicas_up(&self) -> (usize, usize) {
        let now = Instant::now();
        let up = self
            .inner
            .replicas
            .iter()
            .filter(|r| !r.is_down(now))
            .count();
        (self.inner.replicas.len(), up)
    }

    /// Pings every replica once (`SELECT 1` on a pooled connection) and
    /// marks each up or down by the answer. The background task of
    /// [`health_check_interval`](RouterConfig::health_check_interval)
    /// calls this.
    pub async fn check_replicas(&self) {
        check_replicas(&self.inner).await;
    }

    /// A connection to the next replica that is up, round-robin, or to the
    /// primary when none is (if allowed).
    async fn replica(&self) -> Result<PooledConnection> {
        let inner = &*self.inner;
        let count = inner.replicas.len();
        let start = inner.next.fetch_add(1, Ordering::Relaxed);
        let mut last_error = None;
        for i in 0..count {
            let replica = &inner.replicas[(start + i) % count];
            if replica.is_down(Instant::now()) {
                continue;
            }
            match replica.get(&inner.config.replica_pool).await {
                Ok(conn) => return Ok(conn),
                Err(e) if is_unavailable(&e) => {
                    tracing::warn!(
                        target: "quarry::postgres",
                        error = %e,
                        "read replica unavailable: skipping it"
                    );
                    replica.mark(Some(inner.config.skip_failed_replica_for));
                    last_error = Some(e);
                }
                Err(e) => return Err(e),
            }
        }
        if inner.config.fall_back_to_primary || count == 0 {
            if count > 0 {
                tracing::debug!(target: "quarry::postgres", "no read replica is up: reading from the primary");
            }
            return inner.primary.get().await;
        }
        Err(last_error.unwrap_or_else(|| Error::Connect {
            target: "every read replica".to_owned(),
            source: "each failed within skip_failed_replica_for, and fall_back_to_primary is off"
                .into(),
        }))
    }

    /// Runs `f` in a transaction on the primary; see
    /// [`Connection::transaction`].
    pub async fn transaction<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: AsyncFnOnce(&mut Connection) -> Result<T, E>,
        E: From<Error>,
    {
        self.inner.primary.transaction(f).await
    }

    /// Runs `f` in a transaction on the primary, again after serialization
    /// failures and deadlocks; see [`Connection::transaction_with_retry`].
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
        self.inner
            .primary
            .transaction_with_retry(options, policy, f)
            .await
    }
}

async fn check_replicas(inner: &Inner) {
    for replica in &inner.replicas {
        let checked = async { replica.get(&inner.config.replica_pool).await?.ping().await }.await;
        match checked {
            Ok(()) => replica.mark(None),
            Err(e) => {
                tracing::warn!(target: "quarry::postgres", error = %e, "read replica failed its health check");
                replica.mark(Some(inner.config.skip_failed_replica_for));
            }
        }
    }
}

/// Checks the replicas every `interval` until the router is dropped.
fn spawn_health_checks(inner: Weak<Inner>, interval: Duration) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(interval);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        ticks.tick().await;
        loop {
            ticks.tick().await;
            let Some(inner) = inner.upgrade() else { break };
            check_replicas(&inner).await;
        }
    });
}

/// Reads of a [`Router`] that may be served by a replica: what
/// [`Router::read`] returns. Outside a transaction only; a transaction
/// always runs on the primary.
///
/// [`primary`](Self::primary) pins the view's reads to the primary, for
/// code that takes a `Reads` and must see a write it just made.
///
/// ```no_run
/// # async fn demo(router: &quarry_runtime::postgres::Router) -> quarry_runtime::Result<()> {
/// let reads = router.read();
/// let stale_ok = reads.get().await?; // a replica, or the primary if none is up
/// let fresh = reads.primary().get().await?; // always the primary
/// # let _ = (stale_ok, fresh); Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Reads<'r> {
    router: &'r Router,
    primary: bool,
}

impl<'r> Reads<'r> {
    /// The same reads, pinned to the primary (read-your-writes).
    #[must_use]
    pub fn primary(self) -> Reads<'r> {
        Reads {
            primary: true,
            ..self
        }
    }

    /// Whether this view reads from the primary only.
    pub fn is_pinned_to_primary(&self) -> bool {
        self.primary
    }

    /// A connection for one read: from a replica that is up, round-robin,
    /// or from the primary (when pinned, or when no replica is up and
    /// [`fall_back_to_primary`](RouterConfig::fall_back_to_primary) is on).
    pub async fn get(&self) -> Result<PooledConnection> {
        if self.primary {
            return self.router.get().await;
        }
        self.router.replica().await
    }
}
