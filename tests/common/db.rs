//! One test body, two backends (three with the `mysql` feature).
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
//!
//! With the `mysql` feature each body also runs as `name::mysql`, in a
//! database of its own on the MariaDB server at `QUARRY_MYSQL_URL`
//! (default `mysql://root@127.0.0.1:3306/test`), created with the
//! `utf8mb4_bin` collation (exact text comparisons, as on the other two)
//! and dropped at the end even when the body panics; skipped with a note,
//! or failed under `CI`, like PostgreSQL.

#[cfg(any(feature = "postgres", feature = "mysql"))]
use std::panic::AssertUnwindSafe;
#[cfg(any(feature = "postgres", feature = "mysql"))]
use std::sync::atomic::{AtomicU32, Ordering};

#[cfg(any(feature = "postgres", feature = "mysql"))]
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
    /// A connection to the test's own MariaDB database.
    #[cfg(feature = "mysql")]
    Mysql(quarry::mysql::Connection),
}

/// A statement every backend of the run can write.
#[cfg(not(feature = "mysql"))]
pub trait OnAll: QueryFragment<Sqlite> + QueryFragment<Pg> {}
#[cfg(not(feature = "mysql"))]
impl<T: QueryFragment<Sqlite> + QueryFragment<Pg>> OnAll for T {}
/// A statement every backend of the run can write.
#[cfg(feature = "mysql")]
pub trait OnAll: QueryFragment<Sqlite> + QueryFragment<Pg> + QueryFragment<quarry::Mysql> {}
#[cfg(feature = "mysql")]
impl<T: QueryFragment<Sqlite> + QueryFragment<Pg> + QueryFragment<quarry::Mysql>> OnAll for T {}

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
/// tests run: SQLite, PostgreSQL with the `postgres` feature, MariaDB with
/// the `mysql` feature.
pub trait RowOnAll<ST>: FromRow<ST, Sqlite> + OnPg<ST> + OnMysql<ST> {}
impl<ST, U: FromRow<ST, Sqlite> + OnPg<ST> + OnMysql<ST>> RowOnAll<ST> for U {}
/// Loads on PostgreSQL, when the tests run it.
#[cfg(feature = "postgres")]
pub trait OnPg<ST>: FromRow<ST, Pg> {}
#[cfg(feature = "postgres")]
impl<ST, U: FromRow<ST, Pg>> OnPg<ST> for U {}
/// Loads on PostgreSQL, when the tests run it.
#[cfg(not(feature = "postgres"))]
pub trait OnPg<ST> {}
#[cfg(not(feature = "postgres"))]
impl<ST, U> OnPg<ST> for U {}
/// Loads on MariaDB, when the tests run it.
#[cfg(feature = "mysql")]
pub trait OnMysql<ST>: FromRow<ST, quarry::Mysql> {}
#[cfg(feature = "mysql")]
impl<ST, U: FromRow<ST, quarry::Mysql>> OnMysql<ST> for U {}
/// Loads on MariaDB, when the tests run it.
#[cfg(not(feature = "mysql"))]
pub trait OnMysql<ST> {}
#[cfg(not(feature = "mysql"))]
impl<ST, U> OnMysql<ST> for U {}

/// The row SQL type of statement `Q`.
type RowOf<Q> = <<Q as AsQuery>::Query as Query>::SqlType;

impl Db {
    /// `"SQLite"`, `"PostgreSQL"` or `"MariaDB"`.
    pub fn backend(&self) -> &'static str {
        match self {
            Db::Sqlite(_) => "SQLite",
            #[cfg(feature = "postgres")]
            Db::Pg(_) => "PostgreSQL",
            #[cfg(feature = "mysql")]
            Db::Mysql(_) => "MariaDB",
        }
    }

    /// Whether this is the MariaDB side.
    pub fn is_mysql(&self) -> bool {
        #[cfg(feature = "mysql")]
        {
            matches!(self, Db::Mysql(_))
        }
        #[cfg(not(feature = "mysql"))]
        {
            false
        }
    }

    /// Whether this is the PostgreSQL side.
    pub fn is_pg(&self) -> bool {
        #[cfg(feature = "postgres")]
        return matches!(self, Db::Pg(_));
        #[cfg(not(feature = "postgres"))]
        false
    }

    /// On MariaDB, says on the terminal that this body does not run there
    /// and why, and returns `true`: `if db.skip_on_mysql("why") { return
    /// Ok(()); }` for a body that cannot be portable to MariaDB.
    pub fn skip_on_mysql(&self, why: &str) -> bool {
        use std::io::Write;
        if self.is_mysql() {
            let _ = writeln!(std::io::stderr(), "note: not run on MariaDB: {why}");
            return true;
        }
        false
    }

    /// The PostgreSQL connection, for tests of PostgreSQL-only behaviour.
    #[cfg(feature = "postgres")]
    pub fn pg(&self) -> Option<&quarry::pg::Connection> {
        match self {
            Db::Pg(conn) => Some(conn),
            _ => None,
        }
    }

    /// Runs `sqlite` or `pg`, whichever is this backend's: statements
    /// separated by `;`, without parameters.
    #[cfg_attr(not(feature = "postgres"), allow(unused_variables))]
    ///
    /// MariaDB runs `pg` translated by [`mysql_ddl`].
    pub async fn batch(&mut self, sqlite: &str, pg: &str) -> Result<(), Error> {
        match self {
            Db::Sqlite(conn) => conn.execute_batch(sqlite),
            #[cfg(feature = "postgres")]
            Db::Pg(conn) => conn.batch_execute(pg).await,
            #[cfg(feature = "mysql")]
            Db::Mysql(conn) => conn.batch_execute(&mysql_ddl(pg)).await,
        }
    }

    /// Runs `mysql` on MariaDB, and `sqlite` or `pg` on the others: for
    /// DDL that [`mysql_ddl`] does not translate.
    pub async fn batch3(&mut self, sqlite: &str, pg: &str, mysql: &str) -> Result<(), Error> {
        let _ = (pg, mysql);
        match self {
            Db::Sqlite(conn) => conn.execute_batch(sqlite),
            #[cfg(feature = "postgres")]
            Db::Pg(conn) => conn.batch_execute(pg).await,
            #[cfg(feature = "mysql")]
            Db::Mysql(conn) => conn.batch_execute(mysql).await,
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
            #[cfg(feature = "mysql")]
            Db::Mysql(conn) => conn.execute(&question_marks(sql), params).await,
        }
    }

    /// Creates the blog schema of [`super`] and fills it.
    pub async fn seed_blog(&mut self) -> Result<(), Error> {
        self.batch3(super::DDL, super::PG_DDL, super::MYSQL_DDL)
            .await?;
        for (sql, params) in super::blog_rows() {
            self.execute(sql, &params).await?;
        }
        Ok(())
    }

    /// `query.load(..)` or `query.load_async(..)`.
    pub async fn load<Q, U>(&mut self, query: Q) -> Result<Vec<U>, Error>
    where
        Q: AsQuery,
        Q::Query: OnAll + Query + Send,
        U: RowOnAll<RowOf<Q>> + Send,
    {
        match self {
            Db::Sqlite(conn) => query.load(conn),
            #[cfg(feature = "postgres")]
            Db::Pg(conn) => query.load_async(conn).await,
            #[cfg(feature = "mysql")]
            Db::Mysql(conn) => quarry::mysql::RunQueryAsync::load_async(query, &*conn).await,
        }
    }

    /// `query.get_result(..)` or `query.get_result_async(..)`.
    pub async fn get_result<Q, U>(&mut self, query: Q) -> Result<U, Error>
    where
        Q: AsQuery,
        Q::Query: OnAll + Query + Send,
        U: RowOnAll<RowOf<Q>> + Send,
    {
        match self {
            Db::Sqlite(conn) => query.get_result(conn),
            #[cfg(feature = "postgres")]
            Db::Pg(conn) => query.get_result_async(conn).await,
            #[cfg(feature = "mysql")]
            Db::Mysql(conn) => quarry::mysql::RunQueryAsync::get_result_async(query, &*conn).await,
        }
    }

    /// `query.first(..)` or `query.first_async(..)`.
    pub async fn first<Q, U>(&mut self, query: Q) -> Result<U, Error>
    where
        Q: QueryDsl,
        LimitOne<Q>: OnAll + Query + Send,
        U: RowOnAll<<LimitOne<Q> as Query>::SqlType> + Send,
    {
        match self {
            Db::Sqlite(conn) => query.first(conn),
            #[cfg(feature = "postgres")]
            Db::Pg(conn) => query.first_async(conn).await,
            #[cfg(feature = "mysql")]
            Db::Mysql(conn) => quarry::mysql::RunQueryAsync::first_async(query, &*conn).await,
        }
    }

    /// Hand-written SQL through the raw escape hatch, its rows read as `U`
    /// for row type `ST`: the reference a typed query is compared with.
    pub async fn load_raw<ST, U>(&mut self, sql: &str) -> Result<Vec<U>, Error>
    where
        U: RowOnAll<ST>,
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
            #[cfg(feature = "mysql")]
            Db::Mysql(conn) => conn
                .query_raw(&mysql_sql(sql), &[])
                .await?
                .iter()
                .map(|row| <U as FromRow<ST, quarry::Mysql>>::from_row(&mut RowReader::new(row)))
                .collect(),
        }
    }

    /// `statement.execute(..)` or `statement.execute_async(..)`.
    pub async fn run<Q>(&mut self, statement: Q) -> Result<u64, Error>
    where
        Q: AsQuery,
        Q::Query: OnAll + Send,
    {
        match self {
            Db::Sqlite(conn) => statement.execute(conn),
            #[cfg(feature = "postgres")]
            Db::Pg(conn) => statement.execute_async(conn).await,
            #[cfg(feature = "mysql")]
            Db::Mysql(conn) => quarry::mysql::RunQueryAsync::execute_async(statement, &*conn).await,
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

/// `$1`, `$2`, ... as `?`: raw SQL of the tests, whose parameters are
/// numbered in order, for MariaDB.
pub fn question_marks(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) {
            while chars.peek().is_some_and(char::is_ascii_digit) {
                chars.next();
            }
            out.push('?');
        } else {
            out.push(c);
        }
    }
    out
}

/// PostgreSQL DDL of the tests as MariaDB DDL: quoted identifiers in
/// backticks, and the types MariaDB names otherwise. A test-only
/// translation of the few shapes the tests write, not a general one.
pub fn mysql_ddl(pg: &str) -> String {
    let mut out = pg.replace('"', "`");
    for (from, to) in [
        ("DOUBLE PRECISION", "DOUBLE"),
        ("GENERATED BY DEFAULT AS IDENTITY", "AUTO_INCREMENT"),
        ("GENERATED ALWAYS AS IDENTITY", "AUTO_INCREMENT"),
        ("TEXT PRIMARY KEY", "VARCHAR(255) PRIMARY KEY"),
        ("TEXT NOT NULL UNIQUE", "VARCHAR(255) NOT NULL UNIQUE"),
        ("TEXT UNIQUE", "VARCHAR(255) UNIQUE"),
    ] {
        out = out.replace(from, to);
    }
    for (word, to) in [
        ("BYTEA", "LONGBLOB"),
        ("BIGSERIAL", "BIGINT AUTO_INCREMENT"),
        ("SERIAL", "INT AUTO_INCREMENT"),
        // TIMESTAMP is 1970 to 2038 on MariaDB; quarry writes UTC.
        ("TIMESTAMPTZ", "DATETIME(6)"),
        ("TIMESTAMP", "DATETIME(6)"),
        ("TIME", "TIME(6)"),
        ("JSONB", "JSON"),
        ("REAL", "FLOAT"),
        ("NUMERIC", "DECIMAL(65,30)"),
        ("TEXT", "LONGTEXT"),
    ] {
        out = replace_word(&out, word, to);
    }
    out
}

/// `s` with the word `word` (not part of a longer identifier, and not
/// followed by `(`) replaced by `to`.
fn replace_word(s: &str, word: &str, to: &str) -> String {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find(word) {
        let before = rest[..at].chars().next_back();
        let after = rest[at + word.len()..].chars().next();
        out.push_str(&rest[..at]);
        if before.is_some_and(ident) || after.is_some_and(|c| ident(c) || c == '(') {
            out.push_str(word);
        } else {
            out.push_str(to);
        }
        rest = &rest[at + word.len()..];
    }
    out.push_str(rest);
    out
}

/// Hand-written reference SQL of the tests (PostgreSQL's spelling) as
/// MariaDB's: cast targets and quoted identifiers. Test-only, like
/// [`mysql_ddl`].
pub fn mysql_sql(sql: &str) -> String {
    let mut out = sql.replace('"', "`");
    for (from, to) in [
        ("AS BIGINT)", "AS SIGNED)"),
        ("AS INTEGER)", "AS SIGNED)"),
        ("AS SMALLINT)", "AS SIGNED)"),
        ("AS INT)", "AS SIGNED)"),
        ("AS DOUBLE PRECISION)", "AS DOUBLE)"),
        ("AS REAL)", "AS DOUBLE)"),
        ("AS TEXT)", "AS CHAR)"),
        ("AS NUMERIC)", "AS DECIMAL(65,30))"),
        // MariaDB's AVG of integers keeps four places; of doubles, all.
        ("AVG(", "AVG(1e0 * "),
    ] {
        out = out.replace(from, to);
    }
    out
}

/// The MariaDB server the tests use.
#[cfg(feature = "mysql")]
pub fn mysql_url() -> String {
    std::env::var("QUARRY_MYSQL_URL")
        .unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/test".to_owned())
}

/// A MariaDB database for one test, and a connection outside it to drop
/// it with.
#[cfg(feature = "mysql")]
pub struct MysqlDb {
    /// The database's name.
    pub name: String,
    /// The server URL with the database as its path.
    pub url: String,
    admin: quarry::mysql::Connection,
}

#[cfg(feature = "mysql")]
impl MysqlDb {
    /// Creates a database (`utf8mb4_bin`) for test `test`, or returns
    /// `None` after printing why when the server is unreachable (a panic
    /// under `CI`).
    pub async fn create(test: &str) -> Option<MysqlDb> {
        use std::io::Write;
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let base = mysql_url();
        let admin = match quarry::mysql::Connection::connect(&base).await {
            Ok(conn) => conn,
            Err(e @ (Error::Connect { .. } | Error::ConnectionLost { .. })) => {
                if std::env::var_os("CI").is_some() {
                    panic!("MariaDB is unreachable at {base} and CI is set: {e}");
                }
                static ONCE: std::sync::Once = std::sync::Once::new();
                ONCE.call_once(|| {
                    let _ = writeln!(
                        std::io::stderr(),
                        "\nnote: MariaDB is unreachable at {base} ({e}): this binary's MariaDB \
                         tests pass without running. Start the server or set QUARRY_MYSQL_URL; set \
                         CI=1 to make them fail.\n"
                    );
                });
                println!("skipped {test}: MariaDB is unreachable at {base}");
                return None;
            }
            Err(e) => panic!("cannot connect to MariaDB at {base}: {e}"),
        };
        let short: String = test
            .rsplit("::")
            .find(|part| *part != "mysql")
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
                "DROP DATABASE IF EXISTS {name}; CREATE DATABASE {name} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
            ))
            .await
            .expect("create the test's database");
        let end = base.find('?').unwrap_or(base.len());
        let slash = base[..end]
            .rfind('/')
            .expect("a database in the MariaDB URL");
        let url = format!("{}/{name}{}", &base[..slash], &base[end..]);
        Some(MysqlDb { name, url, admin })
    }

    /// Drops the database and everything in it.
    pub async fn drop_database(self) {
        if let Err(e) = self
            .admin
            .batch_execute(&format!("DROP DATABASE {}", self.name))
            .await
        {
            eprintln!("could not drop test database {}: {e}", self.name);
        }
    }
}

/// Runs `body` on a connection into a fresh MariaDB database of its own,
/// dropped afterwards, also when the body panics. Skips with a note when
/// the server is unreachable, unless `CI` is set.
#[cfg(feature = "mysql")]
pub async fn run_mysql(test: &str, body: impl AsyncFnOnce(&mut Db) -> Result<(), Error>) {
    let Some(database) = MysqlDb::create(test).await else {
        return;
    };
    let outcome = AssertUnwindSafe(async {
        let conn = quarry::mysql::Connection::connect(&database.url).await?;
        let mut db = Db::Mysql(conn);
        body(&mut db).await
    })
    .catch_unwind()
    .await;
    database.drop_database().await;
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(e)) => panic!("on MariaDB: {e:?}"),
        Err(panic) => std::panic::resume_unwind(panic),
    }
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

            #[cfg(feature = "mysql")]
            #[tokio::test]
            async fn mysql() {
                crate::common::db::run_mysql(module_path!(), async |db| body(db).await).await;
            }
        }
    )*};
}
pub(crate) use both_backends;

/// A [`Db`] on SQLite or PostgreSQL only, for a [`two_backends!`] body:
/// its methods take statements MariaDB cannot run (`UPDATE ...
/// RETURNING`, ordering by a selected position). Everything else is the
/// [`Db`]'s, through `Deref`.
pub struct Db2<'a>(pub &'a mut Db);

impl std::ops::Deref for Db2<'_> {
    type Target = Db;
    fn deref(&self) -> &Db {
        self.0
    }
}

impl std::ops::DerefMut for Db2<'_> {
    fn deref_mut(&mut self) -> &mut Db {
        self.0
    }
}

/// The error a [`Db2`] method gives on MariaDB, which never runs one.
#[cfg(feature = "mysql")]
fn not_on_mysql() -> Error {
    Error::Config("this body does not run on MariaDB (two_backends!)".into())
}

impl Db2<'_> {
    /// `query.load(..)` or `query.load_async(..)`.
    pub async fn load<Q, U>(&mut self, query: Q) -> Result<Vec<U>, Error>
    where
        Q: AsQuery,
        Q::Query: QueryFragment<Sqlite> + QueryFragment<Pg> + Query + Send,
        U: FromRow<RowOf<Q>, Sqlite> + OnPg<RowOf<Q>> + Send,
    {
        match &mut *self.0 {
            Db::Sqlite(conn) => query.load(conn),
            #[cfg(feature = "postgres")]
            Db::Pg(conn) => query.load_async(conn).await,
            #[cfg(feature = "mysql")]
            Db::Mysql(_) => Err(not_on_mysql()),
        }
    }

    /// `query.get_result(..)` or `query.get_result_async(..)`.
    pub async fn get_result<Q, U>(&mut self, query: Q) -> Result<U, Error>
    where
        Q: AsQuery,
        Q::Query: QueryFragment<Sqlite> + QueryFragment<Pg> + Query + Send,
        U: FromRow<RowOf<Q>, Sqlite> + OnPg<RowOf<Q>> + Send,
    {
        match &mut *self.0 {
            Db::Sqlite(conn) => query.get_result(conn),
            #[cfg(feature = "postgres")]
            Db::Pg(conn) => query.get_result_async(conn).await,
            #[cfg(feature = "mysql")]
            Db::Mysql(_) => Err(not_on_mysql()),
        }
    }

    /// `statement.execute(..)` or `statement.execute_async(..)`.
    pub async fn run<Q>(&mut self, statement: Q) -> Result<u64, Error>
    where
        Q: AsQuery,
        Q::Query: QueryFragment<Sqlite> + QueryFragment<Pg> + Send,
    {
        match &mut *self.0 {
            Db::Sqlite(conn) => statement.execute(conn),
            #[cfg(feature = "postgres")]
            Db::Pg(conn) => statement.execute_async(conn).await,
            #[cfg(feature = "mysql")]
            Db::Mysql(_) => Err(not_on_mysql()),
        }
    }
}

/// Like [`both_backends!`], for bodies MariaDB cannot run, with the reason:
///
/// ```ignore
/// two_backends! {
///     reason = "MariaDB has no UPDATE ... RETURNING";
///     async fn updated_rows_come_back(db) { ... }
/// }
/// ```
///
/// The body gets a [`Db2`]. With the `mysql` feature a `mysql` test is
/// declared too: it runs nothing and says why on the terminal.
macro_rules! two_backends {
    (reason = $why:literal; $(
        $(#[$attr:meta])*
        async fn $name:ident($db:ident) $body:block
    )*) => {$(
        $(#[$attr])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[allow(unused_mut)]
            async fn body(mut $db: crate::common::db::Db2<'_>) -> ::core::result::Result<(), ::quarry::Error> {
                let $db = &mut $db;
                $body
            }

            #[tokio::test]
            async fn sqlite() {
                crate::common::db::run_sqlite(async |db| body(crate::common::db::Db2(db)).await).await;
            }

            #[cfg(feature = "postgres")]
            #[tokio::test]
            async fn postgres() {
                crate::common::db::run_pg(module_path!(), async |db| body(crate::common::db::Db2(db)).await).await;
            }

            #[cfg(feature = "mysql")]
            #[tokio::test]
            async fn mysql() {
                use ::std::io::Write;
                let _ = writeln!(::std::io::stderr(), "note: {} not run on MariaDB: {}", module_path!(), $why);
            }
        }
    )*};
}
pub(crate) use two_backends;

/// Like [`both_backends!`] (the body gets the same `&mut Db` and compiles
/// for every backend), but the MariaDB test runs nothing and says why: for
/// bodies whose runner MariaDB does not have yet.
macro_rules! skip_mysql {
    (reason = $why:literal; $(
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

            #[cfg(feature = "mysql")]
            #[tokio::test]
            async fn mysql() {
                use ::std::io::Write;
                let _ = writeln!(::std::io::stderr(), "note: {} not run on MariaDB: {}", module_path!(), $why);
            }
        }
    )*};
}
pub(crate) use skip_mysql;

/// Loads a boxed query on whichever backend `db` is, the query built once
/// for each: `$DB` names the backend in `$query`, which boxes for it.
///
/// ```ignore
/// let ids: Vec<i32> = load_boxed!(db, DB => search::<DB>(&form))?;
/// let id: i32 = load_boxed!(get_result: db, DB => search::<DB>(&form))?;
/// ```
///
/// A macro because a boxed query's type names its backend: the one
/// expression is instantiated per arm, as `load` (SQLite), `load_async`
/// (PostgreSQL) and `BoxedMysql::load_async` (MariaDB).
macro_rules! load_boxed {
    ($db:expr, $DB:ident => $query:expr) => {
        crate::common::db::load_boxed!(@run $db, load, load_async, $DB => $query)
    };
    (get_result: $db:expr, $DB:ident => $query:expr) => {
        crate::common::db::load_boxed!(@run $db, get_result, get_result_async, $DB => $query)
    };
    (@run $db:expr, $sync:ident, $async:ident, $DB:ident => $query:expr) => {
        match &mut *$db {
            crate::common::Db::Sqlite(conn) => {
                #[allow(dead_code)]
                type $DB = ::quarry::Sqlite;
                ($query).$sync(conn)
            }
            #[cfg(feature = "postgres")]
            crate::common::Db::Pg(conn) => {
                #[allow(dead_code)]
                type $DB = ::quarry::Pg;
                ($query).$async(conn).await
            }
            #[cfg(feature = "mysql")]
            crate::common::Db::Mysql(conn) => {
                #[allow(dead_code)]
                type $DB = ::quarry::Mysql;
                ::quarry::mysql::BoxedMysql::$async(&($query), &*conn).await
            }
        }
    };
}
pub(crate) use load_boxed;
