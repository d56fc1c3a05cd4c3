//! Fixtures, snapshots and databases shared by the print-schema tests.
//!
//! `fixtures/{sqlite,postgres}.sql` hold one schema in each dialect;
//! `snapshots/{sqlite,postgres}.rs` what print-schema prints for it. Set
//! `QUARRY_BLESS=1` to rewrite the snapshots, then review the diff.
//!
//! PostgreSQL tests use the server at `QUARRY_PG_URL` (default
//! `postgres://postgres@127.0.0.1:5432/test`), each in a schema of its own.
//! When the server is unreachable they print a notice and pass, unless `CI`
//! is set.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn snapshot_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(name)
}

/// Compares `actual` with the committed snapshot, or writes it when
/// `QUARRY_BLESS` is set.
pub fn assert_snapshot(name: &str, actual: &str) {
    let path = snapshot_path(name);
    if std::env::var_os("QUARRY_BLESS").is_some() {
        std::fs::write(&path, actual).expect("write the snapshot");
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("read {}: {e} (QUARRY_BLESS=1 writes it)", path.display()));
    if expected != actual {
        panic!(
            "{} differs from what print-schema printed (QUARRY_BLESS=1 rewrites it):\n{}",
            path.display(),
            line_diff(&expected, actual)
        );
    }
}

fn line_diff(expected: &str, actual: &str) -> String {
    let expected: Vec<&str> = expected.lines().collect();
    let actual: Vec<&str> = actual.lines().collect();
    let mut out = String::new();
    for i in 0..expected.len().max(actual.len()) {
        match (expected.get(i), actual.get(i)) {
            (Some(e), Some(a)) if e == a => {}
            (e, a) => {
                out.push_str(&format!(
                    "line {}:\n  - {}\n  + {}\n",
                    i + 1,
                    e.unwrap_or(&"(none)"),
                    a.unwrap_or(&"(none)")
                ));
            }
        }
    }
    out
}

/// A SQLite database made from `fixtures/sqlite.sql` in `dir`.
pub fn sqlite_db(dir: &Path) -> PathBuf {
    let path = dir.join("app.db");
    let conn = rusqlite::Connection::open(&path).expect("create the database");
    let ddl = std::fs::read_to_string(fixture("sqlite.sql")).expect("read the fixture");
    conn.execute_batch(&ddl).expect("run the fixture");
    path
}

pub fn pg_url() -> String {
    std::env::var("QUARRY_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

/// Runs `body` with a fresh PostgreSQL schema named after `test`, dropped
/// afterwards (also when `body` panics). Skips as the module doc says.
pub fn with_pg_schema(test: &str, body: impl FnOnce(&PgSchema)) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let url = pg_url();
    let client = match runtime.block_on(tokio_postgres::connect(&url, tokio_postgres::NoTls)) {
        Ok((client, connection)) => {
            runtime.spawn(connection);
            client
        }
        Err(e) => {
            if std::env::var_os("CI").is_some() {
                panic!("PostgreSQL is unreachable at {url} and CI is set: {e}");
            }
            println!("skipped {test}: PostgreSQL is unreachable at {url} ({e})");
            return;
        }
    };
    let name = format!("qs_{test}_{}", std::process::id());
    let schema = PgSchema {
        name,
        url,
        runtime,
        client,
    };
    schema.batch(&format!(
        "DROP SCHEMA IF EXISTS {0} CASCADE; CREATE SCHEMA {0}",
        schema.name
    ));
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| body(&schema)));
    schema.batch(&format!("DROP SCHEMA {} CASCADE", schema.name));
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

pub struct PgSchema {
    pub name: String,
    pub url: String,
    runtime: tokio::runtime::Runtime,
    client: tokio_postgres::Client,
}

impl PgSchema {
    /// Runs SQL with the schema as `search_path`.
    pub fn batch(&self, sql: &str) {
        let sql = format!("SET search_path TO {}, public; {sql}", self.name);
        self.runtime
            .block_on(self.client.batch_execute(&sql))
            .unwrap_or_else(|e| panic!("{e:?}\nin: {sql}"));
    }
}

pub fn mysql_url() -> String {
    std::env::var("QUARRY_MYSQL_URL")
        .unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/test".to_owned())
}

/// The URL of a fresh MariaDB database named after `test` and the
/// process, and a connection to the server; `None` (after a notice) when
/// the server is unreachable and `CI` is not set.
#[cfg(feature = "mysql")]
pub fn mysql_database(test: &str) -> Option<MysqlDb> {
    use mysql_async::prelude::Queryable;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let base = mysql_url();
    let (server, _) = base.rsplit_once('/').expect("a URL with a database");
    let name = format!("quarry_ps_{}_{test}", std::process::id());
    let url = format!("{server}/{name}");
    let admin = format!("{server}/");
    let opts = mysql_async::Opts::from_url(&admin).expect("a MariaDB URL");
    let mut conn = match runtime.block_on(mysql_async::Conn::new(opts)) {
        Ok(conn) => conn,
        Err(e) => {
            if std::env::var_os("CI").is_some() {
                panic!("MariaDB is unreachable at {base} and CI is set: {e}");
            }
            println!("skipped {test}: MariaDB is unreachable at {base} ({e})");
            return None;
        }
    };
    runtime
        .block_on(conn.query_drop(format!(
            "DROP DATABASE IF EXISTS {name}; CREATE DATABASE {name}"
        )))
        .expect("create the test database");
    Some(MysqlDb {
        name,
        url,
        runtime,
        conn,
    })
}

#[cfg(feature = "mysql")]
pub struct MysqlDb {
    pub name: String,
    pub url: String,
    runtime: tokio::runtime::Runtime,
    conn: mysql_async::Conn,
}

#[cfg(feature = "mysql")]
impl MysqlDb {
    /// Runs SQL (several statements are fine) in the database.
    pub fn batch(&mut self, sql: &str) {
        use mysql_async::prelude::Queryable;
        let sql = format!("USE {}; {sql}", self.name);
        self.runtime
            .block_on(self.conn.query_drop(&sql))
            .unwrap_or_else(|e| panic!("{e}\nin: {sql}"));
    }

    /// The first column of the first row of `sql`.
    pub fn value(&mut self, sql: &str) -> Option<String> {
        use mysql_async::prelude::Queryable;
        self.runtime.block_on(async {
            self.conn
                .query_drop(format!("USE {}", self.name))
                .await
                .expect("USE");
            self.conn.query_first::<String, _>(sql).await.expect(sql)
        })
    }
}

#[cfg(feature = "mysql")]
impl Drop for MysqlDb {
    fn drop(&mut self) {
        use mysql_async::prelude::Queryable;
        let _ = self.runtime.block_on(
            self.conn
                .query_drop(format!("DROP DATABASE IF EXISTS {}", self.name)),
        );
    }
}
