//! `mysql_async` errors as quarry's [`Error`], by the server's error code.

use std::fmt;
use std::time::Duration;

use crate::driver_error::DriverError;
use crate::error::{BoxError, Error};

/// A MariaDB/MySQL server error, as quarry shows it: the server's message
/// with any quoted value taken out (`Duplicate entry '…' for key 'email'`
/// names the duplicate), its error code and SQLSTATE.
#[derive(Debug)]
pub struct ServerError {
    /// The server's error code, such as 1062.
    pub code: u16,
    /// The SQLSTATE, such as `23000`.
    pub state: String,
    message: String,
}

impl ServerError {
    /// The server's message, values taken out.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ServerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (error {}, SQLSTATE {})",
            self.message, self.code, self.state
        )
    }
}

impl std::error::Error for ServerError {}

/// Error codes whose message quotes a value the statement wrote.
const QUOTES_A_VALUE: &[u16] = &[
    1062, // Duplicate entry '..' for key '..'
    1586, // Duplicate entry '..' for key '..' (with a key name)
    1264, // Out of range value for column: no value, kept for safety
    1265, // Data truncated for column
    1292, // Incorrect datetime value: '..'
    1366, // Incorrect integer value: '..' for column
    1367, // Illegal double '..' value found
    1411, // Incorrect datetime value: '..' for function
    // BIGINT (or DOUBLE, DECIMAL) value is out of range in '..': the
    // expression, bound values written out in it.
    1690, 1918, // Encountered illegal value '..' when converting to DECIMAL
];

/// `message` with the first single-quoted part replaced by `…`, for the
/// codes whose message quotes a value.
fn redact(code: u16, message: &str) -> String {
    if !QUOTES_A_VALUE.contains(&code) {
        return message.to_owned();
    }
    let Some(start) = message.find('\'') else {
        return message.to_owned();
    };
    // The value ends at the last quote before " for " (the value itself may
    // hold quotes), or at the next quote.
    let rest = &message[start + 1..];
    let end = rest
        .find("' for ")
        .or_else(|| rest.find("' value"))
        .or_else(|| rest.rfind('\''));
    match end {
        Some(end) => format!("{}'…'{}", &message[..start], &rest[end + 1..]),
        None => message.to_owned(),
    }
}

/// The name quoted after `marker` in `message`: `key 'email'` gives
/// `email`, ``CONSTRAINT `fk` `` gives `fk`.
fn quoted_after(message: &str, marker: &str, quote: char) -> String {
    message
        .rfind(marker)
        .map(|at| &message[at + marker.len()..])
        .and_then(|rest| rest.strip_prefix(quote))
        .and_then(|rest| rest.split(quote).next())
        .unwrap_or_default()
        .to_owned()
}

/// Maps a driver error; `statement_timeout` is the bound the connection
/// set, for the server's "statement time exceeded".
pub(crate) fn map(e: mysql_async::Error, statement_timeout: Option<Duration>) -> Error {
    let server = match e {
        mysql_async::Error::Server(server) => server,
        mysql_async::Error::Io(_) => {
            return Error::ConnectionLost {
                source: DriverError::boxed(e),
            };
        }
        mysql_async::Error::Driver(ref d)
            if matches!(d, mysql_async::DriverError::ConnectionClosed) =>
        {
            return Error::ConnectionLost {
                source: DriverError::boxed(e),
            };
        }
        mysql_async::Error::Url(url) => {
            return Error::Config(format!("invalid MariaDB/MySQL connection URL: {url}"));
        }
        other => return Error::Mysql(DriverError::boxed(other)),
    };
    let message = redact(server.code, &server.message);
    let source = |message: String| -> BoxError {
        DriverError::boxed(ServerError {
            code: server.code,
            state: server.state.clone(),
            message,
        })
    };
    match server.code {
        1062 | 1586 => Error::UniqueViolation {
            constraint: quoted_after(&server.message, "for key ", '\''),
            source: source(message),
        },
        1451 | 1452 | 1216 | 1217 => Error::ForeignKeyViolation {
            constraint: quoted_after(&server.message, "CONSTRAINT ", '`'),
            source: source(message),
        },
        1048 => Error::NotNullViolation {
            column: quoted_after(&server.message, "Column ", '\''),
            source: source(message),
        },
        // A NOT NULL column without a default left out of an INSERT.
        1364 => Error::NotNullViolation {
            column: quoted_after(&server.message, "Field ", '\''),
            source: source(message),
        },
        4025 | 3819 => Error::CheckViolation {
            constraint: quoted_after(&server.message, "CONSTRAINT ", '`'),
            source: source(message),
        },
        1213 => Error::Deadlock {
            source: source(message),
        },
        1205 => Error::Busy {
            source: source(message),
        },
        // MariaDB's max_statement_time; MySQL's max_execution_time.
        1969 | 3024 => Error::Timeout {
            setting: "statement_timeout",
            after: statement_timeout.unwrap_or_default(),
        },
        // Server shutdown, connection killed.
        1053 | 1927 | 2006 | 2013 => Error::ConnectionLost {
            source: source(message),
        },
        _ => Error::Mysql(source(message)),
    }
}

#[cfg(test)]
mod tests {
    use super::{quoted_after, redact};

    #[test]
    fn values_are_taken_out_of_messages() {
        assert_eq!(
            redact(1062, "Duplicate entry 'ada@x.org' for key 'email'"),
            "Duplicate entry '…' for key 'email'"
        );
        assert_eq!(
            redact(1062, "Duplicate entry 'it's' for key 'PRIMARY'"),
            "Duplicate entry '…' for key 'PRIMARY'"
        );
        assert_eq!(
            redact(
                1366,
                "Incorrect integer value: 'abc' for column `t`.`x` at row 1"
            ),
            "Incorrect integer value: '…' for column `t`.`x` at row 1"
        );
        assert_eq!(
            redact(
                1690,
                "BIGINT value is out of range in '`db`.`t`.`b` * 7099026797618045942'"
            ),
            "BIGINT value is out of range in '…'"
        );
        assert_eq!(
            redact(1146, "Table 'test.t' doesn't exist"),
            "Table 'test.t' doesn't exist"
        );
    }

    #[test]
    fn names_are_read_from_messages() {
        assert_eq!(
            quoted_after("Duplicate entry '1' for key 'PRIMARY'", "for key ", '\''),
            "PRIMARY"
        );
        assert_eq!(
            quoted_after(
                "Cannot add or update a child row: a foreign key constraint fails (`t`.`posts`, CONSTRAINT `posts_ibfk_1` FOREIGN KEY (`a`) REFERENCES `users` (`id`))",
                "CONSTRAINT ",
                '`'
            ),
            "posts_ibfk_1"
        );
        assert_eq!(
            quoted_after("Column 'name' cannot be null", "Column ", '\''),
            "name"
        );
    }
}
