//! Connection URLs, TLS and pool settings.

use super::tls::{SslMode, TlsRequest};
use crate::error::{Error, Result};

/// A connection string parsed: the driver's configuration without quarry's
/// own parameters, and what those asked for.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    pub(crate) pg: tokio_postgres::Config,
    pub(crate) statements: StatementMode,
    pub(crate) tls: TlsRequest,
}

/// Parses a `postgres://` URL (or a `key=value` connection string).
///
/// quarry reads [`STATEMENTS_PARAM`], `sslmode` (libpq's five values, of
/// which tokio-postgres knows three) and `sslrootcert` itself and removes
/// them before the driver reads the rest.
pub(crate) fn parse_target(url: &str) -> Result<Target> {
    let (rest, statements) = take_statements_param(url)?;
    let (rest, sslmode) = take_param(&rest, "sslmode");
    let (rest, root_cert) = take_param(&rest, "sslrootcert");
    let tls = TlsRequest {
        mode: SslMode::parse(sslmode.as_deref())?,
        root_cert: root_cert.map(std::path::PathBuf::from),
    };
    let mut pg = rest
        .parse::<tokio_postgres::Config>()
        .map_err(|e| Error::Config(format!("invalid PostgreSQL connection string: {e}")))?;
    pg.ssl_mode(tls.mode.driver());
    Ok(Target {
        pg,
        statements,
        tls,
    })
}

/// A connection string parsed as [`Connection::connect`] parses it, its
/// TLS settings included, for opening plain tokio-postgres clients: for
/// code that needs a [`tokio_postgres::Client`] rather than a quarry
/// [`Connection`], such as a migration runner or the `quarry` command.
///
/// ```no_run
/// # async fn run() -> Result<(), quarry_runtime::Error> {
/// use quarry_runtime::postgres::ConnectOptions;
///
/// let mut options = ConnectOptions::from_url("postgres://app@db.internal/app?sslmode=verify-full")?;
/// // The same server and TLS settings, another database:
/// options.pg_config_mut().dbname("postgres");
/// let client = options.connect_client().await?;
/// let rows = client.simple_query("SELECT 1").await;
/// # let _ = rows;
/// # Ok(())
/// # }
/// ```
///
/// [`Connection::connect`]: super::Connection::connect
/// [`Connection`]: super::Connection
#[derive(Debug, Clone)]
pub struct ConnectOptions {
    target: Target,
    tls: super::tls::Tls,
}

impl ConnectOptions {
    /// Parses `url` as [`Connection::connect`](super::Connection::connect)
    /// does, and sets up the TLS it asks for (reading `sslrootcert`).
    pub fn from_url(url: &str) -> Result<ConnectOptions> {
        let target = parse_target(url)?;
        let tls = super::tls::Tls::for_request(&target.tls)?;
        Ok(ConnectOptions { target, tls })
    }

    /// The driver's configuration, without quarry's parameters.
    pub fn pg_config(&self) -> &tokio_postgres::Config {
        &self.target.pg
    }

    /// The driver's configuration, to change before connecting. Its
    /// `ssl_mode` is the one `sslmode` chose; change the TLS settings in
    /// the connection string instead.
    pub fn pg_config_mut(&mut self) -> &mut tokio_postgres::Config {
        &mut self.target.pg
    }

    /// Opens a tokio-postgres client, its driver spawned on the current
    /// Tokio runtime, bounded by the configuration's `connect_timeout`.
    /// Fails as [`Connection::connect`](super::Connection::connect) does.
    pub async fn connect_client(&self) -> Result<tokio_postgres::Client> {
        if tokio::runtime::Handle::try_current().is_err() {
            return Err(Error::Config(
                "PostgreSQL connections must be opened inside a Tokio runtime".into(),
            ));
        }
        let opening = super::connection::open_client(&self.target.pg, &self.tls);
        match self.target.pg.get_connect_timeout().copied() {
            Some(after) => {
                tokio::time::timeout(after, opening)
                    .await
                    .map_err(|_| Error::Timeout {
                        setting: "connect_timeout",
                        after,
                    })?
            }
            None => opening.await,
        }
    }
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
fn take_statements_param(url: &str) -> Result<(String, StatementMode)> {
    let (rest, value) = take_param(url, STATEMENTS_PARAM);
    let mode = match value.as_deref() {
        None | Some("cached") => StatementMode::Cached,
        Some("unnamed") => StatementMode::Unnamed,
        Some(other) => {
            return Err(Error::Config(format!(
                "invalid {STATEMENTS_PARAM} `{other}`: expected `cached` or `unnamed`"
            )));
        }
    };
    Ok((rest, mode))
}

/// Removes parameter `name` from a URL's query string or from a `key=value`
/// connection string, returning the rest and its value (the last one, if
/// it is given twice; percent-decoded in a URL, unquoted in `key=value`).
/// A string that does not parse is returned as it is, for the driver to
/// report.
fn take_param(url: &str, name: &str) -> (String, Option<String>) {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let Some((base, query)) = url.split_once('?') else {
            return (url.to_owned(), None);
        };
        let mut value = None;
        let mut kept = Vec::new();
        for pair in query.split('&') {
            match pair.split_once('=') {
                Some((key, v)) if key == name => value = Some(percent_decode(v)),
                _ => kept.push(pair),
            }
        }
        if kept.is_empty() {
            return (base.to_owned(), value);
        }
        return (format!("{base}?{}", kept.join("&")), value);
    }
    let Some(pairs) = key_values(url) else {
        return (url.to_owned(), None);
    };
    let mut value = None;
    let mut kept = Vec::new();
    for (key, v, text) in pairs {
        if key == name {
            value = Some(v);
        } else {
            kept.push(text);
        }
    }
    (kept.join(" "), value)
}

/// The `key = value` pairs of a libpq connection string, each with its
/// unquoted value and its original text; `None` if it does not parse.
fn key_values(s: &str) -> Option<Vec<(&str, String, &str)>> {
    let mut pairs = Vec::new();
    let mut rest = s.trim_start();
    while !rest.is_empty() {
        let start = rest;
        let key_end = rest.find(|c: char| c == '=' || c.is_whitespace())?;
        let key = &rest[..key_end];
        rest = rest[key_end..].trim_start().strip_prefix('=')?.trim_start();
        let mut value = String::new();
        let mut chars = rest.char_indices();
        let end = if rest.starts_with('\'') {
            chars.next();
            loop {
                match chars.next()? {
                    (_, '\\') => value.push(chars.next()?.1),
                    (i, '\'') => break i + 1,
                    (_, c) => value.push(c),
                }
            }
        } else {
            loop {
                match chars.next() {
                    None => break rest.len(),
                    Some((i, c)) if c.is_whitespace() => break i,
                    Some((_, '\\')) => value.push(chars.next()?.1),
                    Some((_, c)) => value.push(c),
                }
            }
        };
        rest = &rest[end..];
        let text = &start[..start.len() - rest.len()];
        pairs.push((key, value, text));
        rest = rest.trim_start();
    }
    Some(pairs)
}

/// Decodes `%XX` escapes; invalid escapes and invalid UTF-8 are kept as
/// they are written.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(hi), Some(lo)) = (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            )
        {
            out.push((hi * 16 + lo) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_owned())
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

/// The pool's settings: one type for PostgreSQL and MariaDB/MySQL.
pub use crate::config::PoolConfig;

#[cfg(test)]
mod tests {
    use super::super::tls::SslMode;
    use super::{StatementMode, parse_target, take_param, take_statements_param};

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
        assert_eq!(rest, "host=h user=u");
        assert_eq!(mode, StatementMode::Unnamed);
        let target = parse_target("quarry_statements=unnamed host=h").unwrap();
        assert_eq!(target.statements, StatementMode::Unnamed);
        assert_eq!(target.pg.get_hosts().len(), 1);
        // Only a whole key counts.
        let (_, mode) = take_statements_param("host=h xquarry_statements=unnamed").unwrap();
        assert_eq!(mode, StatementMode::Cached);
    }

    #[test]
    fn ssl_params_are_read_by_quarry() {
        use tokio_postgres::config::SslMode as Driver;
        let target = parse_target(
            "postgres://u@h/db?sslmode=verify-full&sslrootcert=/etc/my%20ca.pem&application_name=a",
        )
        .unwrap();
        assert_eq!(target.tls.mode, SslMode::VerifyFull);
        assert_eq!(target.pg.get_ssl_mode(), Driver::Require);
        assert_eq!(
            target.tls.root_cert.as_deref(),
            Some(std::path::Path::new("/etc/my ca.pem"))
        );
        assert_eq!(target.pg.get_application_name(), Some("a"));

        let target =
            parse_target("host=h sslmode = verify-ca sslrootcert='/a b/c\\'d.pem' user=u").unwrap();
        assert_eq!(target.tls.mode, SslMode::VerifyCa);
        assert_eq!(
            target.tls.root_cert.as_deref(),
            Some(std::path::Path::new("/a b/c'd.pem"))
        );
        assert_eq!(target.pg.get_user(), Some("u"));

        let default = parse_target("postgres://u@h/db").unwrap();
        assert_eq!(default.tls.mode, SslMode::Prefer);
        assert_eq!(default.pg.get_ssl_mode(), Driver::Prefer);
        let disable = parse_target("postgres://u@h/db?sslmode=disable").unwrap();
        assert_eq!(disable.pg.get_ssl_mode(), Driver::Disable);

        let wrong = parse_target("postgres://u@h/db?sslmode=allow").unwrap_err();
        assert!(
            wrong.to_string().contains("invalid sslmode `allow`"),
            "{wrong}"
        );
    }

    #[test]
    fn key_values_that_do_not_parse_are_left_to_the_driver() {
        assert_eq!(
            take_param("host=h 'x", "sslmode"),
            ("host=h 'x".to_owned(), None)
        );
        assert!(parse_target("host=h user").is_err());
    }
}
