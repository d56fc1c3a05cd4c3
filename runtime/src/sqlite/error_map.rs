//! From `rusqlite` errors to quarry's [`Error`].
//!
//! SQLite reports which constraint failed only in its message, for example
//! `UNIQUE constraint failed: users.email, users.team`; the text after
//! `constraint failed: ` becomes the variant's `constraint` or `column`. The
//! `rusqlite` error is kept as the `source`.

use rusqlite::ffi;

use crate::Error;
use crate::driver_error::DriverError;

/// Maps a `rusqlite` error to an [`Error`]:
///
/// | SQLite extended code | [`Error`] |
/// | --- | --- |
/// | `SQLITE_CONSTRAINT_UNIQUE`, `SQLITE_CONSTRAINT_PRIMARYKEY` | `UniqueViolation`, `constraint` = `table.col, table.col2` |
/// | `SQLITE_CONSTRAINT_FOREIGNKEY` | `ForeignKeyViolation`, `constraint` empty: SQLite does not name it |
/// | `SQLITE_CONSTRAINT_NOTNULL` | `NotNullViolation`, `column` = `table.col` |
/// | `SQLITE_CONSTRAINT_CHECK` | `CheckViolation`, `constraint` = the constraint's name, or its expression when unnamed |
/// | `SQLITE_BUSY_SNAPSHOT` | `SerializationFailure`: the transaction read a snapshot that is no longer the newest, retry it |
/// | other `SQLITE_BUSY*`, `SQLITE_LOCKED*` | `Busy`: another connection holds the lock past the busy timeout, retry the transaction |
/// | anything else | `Sqlite` |
pub(crate) fn map_error(e: rusqlite::Error) -> Error {
    let (code, detail) = match &e {
        rusqlite::Error::SqliteFailure(failure, message) => (
            failure.extended_code,
            message
                .as_deref()
                .map(constraint_detail)
                .unwrap_or_default()
                .to_owned(),
        ),
        _ => return Error::Sqlite(DriverError::boxed(e)),
    };
    let source = DriverError::boxed(e);
    match code {
        ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
            Error::UniqueViolation {
                constraint: detail,
                source,
            }
        }
        ffi::SQLITE_CONSTRAINT_FOREIGNKEY => Error::ForeignKeyViolation {
            constraint: detail,
            source,
        },
        ffi::SQLITE_CONSTRAINT_NOTNULL => Error::NotNullViolation {
            column: detail,
            source,
        },
        ffi::SQLITE_CONSTRAINT_CHECK => Error::CheckViolation {
            constraint: detail,
            source,
        },
        ffi::SQLITE_BUSY_SNAPSHOT => Error::SerializationFailure { source },
        _ if matches!(code & 0xff, ffi::SQLITE_BUSY | ffi::SQLITE_LOCKED) => Error::Busy { source },
        _ => Error::Sqlite(source),
    }
}

/// The part of a constraint message after `constraint failed: `, or `""`.
fn constraint_detail(message: &str) -> &str {
    message
        .split_once("constraint failed: ")
        .map_or("", |(_, detail)| detail.trim())
}

#[cfg(test)]
mod tests {
    use super::constraint_detail;

    #[test]
    fn details() {
        assert_eq!(
            constraint_detail("UNIQUE constraint failed: t.a, t.b"),
            "t.a, t.b"
        );
        assert_eq!(constraint_detail("FOREIGN KEY constraint failed"), "");
        assert_eq!(
            constraint_detail("CHECK constraint failed: positive"),
            "positive"
        );
    }
}
