//! Shared setup of the PostgreSQL tests: the server's URL, skipping when it
//! is unreachable, and one schema per test.
#![allow(dead_code)]

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use quarry_runtime::postgres::{Connection, Pool, PoolConfig};

/// The server the tests use: `QUARRY_PG_URL`, or a local trust-auth server.
pub fn base_url() -> String {
    std::env::var("QUARRY_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

/// One test's database: a fresh schema that every connection opened with
/// [`TestDb::url`] uses as its `search_path`.
pub struct TestDb {
    /// The schema's name.
    pub schema: String,
    /// The server URL with `options=-csearch_path=<schema>` and an
    /// `application_name` unique to the test.
    pub url: String,
    /// The `application_name` of connections opened with `url`.
    pub app: String,
    /// A connection outside the schema, for setup and inspection.
    pub admin: Connection,
}

fn unique(name: &str) -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "qt_{}_{}_{}_{}",
        name.to_lowercase(),
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        nanos
    )
}

fn with_params(url: &str, params: &str) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}{params}")
}

/// Connects to `url`; when its database does not exist (SQLSTATE 3D000),
/// creates it through the server's `postgres` database and connects again.
pub async fn connect_creating_database(url: &str) -> quarry_runtime::Result<Connection> {
    match Connection::connect(url).await {
        Err(e) if e.sqlstate() == Some("3D000") => {
            let Some((maintenance, name)) = maintenance_url(url) else {
                return Err(e);
            };
            let admin = Connection::connect(&maintenance).await?;
            let quoted = name.replace('"', "\"\"");
            match admin
                .execute_batch(&format!("CREATE DATABASE \"{quoted}\""))
                .await
            {
                // Another test binary created it first: 42P04, or a unique
                // violation on the catalog when both ran at once.
                Err(e) if !matches!(e.sqlstate(), Some("42P04" | "23505")) => return Err(e),
                _ => {}
            }
            Connection::connect(url).await
        }
        other => other,
    }
}

/// `url` with its database replaced by `postgres`, and the database's
/// name; `None` for a URL without a database path.
fn maintenance_url(url: &str) -> Option<(String, String)> {
    let after_scheme = url.find("://")? + 3;
    let slash = after_scheme + url[after_scheme..].find('/')?;
    let end = url[slash..].find('?').map_or(url.len(), |i| slash + i);
    let name = &url[slash + 1..end];
    if name.is_empty() {
        return None;
    }
    Some((
        format!("{}/postgres{}", &url[..slash], &url[end..]),
        name.to_owned(),
    ))
}

/// Says once per test binary, on the terminal, that the PostgreSQL tests
/// pass without running. Written to the stderr handle directly: libtest
/// captures `eprintln!` but not that.
fn announce_skip(base: &str, e: &quarry_runtime::Error) {
    use std::io::Write;
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = writeln!(
            std::io::stderr(),
            "\nnote: PostgreSQL is unreachable at {base} ({e}): this binary's PostgreSQL \
             tests pass without running. Start the server or set QUARRY_PG_URL; set CI=1 to \
             make them fail.\n"
        );
    });
}

/// Creates a schema for test `name`, or returns `None` (after a notice on
/// the terminal, once per binary) when the server is unreachable, unless
/// `CI` is set: then it panics. A missing database is created.
pub async fn setup(name: &str) -> Option<TestDb> {
    let base = base_url();
    let admin = match connect_creating_database(&base).await {
        Ok(conn) => conn,
        // Only an unreachable server skips; any other failure is a bug.
        Err(
            e @ (quarry_runtime::Error::Connect { .. }
            | quarry_runtime::Error::ConnectionLost { .. }),
        ) => {
            if std::env::var_os("CI").is_some() {
                panic!("PostgreSQL unreachable at {base} and CI is set: {e}");
            }
            announce_skip(&base, &e);
            println!("skipped: PostgreSQL unreachable at {base}");
            return None;
        }
        Err(e) => panic!("cannot connect to PostgreSQL at {base}: {e}"),
    };
    let schema = unique(name);
    admin
        .batch_execute(&format!("CREATE SCHEMA {schema}"))
        .await
        .unwrap();
    let app = schema.clone();
    let url = with_params(
        &base,
        &format!("options=-csearch_path%3D{schema}&application_name={app}"),
    );
    Some(TestDb {
        schema,
        url,
        app,
        admin,
    })
}

impl TestDb {
    /// A connection whose `search_path` is the test's schema.
    pub async fn connect(&self) -> Connection {
        Connection::connect(&self.url).await.unwrap()
    }

    /// A pool whose connections use the test's schema.
    pub async fn pool(&self, config: PoolConfig) -> Pool {
        Pool::with_config(&self.url, config).await.unwrap()
    }

    /// Backend process ids of the test's connections (by application name).
    pub async fn backend_pids(&self) -> Vec<i32> {
        self.admin
            .query_raw(
                "SELECT pid FROM pg_stat_activity WHERE application_name = $1",
                &[quarry_runtime::Value::Text(&self.app)],
            )
            .await
            .unwrap()
            .iter()
            .map(|row| row.get(0))
            .collect()
    }

    /// Terminates every backend of the test's connections and waits until
    /// they have exited.
    pub async fn terminate_backends(&self) -> usize {
        let rows = self
            .admin
            .query_raw(
                "SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity \
                 WHERE application_name = $1",
                &[quarry_runtime::Value::Text(&self.app)],
            )
            .await
            .unwrap();
        rows.len()
    }

    /// Drops the schema and everything in it.
    pub async fn teardown(self) {
        self.admin
            .batch_execute(&format!("DROP SCHEMA {} CASCADE", self.schema))
            .await
            .unwrap();
    }
}
