//! Turning result rows into Rust values.

use crate::backend::Backend;
use crate::sql_types::SqlType;
pub use crate::types::{DecodeError, FromSql};
use quarry_runtime::Error;

/// A result row as a backend hands it over.
#[diagnostic::on_unimplemented(message = "`{Self}` is not a result row of {DB}")]
pub trait RawRow<DB: Backend> {
    /// The value of column `index` (from 0).
    fn value(&self, index: usize) -> Result<DB::RawValue<'_>, Error>;
    /// The name of column `index`, for error messages.
    fn column_name(&self, index: usize) -> String;
}

/// Reads a row's columns in order.
///
/// It holds the backend's own row type ([`Backend::Row`]), not a
/// `dyn RawRow`: reading a column is a direct call, inlined into the
/// [`FromRow`] impl of the row type.
pub struct RowReader<'r, 'a, DB: Backend> {
    row: &'r DB::Row<'a>,
    next: usize,
}

impl<'r, 'a, DB: Backend> RowReader<'r, 'a, DB> {
    /// Starts at the first column of `row`.
    #[inline]
    pub fn new(row: &'r DB::Row<'a>) -> Self {
        RowReader { row, next: 0 }
    }

    /// Whether the next `width` columns are all `NULL`.
    #[inline]
    pub fn next_all_null(&self, width: usize) -> Result<bool, Error> {
        for index in self.next..self.next + width {
            if !DB::is_null(&self.row.value(index)?) {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Whether the column `offset` places after the next one is `NULL`.
    #[inline]
    pub fn nth_is_null(&self, offset: usize) -> Result<bool, Error> {
        Ok(DB::is_null(&self.row.value(self.next + offset)?))
    }

    /// Skips `width` columns.
    #[inline]
    pub fn skip(&mut self, width: usize) {
        self.next += width;
    }

    /// Reads the next column as `U`. A value the type cannot hold is an
    /// [`Error::Decode`] naming the column and both types.
    #[inline]
    pub fn read<ST: SqlType, U: FromSql<ST, DB>>(&mut self) -> Result<U, Error> {
        let index = self.next;
        self.next += 1;
        match U::from_sql(self.row.value(index)?) {
            Ok(value) => Ok(value),
            Err(e) => Err(self.decode_error(index, e)),
        }
    }

    /// The error for column `index`, out of the hot path.
    #[cold]
    #[inline(never)]
    fn decode_error(&self, index: usize, e: DecodeError) -> Error {
        Error::Decode {
            column: self.row.column_name(index),
            index,
            expected: e.expected,
            found: e.found,
        }
    }
}

/// A Rust type that one row of SQL type `ST` loads into: a value for a
/// single column, a tuple, or a struct with `#[derive(Queryable)]` or
/// `#[derive(Selectable)]`.
#[diagnostic::on_unimplemented(
    message = "cannot load rows of SQL type `{ST}` into `{Self}`",
    label = "the row has SQL type `{ST}`",
    note = "the Rust type needs one field per selected column, in order, each of a matching type"
)]
pub trait FromRow<ST, DB: Backend>: Sized {
    /// Reads the row's columns, from the reader's current position.
    fn from_row(row: &mut RowReader<'_, '_, DB>) -> Result<Self, Error>;
}

/// Makes a Rust type that implements [`FromSql`] loadable as a whole row
/// of one column. quarry does it for every type it maps; a user type with
/// its own `FromSql` impl needs `quarry::impl_from_row!(MyType);`.
#[macro_export]
macro_rules! impl_from_row {
    ($($ty:ty),* $(,)?) => {$(
        impl<ST, DB> $crate::deserialize::FromRow<ST, DB> for $ty
        where
            ST: $crate::sql_types::SqlType,
            DB: $crate::Backend,
            $ty: $crate::deserialize::FromSql<ST, DB>,
        {
            #[inline]
            fn from_row(
                row: &mut $crate::deserialize::RowReader<'_, '_, DB>,
            ) -> ::core::result::Result<Self, $crate::Error> {
                row.read::<ST, $ty>()
            }
        }
    )*};
}

impl<T, ST, DB> FromRow<ST, DB> for Option<T>
where
    ST: SqlType,
    DB: Backend,
    Option<T>: FromSql<ST, DB>,
{
    #[inline]
    fn from_row(row: &mut RowReader<'_, '_, DB>) -> Result<Self, Error> {
        row.read::<ST, Option<T>>()
    }
}

impl_from_row!(i16, i32, i64, f32, f64, bool, String);

/// `Vec<u8>` for `Binary`, `Vec<T>` for an `Array`.
impl<T, ST, DB> FromRow<ST, DB> for Vec<T>
where
    ST: SqlType,
    DB: Backend,
    Vec<T>: FromSql<ST, DB>,
{
    #[inline]
    fn from_row(row: &mut RowReader<'_, '_, DB>) -> Result<Self, Error> {
        row.read::<ST, Vec<T>>()
    }
}
#[cfg(feature = "chrono")]
impl_from_row!(
    chrono::NaiveDate,
    chrono::NaiveTime,
    chrono::NaiveDateTime,
    chrono::DateTime<chrono::Utc>,
);
#[cfg(feature = "uuid")]
impl_from_row!(uuid::Uuid);
#[cfg(feature = "rust_decimal")]
impl_from_row!(rust_decimal::Decimal);
#[cfg(feature = "serde_json")]
impl_from_row!(serde_json::Value);

/// How many columns a row type spans: one per SQL type, summed over tuples.
#[diagnostic::on_unimplemented(message = "`{Self}` is not a row type")]
pub trait RowShape {
    /// The number of columns.
    const WIDTH: usize;
    /// The position, within the row, of the first column whose SQL type is
    /// not nullable, if there is one. On the optional side of an outer join
    /// that column alone says whether a row matched: it is `NULL` exactly
    /// when none did (for a table, typically its primary key).
    const PROBE: Option<usize>;
}

/// Whether a column of this nullability can decide a joined group's
/// absence by itself: only one the schema says is never `NULL`.
pub trait ProbeKind {
    /// `Some(0)` for [`NotNull`](crate::sql_types::NotNull), `None` for
    /// [`IsNull`](crate::sql_types::IsNull).
    const PROBE: Option<usize>;
}

impl ProbeKind for crate::sql_types::NotNull {
    const PROBE: Option<usize> = Some(0);
}

impl ProbeKind for crate::sql_types::IsNull {
    const PROBE: Option<usize> = None;
}

impl<T: SqlType> RowShape for T
where
    T::Nullability: ProbeKind,
{
    const WIDTH: usize = 1;
    const PROBE: Option<usize> = <T::Nullability as ProbeKind>::PROBE;
}

impl<R: RowShape> RowShape for crate::sql_types::NullableRow<R> {
    const WIDTH: usize = R::WIDTH;
    // A nested optional group may be all `NULL` in a row that matched.
    const PROBE: Option<usize> = None;
}

/// The probe of a row made of parts: the first part's probe that exists,
/// shifted by the widths before it. `parts` holds each part's width and
/// probe, in order; used by the tuple impls.
#[doc(hidden)]
pub const fn first_probe(parts: &[(usize, Option<usize>)]) -> Option<usize> {
    let mut offset = 0;
    let mut i = 0;
    while i < parts.len() {
        if let Some(p) = parts[i].1 {
            return Some(offset + p);
        }
        offset += parts[i].0;
        i += 1;
    }
    None
}

/// A group of columns from the optional side of an outer join: `None` when
/// no row matched, else the row. When the group has a column the schema
/// says is never `NULL` ([`RowShape::PROBE`], typically the primary key),
/// that one column decides; otherwise the group is absent when all its
/// columns are `NULL`.
impl<U, R, DB> FromRow<crate::sql_types::NullableRow<R>, DB> for Option<U>
where
    R: RowShape,
    DB: Backend,
    U: FromRow<R, DB>,
{
    #[inline]
    fn from_row(row: &mut RowReader<'_, '_, DB>) -> Result<Self, Error> {
        let absent = match R::PROBE {
            Some(probe) => row.nth_is_null(probe)?,
            None => row.next_all_null(R::WIDTH)?,
        };
        if absent {
            row.skip(R::WIDTH);
            Ok(None)
        } else {
            U::from_row(row).map(Some)
        }
    }
}
