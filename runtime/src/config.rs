//! Pool settings, shared by the PostgreSQL and MariaDB/MySQL pools.

use std::time::Duration;

use crate::error::{Error, Result};

/// Settings of a pool, PostgreSQL's or MariaDB's: one type with the same
/// fields and defaults for both (`quarry_runtime::postgres::PoolConfig`
/// and `quarry_runtime::mysql::PoolConfig` are this type).
///
/// Start from [`PoolConfig::default()`] and change fields, directly or with
/// the chaining setters:
///
/// ```
/// use std::time::Duration;
/// use quarry_runtime::PoolConfig;
///
/// let config = PoolConfig::default()
///     .max_size(4)
///     .wait_timeout(Some(Duration::from_secs(2)))
///     .statement_timeout(Some(Duration::from_secs(30)))
///     .test_on_checkout(true);
/// assert_eq!(config.max_size, 4);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PoolConfig {
    /// The most connections the pool holds, checked out or idle. Default 10.
    pub max_size: usize,
    /// How long the pool's `get` waits for a connection when
    /// all `max_size` are checked out before failing with
    /// [`Error::PoolTimeout`] (`setting: "wait_timeout"`). `None` waits
    /// forever. Default 30 seconds.
    pub wait_timeout: Option<Duration>,
    /// How long opening a new connection may take before failing with
    /// [`Error::Timeout`] (`setting: "connect_timeout"`); also bounds the
    /// checks of a connection before it is handed out again (one that fails
    /// them is replaced). `None` waits as long as the operating system
    /// does. Default 10 seconds.
    pub connect_timeout: Option<Duration>,
    /// How long each statement on the pool's connections may run before it
    /// fails with [`Error::Timeout`] (`setting: "statement_timeout"`).
    /// On PostgreSQL quarry measures it and cancels the statement on the
    /// server, then closes the connection; a scope can override it with
    /// `quarry_runtime::postgres::with_statement_timeout`. On MariaDB the
    /// server is told (`max_statement_time`) and stops the statement, and
    /// quarry waits at most a second longer itself before closing the
    /// connection. Either way a server or network that stopped answering
    /// is caught. Per connection: the connection's
    /// `set_statement_timeout`. `None` (the default) does not bound
    /// statements.
    pub statement_timeout: Option<Duration>,
    /// Connections older than this are closed instead of being handed out,
    /// and closed in the background while idle. `None` keeps them forever.
    /// Default 30 minutes.
    pub max_lifetime: Option<Duration>,
    /// Connections idle in the pool for longer than this are closed (in the
    /// background, and at the latest when next checked out). `None` keeps
    /// them. Default 10 minutes.
    pub idle_timeout: Option<Duration>,
    /// Runs `SELECT 1` on a connection before handing it out, and replaces it
    /// if that fails (SQLAlchemy's `pool_pre_ping`). Costs one round trip
    /// per checkout. Without it, only connections already known to be closed
    /// or broken are replaced. Default `false`.
    pub test_on_checkout: bool,
}

impl Default for PoolConfig {
    fn default() -> Self {
        PoolConfig {
            max_size: 10,
            wait_timeout: Some(Duration::from_secs(30)),
            connect_timeout: Some(Duration::from_secs(10)),
            statement_timeout: None,
            max_lifetime: Some(Duration::from_secs(30 * 60)),
            idle_timeout: Some(Duration::from_secs(10 * 60)),
            test_on_checkout: false,
        }
    }
}

impl PoolConfig {
    /// Sets [`max_size`](Self::max_size).
    #[must_use]
    pub fn max_size(mut self, max_size: usize) -> Self {
        self.max_size = max_size;
        self
    }

    /// Sets [`wait_timeout`](Self::wait_timeout).
    #[must_use]
    pub fn wait_timeout(mut self, wait_timeout: Option<Duration>) -> Self {
        self.wait_timeout = wait_timeout;
        self
    }

    /// Sets [`connect_timeout`](Self::connect_timeout).
    #[must_use]
    pub fn connect_timeout(mut self, connect_timeout: Option<Duration>) -> Self {
        self.connect_timeout = connect_timeout;
        self
    }

    /// Sets [`statement_timeout`](Self::statement_timeout).
    #[must_use]
    pub fn statement_timeout(mut self, statement_timeout: Option<Duration>) -> Self {
        self.statement_timeout = statement_timeout;
        self
    }

    /// Sets [`max_lifetime`](Self::max_lifetime).
    #[must_use]
    pub fn max_lifetime(mut self, max_lifetime: Option<Duration>) -> Self {
        self.max_lifetime = max_lifetime;
        self
    }

    /// Sets [`idle_timeout`](Self::idle_timeout).
    #[must_use]
    pub fn idle_timeout(mut self, idle_timeout: Option<Duration>) -> Self {
        self.idle_timeout = idle_timeout;
        self
    }

    /// Sets [`test_on_checkout`](Self::test_on_checkout).
    #[must_use]
    pub fn test_on_checkout(mut self, test_on_checkout: bool) -> Self {
        self.test_on_checkout = test_on_checkout;
        self
    }

    pub(crate) fn validate(&self) -> Result<()> {
        if self.max_size == 0 {
            return Err(Error::Config(
                "PoolConfig::max_size must be at least 1".into(),
            ));
        }
        Ok(())
    }
}
