//! The one error type of quarry.
//!
//! `Display` says why: the server's primary message and its SQLSTATE
//! (PostgreSQL) or SQLite's extended result code, never a bind value.
//! PostgreSQL's `DETAIL` field (`Key (id)=(5) already exists`) holds values,
//! so it is left out, and so are the values that PostgreSQL's data
//! exceptions quote. The driver's error is the `source` only behind a
//! [`DriverError`](crate::DriverError), which prints the same way; it stays
//! readable through [`Error::driver_error`].

use std::time::Duration;

use crate::error_text::{Connect, Constraint, Server, constraint_name};

/// A boxed error from a driver or pool, kept as the source of an [`Error`].
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Everything that can go wrong when quarry talks to a database.
///
/// Constraint violations are their own variants so that callers can match on
/// them without parsing messages; the driver's error stays as the `source`.
/// [`is_retryable`](Self::is_retryable) says which errors a retry of the
/// whole transaction may cure.
///
/// ```
/// use std::time::Duration;
/// use quarry_runtime::Error;
///
/// let e = Error::Timeout { setting: "statement_timeout", after: Duration::from_millis(250) };
/// assert_eq!(e.to_string(), "the statement did not finish within `statement_timeout` (250ms)");
/// assert!(!e.is_retryable());
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A `UNIQUE` or `PRIMARY KEY` constraint rejected the statement.
    #[error("unique constraint `{constraint}` violated{}", Constraint(source))]
    UniqueViolation {
        /// The constraint's name (PostgreSQL) or its `table.column` list (SQLite).
        constraint: String,
        /// The driver's error.
        #[source]
        source: BoxError,
    },
    /// A `FOREIGN KEY` constraint rejected the statement.
    #[error(
        "foreign key constraint {} violated{}",
        constraint_name(constraint),
        Constraint(source)
    )]
    ForeignKeyViolation {
        /// The constraint's name where the database reports one; empty on
        /// SQLite, which does not name it.
        constraint: String,
        /// The driver's error.
        #[source]
        source: BoxError,
    },
    /// A `NOT NULL` constraint rejected the statement.
    #[error("not-null constraint violated on `{column}`{}", Constraint(source))]
    NotNullViolation {
        /// The column, as `table.column` where known.
        column: String,
        /// The driver's error.
        #[source]
        source: BoxError,
    },
    /// A `CHECK` constraint rejected the statement.
    #[error(
        "check constraint {} violated{}",
        constraint_name(constraint),
        Constraint(source)
    )]
    CheckViolation {
        /// The constraint's name where the database reports one.
        constraint: String,
        /// The driver's error.
        #[source]
        source: BoxError,
    },
    /// The transaction could not be serialized (PostgreSQL SQLSTATE 40001,
    /// SQLite `SQLITE_BUSY_SNAPSHOT`); retrying it may succeed.
    #[error("serialization failure, retry the transaction{}", Server(source))]
    SerializationFailure {
        /// The driver's error.
        #[source]
        source: BoxError,
    },
    /// The server broke a deadlock by failing this statement (PostgreSQL
    /// SQLSTATE 40P01, MariaDB/MySQL error 1213); retrying the transaction may succeed.
    #[error("deadlock detected, retry the transaction{}", Server(source))]
    Deadlock {
        /// The driver's error.
        #[source]
        source: BoxError,
    },
    /// SQLite could not take a lock another connection holds
    /// (`SQLITE_BUSY`, `SQLITE_LOCKED`) within the busy timeout, or
    /// MariaDB/MySQL waited for a row lock longer than
    /// `innodb_lock_wait_timeout` (error 1205); retrying the transaction
    /// may succeed.
    #[error("database is locked by another connection{}", Server(source))]
    Busy {
        /// The driver's error.
        #[source]
        source: BoxError,
    },
    /// No connection to the server could be opened.
    #[error("cannot connect to {target}{}", Connect(source))]
    Connect {
        /// The hosts and ports tried, as `host:port`.
        target: String,
        /// The driver's error; its source is the I/O error where there is
        /// one.
        #[source]
        source: BoxError,
    },
    /// The connection to the server was lost. A statement that was running
    /// may or may not have taken effect.
    #[error("connection lost{}", Connect(source))]
    ConnectionLost {
        /// The driver's error.
        #[source]
        source: BoxError,
    },
    /// A statement or a connection attempt took longer than a configured
    /// timeout, and was cancelled.
    #[error("{} within `{setting}` ({after:?})", timeout_subject(setting))]
    Timeout {
        /// The setting that bounded it: `"statement_timeout"` or
        /// `"connect_timeout"`.
        setting: &'static str,
        /// The configured duration.
        after: Duration,
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
    /// Any other error from SQLite: its extended result code and message.
    #[error("SQLite error{}", Server(.0))]
    Sqlite(#[source] BoxError),
    /// Any other error from PostgreSQL: its SQLSTATE and primary message.
    #[error("PostgreSQL error{}", Server(.0))]
    Postgres(#[source] BoxError),
    /// Any other error from MariaDB or MySQL: the server's message (values
    /// taken out), its error code and SQLSTATE.
    #[cfg(feature = "mysql")]
    #[error("MariaDB/MySQL error{}", Server(.0))]
    Mysql(#[source] BoxError),
}

fn timeout_subject(setting: &str) -> &'static str {
    if setting == "connect_timeout" {
        "no connection was opened"
    } else {
        "the statement did not finish"
    }
}

impl Error {
    /// Whether running the whole transaction again may succeed: a
    /// serialization failure, a deadlock, or SQLite being busy or locked.
    ///
    /// A lost connection, a timeout and every other error are not
    /// retryable: a write may have been applied before the connection went
    /// away (for example when `COMMIT` was sent), so retrying could apply it
    /// twice. Retry those only where the statement is idempotent.
    ///
    /// ```
    /// # fn demo(result: quarry_runtime::Result<()>) {
    /// if let Err(e) = result {
    ///     if e.is_retryable() {
    ///         // run the transaction again
    ///     }
    /// }
    /// # }
    /// ```
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            Error::SerializationFailure { .. } | Error::Deadlock { .. } | Error::Busy { .. }
        )
    }

    /// The PostgreSQL SQLSTATE of a server error, such as `"42P01"`.
    ///
    #[cfg_attr(feature = "postgres", doc = "```")]
    #[cfg_attr(not(feature = "postgres"), doc = "```ignore")]
    /// # async fn demo(conn: &quarry_runtime::postgres::Connection) {
    /// if let Err(e) = conn.batch_execute("SELECT * FROM nowhere").await {
    ///     assert_eq!(e.sqlstate(), Some("42P01"));
    /// }
    /// # }
    /// ```
    pub fn sqlstate(&self) -> Option<&str> {
        crate::error_text::sqlstate(self.source_error()?)
    }

    /// The MariaDB/MySQL error code of a server error, such as 1062.
    ///
    /// ```no_run
    /// # async fn demo(conn: &quarry_runtime::mysql::Connection) {
    /// if let Err(e) = conn.batch_execute("SELECT * FROM nowhere").await {
    ///     assert_eq!(e.mysql_code(), Some(1146));
    /// }
    /// # }
    /// ```
    #[cfg(feature = "mysql")]
    pub fn mysql_code(&self) -> Option<u16> {
        let e = crate::driver_error::unwrap(self.source_error()?);
        Some(e.downcast_ref::<crate::mysql::ServerError>()?.code)
    }

    /// The driver's error behind this one, for the fields quarry does not
    /// print (PostgreSQL's `DETAIL`, say). Its own `Display` may quote bind
    /// values: keep it out of logs.
    ///
    #[cfg_attr(feature = "postgres", doc = "```")]
    #[cfg_attr(not(feature = "postgres"), doc = "```ignore")]
    /// # async fn demo(conn: &quarry_runtime::postgres::Connection) {
    /// if let Err(e) = conn.batch_execute("INSERT INTO users (id) VALUES (1)").await {
    ///     let pg = e.driver_error().and_then(|d| d.get_ref().downcast_ref::<tokio_postgres::Error>());
    ///     if let Some(db) = pg.and_then(|pg| pg.as_db_error()) {
    ///         let _key_and_value = db.detail();
    ///     }
    /// }
    /// # }
    /// ```
    pub fn driver_error(&self) -> Option<&crate::DriverError> {
        let e: &(dyn std::error::Error + 'static) = &**self.source_error()?;
        e.downcast_ref::<crate::DriverError>()
    }

    fn source_error(&self) -> Option<&BoxError> {
        match self {
            Error::UniqueViolation { source, .. }
            | Error::ForeignKeyViolation { source, .. }
            | Error::NotNullViolation { source, .. }
            | Error::CheckViolation { source, .. }
            | Error::SerializationFailure { source }
            | Error::Deadlock { source }
            | Error::Busy { source }
            | Error::Connect { source, .. }
            | Error::ConnectionLost { source }
            | Error::Sqlite(source)
            | Error::Postgres(source) => Some(source),
            #[cfg(feature = "mysql")]
            Error::Mysql(source) => Some(source),
            _ => None,
        }
    }
}

/// Errors a transaction retry loop may run again: implemented by [`Error`],
/// and by a caller's own error type to use
/// [`transaction_with_retry`](crate::postgres::Connection::transaction_with_retry)
/// with it.
///
/// ```
/// use quarry_runtime::{Error, Retryable};
///
/// enum AppError { Db(Error), NotAllowed }
///
/// impl Retryable for AppError {
///     fn is_retryable(&self) -> bool {
///         matches!(self, AppError::Db(e) if e.is_retryable())
///     }
/// }
/// # let _ = AppError::NotAllowed;
/// ```
pub trait Retryable {
    /// Whether running the transaction again may succeed; see
    /// [`Error::is_retryable`].
    fn is_retryable(&self) -> bool;
}

impl Retryable for Error {
    fn is_retryable(&self) -> bool {
        Error::is_retryable(self)
    }
}

/// quarry's `Result`.
pub type Result<T, E = Error> = std::result::Result<T, E>;
