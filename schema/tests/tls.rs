//! The `quarry` binary against a server that requires TLS
//! (`scripts/tls.sh start`: port 5434, its own CA; `QUARRY_PG_TLS_URL` and
//! `QUARRY_PG_TLS_CA` override where): database setup, migrations and
//! print-schema over verified TLS, and the failures a plain connection and
//! an untrusted certificate give. Without the server the tests print
//! "skipped", unless `CI` is set.
#![cfg(feature = "tls")]

use std::path::Path;
use std::process::{Command, Output};

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

/// The TLS server's URL for database `db`, with `params`.
fn url(db: &str, params: &str) -> String {
    let base = base_url();
    let (server, _) = base
        .rsplit_once('/')
        .expect("QUARRY_PG_TLS_URL names a database");
    format!("{server}/{db}?{params}")
}

/// Whether the TLS server listens, or `false` (after saying why) when it
/// does not and `CI` is not set.
fn server_is_up(test: &str) -> bool {
    let config: tokio_postgres::Config = base_url().parse().expect("QUARRY_PG_TLS_URL parses");
    let host = match config.get_hosts().first() {
        Some(tokio_postgres::config::Host::Tcp(host)) => host.clone(),
        _ => "localhost".to_owned(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let why = match std::net::TcpStream::connect((host.as_str(), port)) {
        Err(e) => format!("nothing listens on {host}:{port} ({e})"),
        Ok(_) if !Path::new(&ca()).exists() => format!("its CA {} is missing", ca()),
        Ok(_) => return true,
    };
    if std::env::var_os("CI").is_some() {
        panic!("the TLS server is not usable and CI is set: {why}");
    }
    println!("skipped {test}: no TLS server (run scripts/tls.sh start): {why}");
    false
}

fn quarry(dir: &Path, args: &[&str]) -> Output {
    let output = Command::new(env!("CARGO_BIN_EXE_quarry"))
        .args(args)
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .output()
        .expect("run quarry");
    println!(
        "$ quarry {}\n{}{}[exit {}]",
        args.join(" "),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
        output.status.code().unwrap_or(-1)
    );
    output
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let output = quarry(dir, args);
    assert!(
        output.status.success(),
        "quarry {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// Fails with exit code 1 and one line on stderr; returns that line.
fn fails(dir: &Path, args: &[&str]) -> String {
    let output = quarry(dir, args);
    assert_eq!(output.status.code(), Some(1), "quarry {args:?}");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    stderr
}

#[test]
fn migrations_and_print_schema_over_verified_tls() {
    if !server_is_up("migrations_and_print_schema_over_verified_tls") {
        return;
    }
    let db = format!("qs_tls_{}", std::process::id());
    let url = url(&db, &format!("sslmode=verify-full&sslrootcert={}", ca()));
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let folder = dir.join("migrations/20260101000000_create_notes");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("up.sql"),
        "CREATE TABLE notes (id integer PRIMARY KEY, body text NOT NULL);",
    )
    .unwrap();
    std::fs::write(folder.join("down.sql"), "DROP TABLE notes;").unwrap();

    let db_url = ["--database-url", url.as_str()];
    ok(dir, &[&["database", "drop"][..], &db_url].concat());
    let outcome = std::panic::catch_unwind(|| {
        // `setup` connects to the `postgres` database to create this one,
        // then runs the migration: both over TLS.
        ok(dir, &[&["database", "setup"][..], &db_url].concat());
        let listed = ok(dir, &[&["migration", "list"][..], &db_url].concat());
        assert!(listed.contains("20260101000000_create_notes"), "{listed}");
        assert!(!listed.contains("pending"), "{listed}");
        ok(dir, &[&["migration", "revert"][..], &db_url].concat());
        let listed = ok(dir, &[&["migration", "list"][..], &db_url].concat());
        assert!(listed.contains("pending"), "{listed}");
        ok(dir, &[&["migration", "run"][..], &db_url].concat());
        std::fs::create_dir_all(dir.join("src")).unwrap();
        ok(
            dir,
            &[
                &["print-schema", "-o", "src/schema.rs"][..],
                &["--except-tables", "__quarry_migrations"],
                &db_url,
            ]
            .concat(),
        );
        let printed = std::fs::read_to_string(dir.join("src/schema.rs")).unwrap();
        assert!(printed.contains("notes (id) {"), "{printed}");
        assert!(printed.contains("body -> Text,"), "{printed}");
        // The live schema, the migrations and schema.rs agree.
        ok(dir, &[&["migration", "check"][..], &db_url].concat());
    });
    ok(dir, &[&["database", "drop"][..], &db_url].concat());
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

#[test]
fn plain_and_untrusted_connections_fail_with_the_reason() {
    if !server_is_up("plain_and_untrusted_connections_fail_with_the_reason") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let print = |url: &str| fails(dir, &["print-schema", "--database-url", url]);

    // The server's own refusal of a plain connection.
    let plain = print(&url("test", "sslmode=disable"));
    assert!(
        plain.contains("cannot connect to PostgreSQL at localhost:5434/test")
            && plain.contains("pg_hba.conf rejects connection")
            && plain.contains("no encryption"),
        "{plain}"
    );

    let untrusted = print(&url(
        "test",
        &format!("sslmode=verify-full&sslrootcert={}", other_ca()),
    ));
    assert!(
        untrusted.contains("the server's TLS certificate was not trusted"),
        "{untrusted}"
    );
    assert!(!untrusted.contains("quarry_tls:quarry_tls"), "{untrusted}");

    // `require` checks the certificate too: the test CA is not a system root.
    let required = fails(
        dir,
        &[
            "migration",
            "list",
            "--database-url",
            &url("test", "sslmode=require"),
        ],
    );
    assert!(required.contains("not trusted"), "{required}");

    let missing = print(&url(
        "test",
        "sslmode=verify-full&sslrootcert=/no/such/ca.pem",
    ));
    assert!(
        missing.contains("bad database URL")
            && missing.contains("cannot read sslrootcert `/no/such/ca.pem`"),
        "{missing}"
    );
}
