//! Reading column values into Rust types.

use crate::backend::Backend;
use crate::sql_types::SqlType;

/// Why a column value could not be read; the row reader adds the column.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodeError {
    /// What the query expected, for example `Integer as i32`.
    pub expected: &'static str,
    /// What the database sent, for example `TEXT (3 bytes)`, `NULL` or
    /// `INTEGER out of range for i32`: its storage class or type, never
    /// the value, so that data does not reach logs through errors.
    pub found: String,
}

/// A Rust type that a value of SQL type `ST` can be loaded into on `DB`.
///
/// Only `Option<T>` loads a nullable SQL type: this is what makes loading a
/// `Nullable<Text>` column into `String` fail to compile.
#[diagnostic::on_unimplemented(
    message = "cannot load SQL `{ST}` into `{Self}`",
    label = "`{Self}` does not match SQL `{ST}`",
    note = "a `Nullable<T>` column loads into `Option<_>`, and only it does; a column on the optional side of a LEFT, RIGHT or FULL join is `Nullable` there, whatever its declaration"
)]
pub trait FromSql<ST: SqlType, DB: Backend>: Sized {
    /// Reads one value.
    fn from_sql(raw: DB::RawValue<'_>) -> Result<Self, DecodeError>;

    /// Reads one value of a column that may be `NULL`: `None` for `NULL`.
    /// This is how `Option<T>` reads a `Nullable<ST>` column.
    ///
    /// The default asks the backend whether the value is `NULL`, then
    /// reads it with [`from_sql`](Self::from_sql). A type whose driver
    /// reads both at once (PostgreSQL's) overrides it, so that the value is
    /// looked at once.
    fn from_sql_nullable(raw: DB::RawValue<'_>) -> Result<Option<Self>, DecodeError> {
        if DB::is_null(&raw) {
            Ok(None)
        } else {
            Self::from_sql(raw).map(Some)
        }
    }
}
