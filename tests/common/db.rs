//! One test body, two backends.
//!
//! [`both_backends!`] turns `async fn name(db) { ... }` into a module
//! `name` with two tests, `name::sqlite` and `name::postgres`, that run the
//! same body against a [`Db`]: a fresh in-memory SQLite database, or a
//! fresh schema on the PostgreSQL server at `QUARRY_PG_URL` (default
//! `postgres://postgres@127.0.0.1:5432/test`). A [`Db`]'s methods take the
//! same query value on both backends and run it with quarry's own API,
//! `load` on SQLite and `load_async` on PostgreSQL, so every query in a body
//! compiles for both.
//!
//! The PostgreSQL test of each body gets its own schema (its connection's
//! `search_path`), dropped at the end even when the body panics, so tests
//! run in parallel without seeing each other's rows. A missing database
//! (the `test` of the default URL) is created. When the server is
//! unreachable the PostgreSQL tests pass without running, and a notice says
//! so on the terminal once per test binary, unless `CI` is set: then they
//! fail.
//!
//! Without quarry's `postgres` feature there is no PostgreSQL side: `Db`
//! has only its SQLite variant and [`both_backends!`] declares only the
//! `sqlite` tests.

#[cfg(feature = "postgres")]
use std::panic::AssertUnwindSafe;
#[cfg(feature = "postgres")]
use std::sync::atomic::{AtomicU32, Ordering};

#[cfg(feature = "postgres")]
use futures_util::FutureExt;
use quarry::deserialize::FromRow;
use quarry::prelude::*;
use quarry::query::{Limit, Query, SelectStatement};
use quarry::{Error, QueryFragment, Value};

/// A test database on one of the two backends.
#[allow(clippy::large_enum_variant)] // one per test
pub enum Db {
    /// A private in-memory SQLite database.
    Sqlite(quarry::sqlite::Connection),
    /// A connection whose `search_path` is the test's own schema.
    #[cfg(feature = "postgres")]
    Pg(quarry::pg::Connection),
}

/// The statement `first` runs: `Q` with `LIMIT 1`.
pub type LimitOne<Q> = SelectStatement<
    <Q as QueryDsl>::From,
    <Q as QueryDsl>::Select,
    <Q as QueryDsl>::SelectIdx,
    <Q as QueryDsl>::Where,
    <Q as QueryDsl>::Order,
    Limit,
    <Q as QueryDsl>::Offset,
    <Q as QueryDsl>::Distinct,
    <Q as QueryDsl>::Group,
>;

/// A row type that loads from rows of SQL type `ST` on every backend the
/// tests run: SQLite, and PostgreSQL with the `postgres` feature.
#[cfg(feature = "postgres")]
pub trait LoadsOnBoth<ST>: FromRow<ST, Sqlite> + FromRow<ST, Pg> {}
#[cfg(feature = "postgres")]
impl<ST, U: FromRow<ST, Sqlite> + FromRow<ST, Pg>> LoadsOnBoth<ST> for U {}
/// A row type that loads from rows of SQL type `ST` on SQLite.
#[cfg(not(feature = "postgres"))]
pub trait LoadsOnBoth<ST>: FromRow<ST, Sqlite> {}
#[cfg(not(feature = "postgres"))]
impl<ST, U: FromRow<ST, Sqlite>> LoadsOnBoth<ST> for U {}

/// The row SQL type of statement `Q`.
type RowOf<Q> = <<Q as AsQuery>::Query as Query>::SqlType;

impl Db {
    /// `"SQLite"` or `"PostgreSQL"`.
    pub fn backend(&self) -> &'static str {
        match self {
            Db::Sqlite(_) => "SQLite",
            #[cfg(feature = "postgres")]
            Db::Pg(_) => "PostgreSQL",
        }
    }

    /// Whether this is the PostgreSQL side.
    pub fn is_pg(&self) -> bool {
        #[cfg(feature = "postgres")]
        return matches!(self, Db::Pg(_));
        #[cfg(not(feature = "postgres"))]
        false
    }

    /// The PostgreSQL connection, for tests of PostgreSQL-only behaviour.
    #[cfg(feature = "postgres")]
    pub fn pg(&self) -> Option<&quarry::pg::Connection> {
        match self {
            Db::Pg(conn) => Some(conn),
            Db::Sqlite(_) => None,
        }
    }

    /// Runs `sqlite` or `pg`, whichever is this backend's: statements
    /// separated by `;`, without parameters.
    #[cfg_attr(not(feature = "postgres"), allow(unused_variables))]
    pub async fn batch(&mut self, sqlite: &str, pg: &str) -> Result<(), Error> {
        match self {
            Db::Sqlite(conn) => conn.execute_batch(sqlite),
            #[cfg(feature = "postgres")]
            Db::Pg(conn) => conn.batch_execute(pg).await,
        }
    }

    /// Runs one statement of raw SQL with `$1`, `$2`, ... parameters.
    /// SQLite reads `$1` as a named parameter, numbered by first
    /// appearance: write them in order.
    pub async fn execute(&mut self, sql: &str, params: &[Value<'_>]) -> Result<u64, Error> {
        match self {
            Db::Sqlite(conn) => conn.execute(sql, params),
            #[cfg(feature = "postgres")]
            Db::Pg(conn) => conn.execute(sql, params).await,
        }
    }

    /// Creates the blog schema of [`super`] and fills it.
    pub async fn seed_blog(&mut self) -> Result<(), Error> {
        self.batch(super::DDL, super::PG_DDL).await?;
        for (sql, params) in super::blog_rows() {
            self.execute(sql, &params).await?;
        }
        Ok(())
    }

    /// `query.load(..)` or `query.load_async(..)`.
    pub async fn load<Q, U>(&mut self, query: Q) -> Result<Vec<U>, Error>
    where
        Q: AsQuery,
        Q::Query: QueryFragment<Sqlite> + QueryFragment<Pg> + Query + Send,
        U: LoadsOnBoth<RowOf<Q>> + Send,
    {
        match self {
            Db::Sqlite(conn) => query.load(conn),
            #[cfg(feature = "postgres")]
            Db::Pg(conn) => query.load_async(conn).await,
        }
    }

    /// `query.get_result(..)` or `query.get_result_async(..)`.
    pub async fn get_result<Q, U>(&mut self, query: Q) -> Result<U, Error>
    where
        Q: AsQuery,
        Q::Query: QueryFragment<Sqlite> + QueryFragment<Pg> + Query + Send,
        U: LoadsOnBoth<RowOf<Q>> + Send,
    {
        match self {
            Db::Sqlite(conn) => query.get_result(conn),
            #[cfg(feature = "postgres")]
            Db::Pg(conn) => query.get_result_async(conn).await,
        }
    }

    /// `query.first(..)` or `query.first_async(..)`.
    pub async fn first<Q, U>(&mut self, query: Q) -> Result<U, Error>
    where
        Q: QueryDsl,
        LimitOne<Q>: QueryFragment<Sqlite> + QueryFragment<Pg> + Query + Send,
        U: LoadsOnBoth<<LimitOne<Q> as Query>::SqlType> + Send,
    {
        match self {
            Db::Sqlite(conn) => query.first(conn),
            #[cfg(feature = "postgres")]
            Db::Pg(conn) => query.first_async(conn).await,
        }
    }

    /// Hand-written SQL through the raw escape hatch, its rows read as `U`
    /// for row type `ST`: the reference a typed query is compared with.
    pub async fn load_raw<ST, U>(&mut self, sql: &str) -> Result<Vec<U>, Error>
    where
        U: LoadsOnBoth<ST>,
    {
        use quarry::deserialize::RowReader;
        match self {
            Db::Sqlite(conn) => {
                let mut rows = Vec::new();
                conn.query_raw(sql, &[], |row| {
                    rows.push(<U as FromRow<ST, Sqlite>>::from_row(&mut RowReader::new(
                        row,
                    ))?);
                    Ok(())
                })?;
                Ok(rows)
            }
            #[cfg(feature = "postgres")]
            Db::Pg(conn) => conn
                .query_raw(sql, &[])
                .await?
                .iter()
                .map(|row| <U as FromRow<ST, Pg>>::from_row(&mut RowReader::new(row)))
                .collect(),
        }
    }

    /// `statement.execute(..)` or `statement.execute_async(..)`.
    pub async fn run<Q>(&mut self, statement: Q) -> Result<u64, Error>
    where
        Q: AsQuery,
        Q::Query: QueryFragment<Sqlite> + QueryFragment<Pg> + Send,
    {
        match self {
            Db::Sqlite(conn) => statement.execute(conn),
            #[cfg(feature = "postgres")]
            Db::Pg(conn) => statement.execute_async(conn).await,
        }
    }
}

/// Runs `body` on a fresh in-memory SQLite database.
pub async fn run_sqlite(body: impl AsyncFnOnce(&mut Db) -> Result<(), Error>) {
    let conn = quarry::sqlite::Connection::open_in_memory().expect("open in-memory SQLite");
    let mut db = Db::Sqlite(conn);
    if let Err(e) = body(&mut db).await {
        panic!("on SQLite: {e:?}");
    }
}

#[cfg(feature = "postgres")]
/// The PostgreSQL server the tests use.
pub fn pg_url() -> String {
    std::env::var("QUARRY_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

#[cfg(feature = "postgres")]
/// Connects to `url`; when its database does not exist (SQLSTATE 3D000),
/// creates it through the server's `postgres` database and connects again.
pub async fn connect_creating_database(url: &str) -> Result<quarry::pg::Connection, Error> {
    match quarry::pg::Connection::connect(url).await {
        Err(e) if e.sqlstate() == Some("3D000") => {
            let Some((maintenance, name)) = maintenance_url(url) else {
                return Err(e);
            };
            let admin = quarry::pg::Connection::connect(&maintenance).await?;
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
            quarry::pg::Connection::connect(url).await
        }
        other => other,
    }
}

#[cfg(feature = "postgres")]
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

#[cfg(feature = "postgres")]
/// Says once per test binary, on the terminal, that the PostgreSQL tests
/// pass without running. Written to the stderr handle directly: libtest
/// captures `eprintln!` but not that.
fn announce_skip(base: &str, e: &Error) {
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

#[cfg(feature = "postgres")]
/// A schema for one test, and a connection outside it to drop it with.
pub struct PgSchema {
    /// The schema's name.
    pub name: String,
    /// The server URL with the schema as `search_path`.
    pub url: String,
    admin: quarry::pg::Connection,
}

#[cfg(feature = "postgres")]
impl PgSchema {
    /// Creates a schema for test `test`, or returns `None` after printing
    /// a notice when the server is unreachable and `CI` is not set.
    pub async fn create(test: &str) -> Option<PgSchema> {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let base = pg_url();
        let admin = match connect_creating_database(&base).await {
            Ok(conn) => conn,
            // Only an unreachable server skips; any other failure is a bug.
            Err(e @ (Error::Connect { .. } | Error::ConnectionLost { .. })) => {
                if std::env::var_os("CI").is_some() {
                    panic!("PostgreSQL is unreachable at {base} and CI is set: {e}");
                }
                announce_skip(&base, &e);
                println!("skipped {test}: PostgreSQL is unreachable at {base}");
                return None;
            }
            Err(e) => panic!("cannot connect to PostgreSQL at {base}: {e}"),
        };
        // Unique across the tests of this process and across processes.
        let short: String = test
            .rsplit("::")
            .find(|part| *part != "postgres")
            .unwrap_or("t")
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
            .take(30)
            .collect();
        let name = format!(
            "qt_{}_{}_{}",
            short.to_lowercase(),
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        admin
            .batch_execute(&format!(
                "DROP SCHEMA IF EXISTS {name} CASCADE; CREATE SCHEMA {name}"
            ))
            .await
            .expect("create the test's schema");
        let sep = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{sep}options=-csearch_path%3D{name}");
        Some(PgSchema { name, url, admin })
    }

    /// Drops the schema and everything in it.
    pub async fn drop_schema(self) {
        if let Err(e) = self
            .admin
            .batch_execute(&format!("DROP SCHEMA {} CASCADE", self.name))
            .await
        {
            eprintln!("could not drop test schema {}: {e}", self.name);
        }
    }
}

#[cfg(feature = "postgres")]
/// Runs `body` with a fresh schema on the PostgreSQL server (see the
/// module doc for when it skips). The schema is dropped afterwards, also
/// when the body panics.
pub async fn with_pg_schema(test: &str, body: impl AsyncFnOnce(&PgSchema) -> Result<(), Error>) {
    let Some(schema) = PgSchema::create(test).await else {
        return;
    };
    let outcome = AssertUnwindSafe(body(&schema)).catch_unwind().await;
    schema.drop_schema().await;
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(e)) => panic!("on PostgreSQL: {e:?}"),
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

#[cfg(feature = "postgres")]
/// Runs `body` on a connection into a fresh schema: see
/// [`with_pg_schema`].
pub async fn run_pg(test: &str, body: impl AsyncFnOnce(&mut Db) -> Result<(), Error>) {
    with_pg_schema(test, async |schema| {
        let conn = quarry::pg::Connection::connect(&schema.url).await?;
        let mut db = Db::Pg(conn);
        body(&mut db).await
    })
    .await;
}

/// Declares tests that run one body on both backends:
///
/// ```ignore
/// both_backends! {
///     /// What the test shows.
///     async fn names_load_in_order(db) {
///         db.seed_blog().await?;
///         let names: Vec<String> = db.load(users::table.select(users::name)).await?;
///         assert_eq!(names.len(), 3);
///         Ok(())
///     }
/// }
/// ```
///
/// Each `async fn` becomes a module with the tests `sqlite` and `postgres`
/// (`postgres` only with quarry's `postgres` feature).
/// The body gets `db: &mut Db` and returns `Result<(), quarry::Error>`.
macro_rules! both_backends {
    ($(
        $(#[$attr:meta])*
        async fn $name:ident($db:ident) $body:block
    )*) => {$(
        $(#[$attr])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn body($db: &mut crate::common::Db) -> ::core::result::Result<(), ::quarry::Error> $body

            #[tokio::test]
            async fn sqlite() {
                crate::common::db::run_sqlite(async |db| body(db).await).await;
            }

            #[cfg(feature = "postgres")]
            #[tokio::test]
            async fn postgres() {
                crate::common::db::run_pg(module_path!(), async |db| body(db).await).await;
            }
        }
    )*};
}
pub(crate) use both_backends;
