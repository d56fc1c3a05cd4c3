//! Everything that stops `print-schema`, each with a message that says
//! what to do.

use std::fmt;
use std::path::PathBuf;

use crate::model::DbType;
use crate::types::hint_for;

/// Why a `quarry` command failed. The command shows it on stderr and exits
/// with status 1, or 2 for a usage error (`Usage`, `BadMapType`,
/// `BadPattern`).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The URL names no database quarry can read.
    #[error("bad database URL `{url}`: {reason}")]
    BadUrl { url: String, reason: String },

    /// The SQLite file does not exist; it is never created.
    #[error("SQLite database `{}` does not exist (quarry never creates one)", path.display())]
    MissingSqliteFile { path: PathBuf },

    /// SQLite refused to open or read the file.
    #[error("cannot read SQLite database `{}`: {source}", path.display())]
    Sqlite {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },

    /// The PostgreSQL server could not be reached or refused the login.
    #[error("cannot connect to PostgreSQL at {target}: {}", connect_reason(source))]
    PgConnect {
        target: String,
        #[source]
        source: quarry_runtime::Error,
    },

    /// A catalog query failed on PostgreSQL.
    #[error("reading PostgreSQL's catalog failed: {}", one_line(source))]
    Pg {
        #[source]
        source: tokio_postgres::Error,
    },

    /// The MariaDB server could not be reached or refused the login.
    #[error("cannot connect to MariaDB at {target}: {message}")]
    MySqlConnect { target: String, message: String },

    /// A catalog query or command failed on MariaDB; the server's message.
    #[error("{what} on MariaDB failed: {message}")]
    MySql { what: &'static str, message: String },

    /// `--schema` (or the URL) names a MariaDB database that does not exist.
    #[error("MariaDB database `{0}` does not exist")]
    NoSuchDatabase(String),

    /// `--schema` names a PostgreSQL schema that does not exist.
    #[error("PostgreSQL schema `{0}` does not exist")]
    NoSuchSchema(String),

    /// The `--from-sql` file could not be read.
    #[error("cannot read `{}`: {source}", path.display())]
    ReadDdl {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// sqlparser could not parse the `--from-sql` file.
    #[error("cannot parse `{}` as {dialect} DDL: {source}", path.display())]
    ParseDdl {
        path: PathBuf,
        dialect: &'static str,
        #[source]
        source: sqlparser::parser::ParserError,
    },

    /// The DDL parsed but says something print-schema cannot follow.
    #[error("in `{}`: {message}", path.display())]
    Ddl { path: PathBuf, message: String },

    /// An `--only-tables` or `--except-tables` pattern is no regex.
    #[error("bad table pattern `{pattern}`: {}", one_line(source))]
    BadPattern {
        pattern: String,
        #[source]
        source: regex::Error,
    },

    /// A `--map-type` argument is malformed.
    #[error("bad `--map-type {arg}`: {reason}")]
    BadMapType { arg: String, reason: String },

    /// Columns whose types quarry does not know, all of them.
    #[error("{}", UnknownTypes(.0))]
    UnknownTypes(Vec<UnknownType>),

    /// Nothing is left to print.
    #[error("{0}")]
    NoTables(String),

    /// The command and its options do not fit together.
    #[error("{0}")]
    Usage(String),

    /// The printed source failed quarry's own checks: a bug in print-schema.
    #[error(
        "the printed schema does not pass table!'s checks (a bug in quarry, please report it): {0}"
    )]
    Invalid(String),

    /// The output file could not be written; an existing one is untouched.
    #[error("cannot write `{}`: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// A generated migration needs a SQL type quarry cannot name.
    #[error(
        "cannot write `{column}`'s type `{ty}` in {dialect} DDL; map a database type to it \
         (`map_types = [\"dbtype={ty}\"]` in quarry.toml's [print_schema])"
    )]
    NoSqlType {
        column: String,
        ty: String,
        dialect: &'static str,
    },

    /// Reading, checking or running migrations failed.
    #[error(transparent)]
    Migrations(#[from] quarry_migrate::Error),

    /// `quarry.toml` could not be read or parsed.
    #[error("bad `{}`: {message}", path.display())]
    Config { path: PathBuf, message: String },

    /// `schema.rs` could not be parsed as `table!` declarations.
    #[error("cannot read `{}` as `table!` declarations: {message}", path.display())]
    SchemaFile { path: PathBuf, message: String },

    /// No `--database-url`, no `DATABASE_URL`.
    #[error("no database: give `--database-url URL`, or set DATABASE_URL (a `.env` file works)")]
    NoDatabaseUrl,

    /// `migration generate --diff-schema` while migrations are pending.
    #[error(
        "migrations are pending ({}); run `quarry migration run` first, so the diff starts from \
         what they make",
        .0.join(", ")
    )]
    Pending(Vec<String>),

    /// A file or folder could not be created.
    #[error("cannot create `{}`: {source}", path.display())]
    Create {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// The command needs a feature this build of `quarry` lacks.
    #[error("{0}")]
    NotBuilt(String),

    /// The async runtime for PostgreSQL could not start.
    #[error("cannot start the async runtime: {0}")]
    Runtime(#[source] std::io::Error),
}

/// A column whose type quarry has no name for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownType {
    pub table: String,
    pub column: String,
    pub ty: DbType,
}

impl fmt::Display for UnknownType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Self { table, column, ty } = self;
        let hint = hint_for(ty);
        match ty {
            DbType::Untyped => write!(
                f,
                "table `{table}`, column `{column}` has no declared type; give it one, or map \
                 it with `--map-type {table}.{column}={hint}`"
            ),
            DbType::Named(name) => write!(
                f,
                "table `{table}`, column `{column}` has type `{name}`, which quarry does not \
                 know; map it with `--map-type {name}={hint}`"
            ),
            DbType::Array(element) => write!(
                f,
                "table `{table}`, column `{column}` is an array of `{element}`, which quarry \
                 does not know; map the element with `--map-type {element}={hint}`"
            ),
        }
    }
}

struct UnknownTypes<'a>(&'a [UnknownType]);

impl fmt::Display for UnknownTypes<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, unknown) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\nerror: ")?;
            }
            write!(f, "{unknown}")?;
        }
        if !self.0.is_empty() {
            f.write_str(
                "\n(`--map-type` takes any of quarry's SQL types, or a path to your own like \
                 `crate::sql_types::Mood`; `--map-type table.column=Type` maps one column)",
            )?;
        }
        Ok(())
    }
}

/// An error's message and its causes on one line.
/// Why a connection failed: the driver's or the TLS layer's words for a
/// connection that did not open, else the runtime's message (a login the
/// server refused, with its message and SQLSTATE).
fn connect_reason(error: &quarry_runtime::Error) -> String {
    match error {
        quarry_runtime::Error::Connect { source, .. } => one_line(&**source),
        // Its own text holds the server's message; its sources repeat it.
        other => other.to_string(),
    }
}

fn one_line(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
