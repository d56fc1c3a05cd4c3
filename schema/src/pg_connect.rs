//! Connecting to PostgreSQL, with TLS when the build has the `tls` feature
//! and the URL does not say `sslmode=disable`.
//!
//! With `tls`, `sslmode=prefer` (tokio-postgres's default) tries TLS and
//! falls back to plain, `sslmode=require` insists on it; the server's
//! certificate is checked against the system's roots by native-tls.
//! Without `tls`, a URL with `sslmode=require` is refused with a message
//! saying how to build with it.

use std::str::FromStr;
use std::time::Duration;

use tokio_postgres::config::SslMode;
use tokio_postgres::{Client, Config};

use crate::error::Error;
use crate::postgres::redact;

/// How a connection is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    Plain,
    /// native-tls (needs the `tls` feature).
    Tls,
}

/// The parsed URL, with a connect timeout when it gives none.
pub fn config(url: &str) -> Result<Config, Error> {
    let mut config = Config::from_str(url).map_err(|e| Error::BadUrl {
        url: redact(url),
        reason: e.to_string(),
    })?;
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(Duration::from_secs(10));
    }
    Ok(config)
}

/// What `config` asks for, given whether this build has TLS.
pub fn transport(config: &Config, url: &str, tls_built: bool) -> Result<Transport, Error> {
    match (config.get_ssl_mode(), tls_built) {
        (SslMode::Disable, _) => Ok(Transport::Plain),
        (_, true) => Ok(Transport::Tls),
        (SslMode::Require, false) => Err(Error::TlsNotBuilt { url: redact(url) }),
        (_, false) => Ok(Transport::Plain),
    }
}

/// Connects and spawns the connection's driver on the current runtime.
pub async fn connect(config: &Config, url: &str) -> Result<Client, Error> {
    let target = crate::postgres::describe(config);
    let connect_error = |source| Error::PgConnect {
        target: target.clone(),
        source,
    };
    match transport(config, url, cfg!(feature = "tls"))? {
        Transport::Plain => {
            let (client, connection) = config
                .connect(tokio_postgres::NoTls)
                .await
                .map_err(connect_error)?;
            tokio::spawn(connection);
            Ok(client)
        }
        Transport::Tls => tls_connect(config, connect_error).await,
    }
}

#[cfg(feature = "tls")]
async fn tls_connect(
    config: &Config,
    connect_error: impl Fn(tokio_postgres::Error) -> Error,
) -> Result<Client, Error> {
    let connector = native_tls::TlsConnector::new().map_err(|e| Error::Tls(e.to_string()))?;
    let tls = postgres_native_tls::MakeTlsConnector::new(connector);
    let (client, connection) = config.connect(tls).await.map_err(connect_error)?;
    tokio::spawn(connection);
    Ok(client)
}

#[cfg(not(feature = "tls"))]
async fn tls_connect(
    _config: &Config,
    _connect_error: impl Fn(tokio_postgres::Error) -> Error,
) -> Result<Client, Error> {
    // `transport` never chooses TLS in a build without it.
    Err(Error::Tls("this build has no TLS".to_owned()))
}

#[cfg(test)]
mod tests {
    use super::{Transport, config, transport};

    #[test]
    fn sslmode_in_the_url_decides_the_transport() {
        let of = |url: &str, tls_built| {
            transport(&config(url).unwrap(), url, tls_built).map_err(|e| e.to_string())
        };
        let base = "postgres://me:secret@db.example.com/app";
        assert_eq!(of(base, false), Ok(Transport::Plain));
        assert_eq!(of(base, true), Ok(Transport::Tls));
        let require = format!("{base}?sslmode=require");
        assert_eq!(of(&require, true), Ok(Transport::Tls));
        let refused = of(&require, false).unwrap_err();
        assert!(refused.contains("`tls` feature"), "{refused}");
        assert!(!refused.contains("secret"), "{refused}");
        let disable = format!("{base}?sslmode=disable");
        assert_eq!(of(&disable, true), Ok(Transport::Plain));
        assert_eq!(of(&disable, false), Ok(Transport::Plain));
    }
}
