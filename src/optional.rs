//! `.optional()`: a missing row as `None`.

use quarry_runtime::Error;

/// Turns [`Error::NotFound`] into `Ok(None)`.
///
/// `users::table.find(7).get_result::<User>(&mut db).optional()?` is
/// `None` when there is no user 7; every other error stays an error.
#[diagnostic::on_unimplemented(
    message = "`.optional()` turns a `Result<T, quarry::Error>` into `Result<Option<T>, _>`; `{Self}` is not one"
)]
pub trait OptionalExtension<T> {
    /// `Ok(Some(row))`, `Ok(None)` for no row, or the error.
    fn optional(self) -> Result<Option<T>, Error>;
}

impl<T> OptionalExtension<T> for Result<T, Error> {
    fn optional(self) -> Result<Option<T>, Error> {
        match self {
            Ok(row) => Ok(Some(row)),
            Err(Error::NotFound) => Ok(None),
            Err(e) => Err(e),
        }
    }
}
