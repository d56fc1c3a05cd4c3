//! The one error type of quarry.

use std::time::Duration;

/// A boxed error from a driver or pool, kept as the source of an [`Error`].
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Everything that can go wrong when quarry talks to a database.
///
/// Constraint violations are their own variants so that callers can match on
/// them without parsing messages; the driver's error stays as the `source`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A `UNIQUE` or `PRIMARY KEY` constraint rejected the statement.
    #[error("unique constraint `{constraint}` violated")]
    UniqueViolation {
        /// The constraint's name (PostgreSQL) or its `table.column` list (SQLite).
        constraint: String,
        /// The driver's error.
        #[source]
        source: BoxError,
    },
    /// A `FOREIGN KEY` constraint rejected the statement.
    #[error("foreign key constraint `{constraint}` violated")]
    ForeignKeyViolation {
        /// The constraint's name where the database reports one.
        constraint: String,
        /// The driver's error.
        #[source]
        source: BoxError,
    },
    /// A `NOT NULL` constraint rejected the statement.
    #[error("not-null constraint violated on `{column}`")]
    NotNullViolation {
        /// The column, as `table.column` where known.
        column: String,
        /// The driver's error.
        #[source]
        source: BoxError,
    },
    /// A `CHECK` constraint rejected the statement.
    #[error("check constraint `{constraint}` violated")]
    CheckViolation {
        /// The constraint's name where the database reports one.
        constraint: String,
        /// The driver's error.
        #[source]
        source: BoxError,
    },
    /// The transaction could not be serialized; retrying it may succeed.
    #[error("serialization failure: retry the transaction")]
    SerializationFailure {
        /// The driver's error.
        #[source]
        source: BoxError,
    },
    /// The connection to the server was lost.
    #[error("connection lost")]
    ConnectionLost {
        /// The driver's error.
        #[source]
        source: BoxError,
    },
    /// No pooled connection became free within the pool's `wait_timeout`.
    #[error("no connection available after waiting {waited:?}: the pool's `{setting}` elapsed")]
    PoolTimeout {
        /// The name of the pool setting that bounded the wait.
        setting: &'static str,
        /// How long the caller waited.
        waited: Duration,
    },
    /// A column's value could not be read as the Rust type the query promised.
    #[error("column `{column}` (index {index}): cannot read SQL {found} as {expected}")]
    Decode {
        /// The column's name in the result set.
        column: String,
        /// The column's position in the result set, from 0.
        index: usize,
        /// The type the query expected, for example `Integer as i32`.
        expected: &'static str,
        /// What the database sent, for example `TEXT`.
        found: String,
    },
    /// A query that must return a row returned none.
    #[error("the query returned no rows")]
    NotFound,
    /// A bind value could not be converted for the driver.
    #[error("bind parameter {index}: {message}")]
    Bind {
        /// The parameter's position, from 1.
        index: usize,
        /// What was wrong.
        message: String,
    },
    /// The connection URL or settings were not valid.
    #[error("invalid configuration: {0}")]
    Config(String),
    /// Any other error from SQLite.
    #[error("SQLite error")]
    Sqlite(#[source] BoxError),
    /// Any other error from PostgreSQL.
    #[error("PostgreSQL error")]
    Postgres(#[source] BoxError),
}

/// quarry's `Result`.
pub type Result<T, E = Error> = std::result::Result<T, E>;
