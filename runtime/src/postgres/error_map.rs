//! From the driver's errors to quarry's [`Error`], by SQLSTATE.

use super::config::connect_target;
use crate::driver_error::DriverError;
use crate::error::Error;

/// What a driver error means for the connection it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Effect {
    /// The server rejected a statement: inside a transaction, the
    /// transaction is now aborted.
    Statement,
    /// The connection is gone or unusable.
    Lost,
    /// Nothing reached the server, or the error says nothing about it.
    None,
}

/// SQLSTATE codes quarry reads.
mod code {
    pub(super) const UNIQUE_VIOLATION: &str = "23505";
    pub(super) const FOREIGN_KEY_VIOLATION: &str = "23503";
    pub(super) const NOT_NULL_VIOLATION: &str = "23502";
    pub(super) const CHECK_VIOLATION: &str = "23514";
    pub(super) const SERIALIZATION_FAILURE: &str = "40001";
    pub(super) const DEADLOCK_DETECTED: &str = "40P01";
    /// `admin_shutdown`, `crash_shutdown`, `cannot_connect_now`: the server
    /// ends the session (for example after `pg_terminate_backend`).
    pub(super) const SHUTDOWN: [&str; 3] = ["57P01", "57P02", "57P03"];
    /// Class 08: connection exceptions.
    pub(super) const CONNECTION_CLASS: &str = "08";
    /// `cached plan must not change result type`.
    pub(super) const FEATURE_NOT_SUPPORTED: &str = "0A000";
    /// `prepared statement "s3" does not exist`.
    pub(super) const INVALID_SQL_STATEMENT_NAME: &str = "26000";
}

/// What `e` means for its connection.
pub(crate) fn effect(e: &tokio_postgres::Error) -> Effect {
    match e.as_db_error() {
        Some(db) => {
            let code = db.code().code();
            if code::SHUTDOWN.contains(&code) || code.starts_with(code::CONNECTION_CLASS) {
                Effect::Lost
            } else {
                Effect::Statement
            }
        }
        None if is_connection_failure(e) => Effect::Lost,
        None => Effect::None,
    }
}

/// Whether `e` says a cached prepared statement no longer fits the schema
/// (a column was added or altered) or vanished (`DEALLOCATE ALL`,
/// `DISCARD ALL`): drop it from the cache and prepare it again.
pub(crate) fn is_stale_statement(e: &tokio_postgres::Error) -> bool {
    match e.as_db_error() {
        Some(db) => match db.code().code() {
            code::FEATURE_NOT_SUPPORTED => db.message().contains("cached plan"),
            code::INVALID_SQL_STATEMENT_NAME => true,
            _ => false,
        },
        None => false,
    }
}

fn is_connection_failure(e: &tokio_postgres::Error) -> bool {
    if e.is_closed() {
        return true;
    }
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if s.is::<std::io::Error>() {
            return true;
        }
        source = s.source();
    }
    false
}

/// Maps an error from opening a connection: the server's refusals (a
/// missing database, bad credentials) keep their SQLSTATE as
/// [`Error::Postgres`]; everything else, such as a refused TCP connection,
/// is [`Error::Connect`] naming the hosts tried, and the URL's own
/// `connect_timeout` elapsing is [`Error::Timeout`].
pub(crate) fn map_connect_error(
    e: tokio_postgres::Error,
    config: &tokio_postgres::Config,
) -> Error {
    if e.as_db_error().is_some() {
        return map_error(e);
    }
    if let Some(after) = config.get_connect_timeout()
        && io_error_kind(&e) == Some(std::io::ErrorKind::TimedOut)
    {
        return Error::Timeout {
            setting: "connect_timeout",
            after: *after,
        };
    }
    Error::Connect {
        target: connect_target(config),
        source: DriverError::boxed(e),
    }
}

fn io_error_kind(e: &tokio_postgres::Error) -> Option<std::io::ErrorKind> {
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            return Some(io.kind());
        }
        source = s.source();
    }
    None
}

/// Maps a driver error to quarry's [`Error`], keeping it as the source.
pub(crate) fn map_error(e: tokio_postgres::Error) -> Error {
    if let Some(db) = e.as_db_error() {
        let constraint = || db.constraint().unwrap_or_default().to_owned();
        match db.code().code() {
            code::UNIQUE_VIOLATION => {
                return Error::UniqueViolation {
                    constraint: constraint(),
                    source: DriverError::boxed(e),
                };
            }
            code::FOREIGN_KEY_VIOLATION => {
                return Error::ForeignKeyViolation {
                    constraint: constraint(),
                    source: DriverError::boxed(e),
                };
            }
            code::NOT_NULL_VIOLATION => {
                let column = match (db.table(), db.column()) {
                    (Some(table), Some(column)) => format!("{table}.{column}"),
                    (None, Some(column)) => column.to_owned(),
                    _ => String::new(),
                };
                return Error::NotNullViolation {
                    column,
                    source: DriverError::boxed(e),
                };
            }
            code::CHECK_VIOLATION => {
                return Error::CheckViolation {
                    constraint: constraint(),
                    source: DriverError::boxed(e),
                };
            }
            code::SERIALIZATION_FAILURE => {
                return Error::SerializationFailure {
                    source: DriverError::boxed(e),
                };
            }
            code::DEADLOCK_DETECTED => {
                return Error::Deadlock {
                    source: DriverError::boxed(e),
                };
            }
            _ => {}
        }
    }
    if effect(&e) == Effect::Lost {
        return Error::ConnectionLost {
            source: DriverError::boxed(e),
        };
    }
    Error::Postgres(DriverError::boxed(e))
}
