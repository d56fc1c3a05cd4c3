//! What [`Error`](crate::Error)'s `Display` says about the driver error it
//! wraps: the server's primary message and its code, never a bind value.
//!
//! PostgreSQL's `DETAIL` (`Key (id)=(5) already exists`) and SQLite's
//! messages about bound values are left out; the driver's own `Display`
//! of a PostgreSQL server error includes `DETAIL`, so it is never used.

use std::fmt;

#[cfg(feature = "sqlite")]
use rusqlite::ffi;

use crate::driver_error::unwrap;
use crate::error::BoxError;

/// `: <message> (SQLSTATE <code>)` for a PostgreSQL server error,
/// `: <message> (<SQLITE_NAME>, <code>)` for a SQLite one.
pub(crate) struct Server<'a>(pub(crate) &'a BoxError);

impl fmt::Display for Server<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(": ")?;
        server_text(unwrap(self.0), f)
    }
}

/// `<message> (SQLSTATE <code>)`, `<message> (<SQLITE_NAME>, <code>)`, or
/// the error's own text where it holds no values.
pub(crate) fn server_text(
    e: &(dyn std::error::Error + 'static),
    f: &mut fmt::Formatter<'_>,
) -> fmt::Result {
    #[cfg(feature = "postgres")]
    if let Some(pg) = e.downcast_ref::<tokio_postgres::Error>() {
        return match pg.as_db_error() {
            Some(db) => {
                let code = db.code().code();
                write!(f, "{} (SQLSTATE {code})", pg_message(code, db.message()))
            }
            // Not from the server: the driver's text ("error connecting to
            // server") and its causes (an I/O or TLS error), which hold no
            // values.
            None => {
                write!(f, "{pg}")?;
                let mut cause = std::error::Error::source(pg);
                while let Some(c) = cause {
                    write!(f, ": {c}")?;
                    cause = c.source();
                }
                Ok(())
            }
        };
    }
    #[cfg(feature = "sqlite")]
    if let Some(sqlite) = e.downcast_ref::<rusqlite::Error>() {
        return sqlite_text(sqlite, f);
    }
    write!(f, "{e}")
}

/// PostgreSQL's primary message, with the values a data exception (class
/// 22) quotes taken out: `invalid input value for enum mood: "…"`. Those
/// messages quote the text the server failed to parse, which is a bind
/// value sent as text; messages of other classes quote only names.
#[cfg(feature = "postgres")]
fn pg_message<'m>(code: &str, message: &'m str) -> std::borrow::Cow<'m, str> {
    if !code.starts_with("22") {
        return message.into();
    }
    // From the first quote to the last: the value may itself hold quotes.
    match (message.find('"'), message.rfind('"')) {
        (Some(start), Some(end)) if end > start => {
            format!("{}\"…\"{}", &message[..start], &message[end + 1..]).into()
        }
        _ => message.into(),
    }
}

/// For constraint variants: as [`Server`] on PostgreSQL, whose message
/// names the table; on SQLite, whose message only repeats the constraint,
/// just ` (<SQLITE_NAME>)`.
pub(crate) struct Constraint<'a>(pub(crate) &'a BoxError);

impl fmt::Display for Constraint<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        #[cfg(feature = "sqlite")]
        if let Some(rusqlite::Error::SqliteFailure(failure, _)) =
            unwrap(self.0).downcast_ref::<rusqlite::Error>()
        {
            return write!(f, " ({})", sqlite_code_name(failure.extended_code));
        }
        Server(self.0).fmt(f)
    }
}

#[cfg(feature = "sqlite")]
fn sqlite_text(e: &rusqlite::Error, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    match e {
        rusqlite::Error::SqliteFailure(failure, message) => {
            let code = failure.extended_code;
            let message = message.as_deref().unwrap_or_else(|| ffi::code_to_str(code));
            write!(f, "{message} ({}, {code})", sqlite_code_name(code))
        }
        rusqlite::Error::SqlInputError {
            error, msg, offset, ..
        } => {
            let code = error.extended_code;
            write!(
                f,
                "{msg} at offset {offset} ({}, {code})",
                sqlite_code_name(code)
            )
        }
        // These carry the value that failed to convert.
        rusqlite::Error::ToSqlConversionFailure(_) => {
            f.write_str("a bind value could not be converted")
        }
        rusqlite::Error::IntegralValueOutOfRange(index, _) => {
            write!(f, "the integer in column {index} is out of range")
        }
        rusqlite::Error::FromSqlConversionFailure(index, ty, _) => {
            write!(f, "column {index} of type {ty} could not be converted")
        }
        other => write!(f, "{other}"),
    }
}

/// For `Connect` and `ConnectionLost`: the I/O error underneath when there
/// is one (`Connection refused (os error 111)`), else as [`Server`].
pub(crate) struct Connect<'a>(pub(crate) &'a BoxError);

impl fmt::Display for Connect<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(unwrap(self.0));
        while let Some(e) = source {
            if let Some(io) = e.downcast_ref::<std::io::Error>() {
                return write!(f, ": {io}");
            }
            source = e.source();
        }
        Server(self.0).fmt(f)
    }
}

/// `` `name` ``, or a note that the database did not name the constraint.
pub(crate) fn constraint_name(name: &str) -> ConstraintName<'_> {
    ConstraintName(name)
}

pub(crate) struct ConstraintName<'a>(&'a str);

impl fmt::Display for ConstraintName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            f.write_str("(unnamed: the database does not report which)")
        } else {
            write!(f, "`{}`", self.0)
        }
    }
}

/// The SQLSTATE of a PostgreSQL server error.
#[cfg(feature = "postgres")]
pub(crate) fn sqlstate(e: &BoxError) -> Option<&str> {
    Some(
        unwrap(e)
            .downcast_ref::<tokio_postgres::Error>()?
            .as_db_error()?
            .code()
            .code(),
    )
}

/// Without PostgreSQL there is no server error with a SQLSTATE.
#[cfg(not(feature = "postgres"))]
pub(crate) fn sqlstate(_: &BoxError) -> Option<&str> {
    None
}

#[cfg(feature = "sqlite")]
/// The C name of a SQLite result code, extended where SQLite says more,
/// for example `SQLITE_CONSTRAINT_FOREIGNKEY`.
pub(crate) fn sqlite_code_name(code: i32) -> String {
    let extended = match code {
        ffi::SQLITE_BUSY_RECOVERY => Some("SQLITE_BUSY_RECOVERY"),
        ffi::SQLITE_BUSY_SNAPSHOT => Some("SQLITE_BUSY_SNAPSHOT"),
        ffi::SQLITE_BUSY_TIMEOUT => Some("SQLITE_BUSY_TIMEOUT"),
        ffi::SQLITE_LOCKED_SHAREDCACHE => Some("SQLITE_LOCKED_SHAREDCACHE"),
        ffi::SQLITE_CONSTRAINT_CHECK => Some("SQLITE_CONSTRAINT_CHECK"),
        ffi::SQLITE_CONSTRAINT_FOREIGNKEY => Some("SQLITE_CONSTRAINT_FOREIGNKEY"),
        ffi::SQLITE_CONSTRAINT_NOTNULL => Some("SQLITE_CONSTRAINT_NOTNULL"),
        ffi::SQLITE_CONSTRAINT_PRIMARYKEY => Some("SQLITE_CONSTRAINT_PRIMARYKEY"),
        ffi::SQLITE_CONSTRAINT_UNIQUE => Some("SQLITE_CONSTRAINT_UNIQUE"),
        ffi::SQLITE_CONSTRAINT_TRIGGER => Some("SQLITE_CONSTRAINT_TRIGGER"),
        ffi::SQLITE_READONLY_DBMOVED => Some("SQLITE_READONLY_DBMOVED"),
        ffi::SQLITE_CANTOPEN_ISDIR => Some("SQLITE_CANTOPEN_ISDIR"),
        _ => None,
    };
    if let Some(name) = extended {
        return name.to_owned();
    }
    let primary = match code & 0xff {
        ffi::SQLITE_ERROR => "SQLITE_ERROR",
        ffi::SQLITE_INTERNAL => "SQLITE_INTERNAL",
        ffi::SQLITE_PERM => "SQLITE_PERM",
        ffi::SQLITE_ABORT => "SQLITE_ABORT",
        ffi::SQLITE_BUSY => "SQLITE_BUSY",
        ffi::SQLITE_LOCKED => "SQLITE_LOCKED",
        ffi::SQLITE_NOMEM => "SQLITE_NOMEM",
        ffi::SQLITE_READONLY => "SQLITE_READONLY",
        ffi::SQLITE_INTERRUPT => "SQLITE_INTERRUPT",
        ffi::SQLITE_IOERR => "SQLITE_IOERR",
        ffi::SQLITE_CORRUPT => "SQLITE_CORRUPT",
        ffi::SQLITE_NOTFOUND => "SQLITE_NOTFOUND",
        ffi::SQLITE_FULL => "SQLITE_FULL",
        ffi::SQLITE_CANTOPEN => "SQLITE_CANTOPEN",
        ffi::SQLITE_PROTOCOL => "SQLITE_PROTOCOL",
        ffi::SQLITE_SCHEMA => "SQLITE_SCHEMA",
        ffi::SQLITE_TOOBIG => "SQLITE_TOOBIG",
        ffi::SQLITE_CONSTRAINT => "SQLITE_CONSTRAINT",
        ffi::SQLITE_MISMATCH => "SQLITE_MISMATCH",
        ffi::SQLITE_MISUSE => "SQLITE_MISUSE",
        ffi::SQLITE_AUTH => "SQLITE_AUTH",
        ffi::SQLITE_RANGE => "SQLITE_RANGE",
        ffi::SQLITE_NOTADB => "SQLITE_NOTADB",
        _ => "SQLITE_UNKNOWN",
    };
    if code > 0xff {
        // An extended code without a name here: its family and number.
        format!("{primary} (extended)")
    } else {
        primary.to_owned()
    }
}

#[cfg(all(test, feature = "sqlite"))]
mod tests {
    use super::sqlite_code_name;
    use rusqlite::ffi;

    #[test]
    fn code_names() {
        assert_eq!(sqlite_code_name(ffi::SQLITE_BUSY), "SQLITE_BUSY");
        assert_eq!(
            sqlite_code_name(ffi::SQLITE_CONSTRAINT_FOREIGNKEY),
            "SQLITE_CONSTRAINT_FOREIGNKEY"
        );
        assert_eq!(
            sqlite_code_name(ffi::SQLITE_IOERR_READ),
            "SQLITE_IOERR (extended)"
        );
    }
}
