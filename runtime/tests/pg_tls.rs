//! TLS against a real server that requires it: `scripts/tls.sh start`
//! (port 5434, its own CA; `QUARRY_PG_TLS_URL`, `QUARRY_PG_TLS_CA` and
//! `QUARRY_PG_TLS_OTHER_CA` override where). Without it the tests are
//! skipped with a note, unless `CI` is set.
//!
//! Without the `tls` feature only the refusal of TLS settings is tested.

#[cfg(feature = "tls")]
mod with_tls {
    use std::time::Duration;

    use quarry_runtime::Error;
    use quarry_runtime::postgres::{
        ConnectOptions, Connection, Pool, PoolConfig, rustls, tokio_postgres,
    };

    fn base_url() -> String {
        std::env::var("QUARRY_PG_TLS_URL")
            .unwrap_or_else(|_| "postgres://quarry_tls:quarry_tls@localhost:5434/test".to_owned())
    }

    fn ca() -> String {
        std::env::var("QUARRY_PG_TLS_CA")
            .unwrap_or_else(|_| "/var/lib/postgresql/quarry-tls/ca.crt".to_owned())
    }

    fn other_ca() -> String {
        std::env::var("QUARRY_PG_TLS_OTHER_CA")
            .unwrap_or_else(|_| "/var/lib/postgresql/quarry-tls/other-ca.crt".to_owned())
    }

    /// `base_url()` with `params` added to its query string.
    fn url(params: &str) -> String {
        let base = base_url();
        let sep = if base.contains('?') { '&' } else { '?' };
        format!("{base}{sep}{params}")
    }

    fn verified_url() -> String {
        url(&format!("sslmode=verify-full&sslrootcert={}", ca()))
    }

    /// Whether the TLS server listens, or `false` (after saying why) when
    /// it does not and `CI` is not set.
    async fn server_is_up() -> bool {
        let config: tokio_postgres::Config = base_url().parse().expect("QUARRY_PG_TLS_URL parses");
        let host = match config.get_hosts().first() {
            Some(tokio_postgres::config::Host::Tcp(host)) => host.clone(),
            _ => "localhost".to_owned(),
        };
        let port = config.get_ports().first().copied().unwrap_or(5432);
        let listening = tokio::net::TcpStream::connect((host.as_str(), port)).await;
        let ca_there = std::path::Path::new(&ca()).exists();
        match (listening, ca_there) {
            (Ok(_), true) => true,
            (listening, _) => {
                let why = match listening {
                    Err(e) => format!("nothing listens on {host}:{port} ({e})"),
                    Ok(_) => format!("its CA {} is missing", ca()),
                };
                if std::env::var_os("CI").is_some() {
                    panic!("the TLS server is not usable and CI is set: {why}");
                }
                println!("skipped: no TLS server (run scripts/tls.sh start): {why}");
                false
            }
        }
    }

    async fn uses_tls(conn: &Connection) -> bool {
        conn.query_raw(
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            &[],
        )
        .await
        .unwrap()[0]
            .get(0)
    }

    #[tokio::test]
    async fn verify_full_with_the_servers_ca_runs_queries_over_tls() {
        if !server_is_up().await {
            return;
        }
        let conn = Connection::connect(&verified_url()).await.unwrap();
        assert!(uses_tls(&conn).await);
        let rows = conn.query_raw("SELECT 40 + 2", &[]).await.unwrap();
        assert_eq!(rows[0].get::<_, i32>(0), 42);

        let pool = Pool::with_config(&verified_url(), PoolConfig::default().max_size(2))
            .await
            .unwrap();
        let pooled = pool.get().await.unwrap();
        assert!(uses_tls(&pooled).await);
        let inside = pool
            .transaction(async |tx| {
                let rows = tx.query_raw("SELECT current_user::text", &[]).await?;
                Ok::<_, Error>(rows[0].get::<_, String>(0))
            })
            .await
            .unwrap();
        assert_eq!(inside, "quarry_tls");
    }

    #[tokio::test]
    async fn a_wrong_ca_is_not_trusted() {
        if !server_is_up().await {
            return;
        }
        let wrong = url(&format!("sslmode=verify-full&sslrootcert={}", other_ca()));
        let err = Connection::connect(&wrong).await.unwrap_err();
        let text = err.to_string();
        assert!(matches!(err, Error::Connect { .. }), "{err:?}");
        assert!(
            text.contains("the server's TLS certificate was not trusted"),
            "{text}"
        );
        assert!(text.contains(&other_ca()), "{text}");
        assert!(!text.contains("quarry_tls:"), "{text}");
        // A pool fails the same way, at creation.
        let err = Pool::connect(&wrong).await.unwrap_err();
        assert!(err.to_string().contains("not trusted"), "{err}");
    }

    #[tokio::test]
    async fn require_checks_the_certificate_against_the_system_roots() {
        if !server_is_up().await {
            return;
        }
        // The test CA is not among the system's roots.
        let err = Connection::connect(&url("sslmode=require"))
            .await
            .unwrap_err()
            .to_string();
        assert!(err.contains("not trusted"), "{err}");
        assert!(err.contains("no sslrootcert was given"), "{err}");
        let conn = Connection::connect(&url(&format!("sslmode=require&sslrootcert={}", ca())))
            .await
            .unwrap();
        assert!(uses_tls(&conn).await);
    }

    #[tokio::test]
    async fn verify_ca_skips_only_the_host_name() {
        if !server_is_up().await {
            return;
        }
        // The server, reached by a name its certificate does not list.
        let config: tokio_postgres::Config = base_url().parse().unwrap();
        let password =
            String::from_utf8(config.get_password().unwrap_or_default().to_vec()).unwrap();
        let other_name = |mode: &str, ca: &str| {
            format!(
                "host=db.example.invalid hostaddr=127.0.0.1 port={} user={} password={password} \
                 dbname={} sslmode={mode} sslrootcert={ca}",
                config.get_ports().first().copied().unwrap_or(5432),
                config.get_user().unwrap_or("postgres"),
                config.get_dbname().unwrap_or("test"),
            )
        };
        let err = Connection::connect(&other_name("verify-full", &ca()))
            .await
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("not valid for the host name") && err.contains("verify-ca"),
            "{err}"
        );
        let conn = Connection::connect(&other_name("verify-ca", &ca()))
            .await
            .unwrap();
        assert!(uses_tls(&conn).await);
        // verify-ca still checks the chain.
        let err = Connection::connect(&other_name("verify-ca", &other_ca()))
            .await
            .unwrap_err()
            .to_string();
        assert!(err.contains("not trusted"), "{err}");
    }

    #[tokio::test]
    async fn a_plain_connection_is_refused_by_the_server() {
        if !server_is_up().await {
            return;
        }
        let err = Connection::connect(&url("sslmode=disable"))
            .await
            .unwrap_err()
            .to_string();
        // The server's own words, from its `hostnossl ... reject` line.
        assert!(
            err.contains("pg_hba.conf rejects connection") && err.contains("no encryption"),
            "{err}"
        );
    }

    #[tokio::test]
    async fn prefer_uses_tls_when_the_server_offers_it() {
        if !server_is_up().await {
            return;
        }
        // As libpq: `prefer` encrypts without checking whom the
        // certificate names.
        let conn = Connection::connect(&base_url()).await.unwrap();
        assert!(uses_tls(&conn).await);
        // Given a CA, `prefer` checks the certificate, and a wrong one
        // fails rather than falling back to a plain connection.
        let err = Connection::connect(&url(&format!("sslrootcert={}", other_ca())))
            .await
            .unwrap_err()
            .to_string();
        assert!(err.contains("not trusted"), "{err}");
    }

    /// A listener that answers the TLS request with PostgreSQL's "no".
    async fn server_without_tls() -> u16 {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let mut request = [0u8; 8];
                if socket.read_exact(&mut request).await.is_ok() {
                    // SSLRequest: length 8, code 80877103.
                    assert_eq!(request, [0, 0, 0, 8, 4, 210, 22, 47]);
                    let _ = socket.write_all(b"N").await;
                }
            }
        });
        port
    }

    #[tokio::test]
    async fn require_against_a_server_without_tls_fails() {
        let port = server_without_tls().await;
        for mode in ["require", "verify-full", "verify-ca"] {
            let url = format!("postgres://postgres@127.0.0.1:{port}/test?sslmode={mode}");
            let err = Connection::connect(&url).await.unwrap_err();
            assert!(matches!(err, Error::Connect { .. }), "{err:?}");
            assert_eq!(
                err.to_string(),
                format!(
                    "cannot connect to 127.0.0.1:{port}: the server does not accept TLS \
                     connections, and sslmode={mode} requires TLS"
                )
            );
        }
    }

    #[tokio::test]
    async fn an_unreadable_sslrootcert_fails_before_connecting() {
        let err = Connection::connect(
            "postgres://postgres@127.0.0.1:1/test?sslmode=verify-full&sslrootcert=/nonexistent/ca.pem",
        )
        .await
        .unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{err:?}");
        assert!(
            err.to_string()
                .contains("cannot read sslrootcert `/nonexistent/ca.pem`: "),
            "{err}"
        );
    }

    fn own_config() -> rustls::ClientConfig {
        use rustls::pki_types::CertificateDer;
        use rustls::pki_types::pem::PemObject;
        let mut roots = rustls::RootCertStore::empty();
        for cert in CertificateDer::pem_file_iter(ca()).unwrap() {
            roots.add(cert.unwrap()).unwrap();
        }
        #[allow(deprecated)]
        let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
        rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_root_certificates(roots)
            .with_no_client_auth()
    }

    #[tokio::test]
    async fn a_callers_own_rustls_config() {
        if !server_is_up().await {
            return;
        }
        let conn = Connection::connect_tls(&url("sslmode=require"), own_config())
            .await
            .unwrap();
        assert!(uses_tls(&conn).await);
        let pool = Pool::with_tls(&url("sslmode=require"), PoolConfig::default(), own_config())
            .await
            .unwrap();
        assert!(uses_tls(&pool.get().await.unwrap()).await);
        // Its roots are the configuration's: sslrootcert would be ignored.
        let err = Connection::connect_tls(&verified_url(), own_config())
            .await
            .unwrap_err();
        assert!(
            err.to_string().contains("sslrootcert cannot be combined"),
            "{err}"
        );
    }

    #[tokio::test]
    async fn a_raw_client_over_tls() {
        if !server_is_up().await {
            return;
        }
        let mut options = ConnectOptions::from_url(&verified_url()).unwrap();
        options.pg_config_mut().dbname("postgres");
        let client = options.connect_client().await.unwrap();
        let row = client
            .query_one(
                "SELECT current_database()::text, ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
                &[],
            )
            .await
            .unwrap();
        assert_eq!(row.get::<_, String>(0), "postgres");
        assert!(row.get::<_, bool>(1));
    }

    #[tokio::test]
    async fn a_timed_out_statement_is_cancelled_over_tls() {
        if !server_is_up().await {
            return;
        }
        let pool = Pool::with_config(
            &verified_url(),
            PoolConfig::default()
                .max_size(1)
                .statement_timeout(Some(Duration::from_millis(200))),
        )
        .await
        .unwrap();
        let conn = pool.get().await.unwrap();
        let err = conn
            .query_raw("SELECT pg_sleep(30)", &[])
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
        drop(conn);
        // The pool's next connection works, and the sleep was cancelled on
        // the server rather than left running.
        let conn = pool.get().await.unwrap();
        let mut sleeping = 1;
        for _ in 0..50 {
            let rows = conn
                .query_raw(
                    "SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(30)' AND state = 'active'",
                    &[],
                )
                .await
                .unwrap();
            sleeping = rows[0].get::<_, i64>(0);
            if sleeping == 0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(sleeping, 0);
    }
}

#[cfg(not(feature = "tls"))]
#[tokio::test]
async fn tls_settings_need_the_tls_feature() {
    use quarry_runtime::postgres::Connection;
    for params in [
        "sslmode=require",
        "sslmode=verify-full",
        "sslrootcert=/etc/ca.pem",
    ] {
        let err = Connection::connect(&format!("postgres://postgres@127.0.0.1:1/test?{params}"))
            .await
            .unwrap_err()
            .to_string();
        assert!(err.contains("built without its `tls` feature"), "{err}");
    }
}
