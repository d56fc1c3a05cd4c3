//! Connecting to PostgreSQL, as quarry's runtime connects: the URL's
//! `sslmode` (`disable`, `prefer`, `require`, `verify-ca`, `verify-full`)
//! and `sslrootcert` decide the TLS, with rustls when the build has the
//! `tls` feature (the default). See `Connection::connect` in
//! quarry-runtime for what each mode checks.

use std::time::Duration;

use quarry_runtime::postgres::ConnectOptions;
use tokio_postgres::Client;

use crate::error::Error;
use crate::postgres::redact;

/// The parsed URL and its TLS settings, with a connect timeout when it
/// gives none.
pub fn config(url: &str) -> Result<ConnectOptions, Error> {
    let mut options = ConnectOptions::from_url(url).map_err(|e| Error::BadUrl {
        url: redact(url),
        reason: match e {
            quarry_runtime::Error::Config(message) => message,
            other => other.to_string(),
        },
    })?;
    if options.pg_config().get_connect_timeout().is_none() {
        options
            .pg_config_mut()
            .connect_timeout(Duration::from_secs(10));
    }
    Ok(options)
}

/// Connects and spawns the connection's driver on the current runtime.
pub async fn connect(options: &ConnectOptions) -> Result<Client, Error> {
    options
        .connect_client()
        .await
        .map_err(|source| Error::PgConnect {
            target: crate::postgres::describe(options.pg_config()),
            source,
        })
}

#[cfg(test)]
mod tests {
    use super::config;

    #[test]
    fn tls_settings_are_read_from_the_url() {
        let err = |url: &str| config(url).map(|_| ()).map_err(|e| e.to_string());
        let base = "postgres://me:secret@db.example.com/app";
        assert_eq!(err(base), Ok(()));
        assert_eq!(err(&format!("{base}?sslmode=disable")), Ok(()));
        let missing = err(&format!(
            "{base}?sslmode=verify-full&sslrootcert=/no/such/ca.pem"
        ))
        .unwrap_err();
        assert!(missing.contains("/no/such/ca.pem"), "{missing}");
        assert!(!missing.contains("secret"), "{missing}");
        let wrong = err(&format!("{base}?sslmode=verify")).unwrap_err();
        assert!(wrong.contains("invalid sslmode `verify`"), "{wrong}");
        if !cfg!(feature = "tls") {
            let refused = err(&format!("{base}?sslmode=require")).unwrap_err();
            assert!(refused.contains("`tls` feature"), "{refused}");
        }
    }
}
