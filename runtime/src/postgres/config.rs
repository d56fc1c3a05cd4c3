//! Connection URLs, TLS and pool settings.

use std::time::Duration;

use crate::error::{Error, Result};

/// Parses a `postgres://` URL (or a `key=value` connection string) into
/// the driver's configuration, without quarry's own parameter, and the
/// [`StatementMode`] its [`STATEMENTS_PARAM`] asks for.
pub(crate) fn parse_target(url: &str) -> Result<(tokio_postgres::Config, StatementMode)> {
    let (rest, mode) = take_statements_param(url)?;
    let config = rest
        .parse::<tokio_postgres::Config>()
        .map_err(|e| Error::Config(format!("invalid PostgreSQL connection string: {e}")))?;
    Ok((config, mode))
}

/// The connection-string parameter that chooses a connection's
/// [`StatementMode`]: `quarry_statements=unnamed` or `=cached` (the
/// default). quarry removes it before the driver reads the rest.
pub const STATEMENTS_PARAM: &str = "quarry_statements";

/// How a connection sends its statements to the server, chosen with the
/// connection string's `quarry_statements` parameter.
///
/// ```
/// use quarry_runtime::postgres::StatementMode;
///
/// assert_eq!(StatementMode::default(), StatementMode::Cached);
/// // Behind PgBouncer in transaction pooling mode:
/// let url = "postgres://app@pgbouncer:6432/app?quarry_statements=unnamed";
/// # let _ = url;
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StatementMode {
    /// Statements of constant text are prepared once per connection as
    /// named server-side statements and cached (`quarry_statements=cached`,
    /// the default). A named statement belongs to one server session, which
    /// a transaction-pooling proxy does not keep.
    #[default]
    Cached,
    /// Every statement runs as the protocol's unnamed statement, parsed,
    /// bound and executed in one round trip with its parameters' declared
    /// types (`quarry_statements=unnamed`), so that it never depends on the
    /// server session outliving a transaction: the setting for PgBouncer in
    /// `pool_mode = transaction` (or any proxy that pools transactions).
    ///
    /// A parameter whose type quarry does not declare (JSON, SQL types
    /// declared outside quarry, raw SQL given as a plain `&str`) needs the
    /// server to infer it. The connection then prepares the statement once
    /// inside a transaction of its own (or the caller's), reads the
    /// inferred types and closes it before that transaction ends; for SQL
    /// of constant text the types are remembered, so later runs take one
    /// round trip as well.
    Unnamed,
}

/// Removes [`STATEMENTS_PARAM`] from a URL's query string or a
/// `key=value` string, returning the rest and the mode it asked for.
fn take_statements_param(url: &str) -> Result<(std::borrow::Cow<'_, str>, StatementMode)> {
    let parse_mode = |value: &str| match value {
        "cached" => Ok(StatementMode::Cached),
        "unnamed" => Ok(StatementMode::Unnamed),
        other => Err(Error::Config(format!(
            "invalid {STATEMENTS_PARAM} `{other}`: expected `cached` or `unnamed`"
        ))),
    };
    let prefix = format!("{STATEMENTS_PARAM}=");
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let Some((base, query)) = url.split_once('?') else {
            return Ok((url.into(), StatementMode::Cached));
        };
        let mut mode = StatementMode::Cached;
        let mut kept = Vec::new();
        for pair in query.split('&') {
            match pair.strip_prefix(&prefix) {
                Some(value) => mode = parse_mode(value)?,
                None => kept.push(pair),
            }
        }
        if kept.is_empty() {
            return Ok((base.to_owned().into(), mode));
        }
        return Ok((format!("{base}?{}", kept.join("&")).into(), mode));
    }
    // `key=value` pairs separated by whitespace: cut out the one pair.
    let at = url
        .match_indices(&prefix)
        .map(|(i, _)| i)
        .find(|&i| url[..i].chars().next_back().is_none_or(char::is_whitespace));
    let Some(start) = at else {
        return Ok((url.into(), StatementMode::Cached));
    };
    let value_start = start + prefix.len();
    let end = url[value_start..]
        .find(char::is_whitespace)
        .map_or(url.len(), |i| value_start + i);
    let mode = parse_mode(&url[value_start..end])?;
    Ok((format!("{}{}", &url[..start], &url[end..]).into(), mode))
}

/// The hosts a connection tries, as `host:port` joined by `, `, for
/// [`Error::Connect`].
pub(crate) fn connect_target(config: &tokio_postgres::Config) -> String {
    use tokio_postgres::config::Host;
    let ports = config.get_ports();
    let port = |i: usize| ports.get(i).or(ports.first()).copied().unwrap_or(5432);
    let mut hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .enumerate()
        .map(|(i, host)| match host {
            Host::Tcp(name) => format!("{name}:{}", port(i)),
            #[cfg(unix)]
            Host::Unix(path) => format!("{}/.s.PGSQL.{}", path.display(), port(i)),
        })
        .collect();
    if hosts.is_empty() {
        hosts.extend(
            config
                .get_hostaddrs()
                .iter()
                .enumerate()
                .map(|(i, a)| format!("{a}:{}", port(i))),
        );
    }
    if hosts.is_empty() {
        return "the default host".to_owned();
    }
    hosts.join(", ")
}

/// How a connection negotiates TLS. The URL's `sslmode` decides whether TLS
/// is attempted; this decides with what.
#[derive(Clone)]
pub(crate) enum Tls {
    /// Plain TCP or a Unix socket.
    #[cfg_attr(feature = "tls", allow(dead_code))]
    None,
    /// `native-tls` (OpenSSL, Secure Transport or SChannel).
    #[cfg(feature = "tls")]
    Native(postgres_native_tls::MakeTlsConnector),
}

impl Tls {
    /// What [`Connection::connect`](super::Connection::connect) uses: plain
    /// TCP, or with the `tls` feature the platform's TLS with its default
    /// root certificates (used when the URL's `sslmode` asks for it).
    pub(crate) fn default_for_features() -> Result<Tls> {
        #[cfg(feature = "tls")]
        {
            let connector = native_tls::TlsConnector::new()
                .map_err(|e| Error::Config(format!("cannot set up TLS: {e}")))?;
            Ok(Tls::Native(postgres_native_tls::MakeTlsConnector::new(
                connector,
            )))
        }
        #[cfg(not(feature = "tls"))]
        {
            Ok(Tls::None)
        }
    }
}

impl std::fmt::Debug for Tls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Tls::None => f.write_str("Tls::None"),
            #[cfg(feature = "tls")]
            Tls::Native(_) => f.write_str("Tls::Native"),
        }
    }
}

/// Settings of a [`Pool`](super::Pool).
///
/// Start from [`PoolConfig::default()`] and change fields, directly or with
/// the chaining setters:
///
/// ```
/// use std::time::Duration;
/// use quarry_runtime::postgres::PoolConfig;
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
    /// How long [`Pool::get`](super::Pool::get) waits for a connection when
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
    /// is cancelled on the server and fails with [`Error::Timeout`]
    /// (`setting: "statement_timeout"`); the connection is then closed.
    /// This is measured by quarry, so it also catches a server or network
    /// that stopped answering. Override it for a scope with
    /// [`with_statement_timeout`](super::with_statement_timeout), or per
    /// connection with
    /// [`Connection::set_statement_timeout`](super::Connection::set_statement_timeout).
    /// `None` (the default) does not bound statements.
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

#[cfg(test)]
mod tests {
    use super::{StatementMode, parse_target, take_statements_param};

    #[test]
    fn statements_param_is_removed_from_urls() {
        let (rest, mode) =
            take_statements_param("postgres://u@h/db?quarry_statements=unnamed&application_name=a")
                .unwrap();
        assert_eq!(rest, "postgres://u@h/db?application_name=a");
        assert_eq!(mode, StatementMode::Unnamed);
        let (rest, mode) =
            take_statements_param("postgres://u@h/db?quarry_statements=cached").unwrap();
        assert_eq!(rest, "postgres://u@h/db");
        assert_eq!(mode, StatementMode::Cached);
        let (rest, mode) = take_statements_param("postgres://u@h/db").unwrap();
        assert_eq!(rest, "postgres://u@h/db");
        assert_eq!(mode, StatementMode::Cached);
        assert!(take_statements_param("postgres://h/db?quarry_statements=named").is_err());
    }

    #[test]
    fn statements_param_is_removed_from_key_values() {
        let (rest, mode) =
            take_statements_param("host=h quarry_statements=unnamed user=u").unwrap();
        assert_eq!(rest, "host=h  user=u");
        assert_eq!(mode, StatementMode::Unnamed);
        let (config, mode) = parse_target("quarry_statements=unnamed host=h").unwrap();
        assert_eq!(mode, StatementMode::Unnamed);
        assert_eq!(config.get_hosts().len(), 1);
        // Only a whole key counts.
        let (_, mode) = take_statements_param("host=h xquarry_statements=unnamed").unwrap();
        assert_eq!(mode, StatementMode::Cached);
    }
}
