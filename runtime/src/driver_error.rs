//! The driver's error as kept inside an [`Error`](crate::Error): printed
//! without values, the way [`Error`](crate::Error) prints it.
//!
//! A driver's own `Display` can quote bind values: tokio-postgres appends
//! PostgreSQL's `DETAIL` (`Key (email)=(ann@example.com) already exists`),
//! and rusqlite's conversion errors print the value. An error chain printer
//! (`anyhow`'s `{:#}`, `tracing`'s `?error`) walks `source()` and `Debug`, so
//! the driver's error is never itself a `source`: this wrapper stands there,
//! ends the chain, and hands the driver's error out only on request.

use std::fmt;

use crate::error::BoxError;
use crate::error_text::server_text;

/// A database driver's error, as the `source` of an [`Error`](crate::Error).
///
/// `Display` and `Debug` say what the [`Error`](crate::Error) says: the
/// server's primary message and code, never a bind value. The driver's
/// own error, with every field the server sent, is
/// [`get_ref`](Self::get_ref); its own `Display` may quote values, so keep
/// it out of logs.
///
#[cfg_attr(feature = "sqlite", doc = "```")]
#[cfg_attr(not(feature = "sqlite"), doc = "```ignore")]
/// use quarry_runtime::sqlite::Connection;
///
/// let mut conn = Connection::open_in_memory()?;
/// conn.batch_execute("CREATE TABLE t (id INTEGER PRIMARY KEY)")?;
/// conn.batch_execute("INSERT INTO t VALUES (1)")?;
/// let e = conn.batch_execute("INSERT INTO t VALUES (1)").unwrap_err();
/// let driver = e.driver_error().expect("a driver error");
/// assert!(driver.get_ref().is::<rusqlite::Error>());
/// # Ok::<(), quarry_runtime::Error>(())
/// ```
pub struct DriverError(BoxError);

impl DriverError {
    /// `e`, boxed as an [`Error`](crate::Error)'s source.
    pub(crate) fn boxed(e: impl Into<BoxError>) -> BoxError {
        Box::new(DriverError(e.into()))
    }

    /// The driver's own error (`tokio_postgres::Error`, `rusqlite::Error`,
    /// `mysql_async::Error`, or quarry's redacted MariaDB server error).
    /// Its `Display` may quote bind values.
    pub fn get_ref(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        &*self.0
    }
}

impl fmt::Display for DriverError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        server_text(self.get_ref(), f)
    }
}

impl fmt::Debug for DriverError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("DriverError")
            .field(&format_args!("{self}"))
            .finish()
    }
}

impl std::error::Error for DriverError {}

/// The driver's error inside `source`, looking through a [`DriverError`].
pub(crate) fn unwrap(source: &BoxError) -> &(dyn std::error::Error + 'static) {
    let e: &(dyn std::error::Error + 'static) = &**source;
    match e.downcast_ref::<DriverError>() {
        Some(driver) => &*driver.0,
        None => e,
    }
}
