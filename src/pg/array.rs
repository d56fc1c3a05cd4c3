//! Array columns, `Array<T>` ↔ `Vec<_>`: PostgreSQL only.
//!
//! A `Vec<T>` is bound as one list value, which the PostgreSQL runtime
//! sends as an array of the parameter's element type. An array column's
//! SQL and reading an array back both need [`SupportsArrays`], which only
//! PostgreSQL implements: that is what makes selecting, filtering by or
//! loading an array column on SQLite a compile error.

//!
//! Without the `postgres` feature only [`SupportsArrays`] is compiled, so
//! that `table!`'s array columns still declare, and still refuse SQLite.

use crate::backend::{Backend, Pg};
#[cfg(feature = "postgres")]
use {
    super::RawValue,
    super::decode::decode,
    crate::sql_types::{self as st, Array, Nullable, SqlType},
    crate::types::{DecodeError, FromSql},
    quarry_runtime::postgres::tokio_postgres::types::FromSql as PgFromSql,
};

/// Backends with array columns: PostgreSQL.
///
/// This is what makes `articles::table.select(articles::tags).load(&mut
/// sqlite)` fail to compile, for a column `tags -> Array<Text>`.
#[diagnostic::on_unimplemented(
    message = "array columns (`Array<T>`) exist only on PostgreSQL",
    label = "this query uses an array column",
    note = "on SQLite, keep the values in a table of their own, or in a `Json` column"
)]
pub trait SupportsArrays: Backend {
    /// Reads a non-null array value into a vector of `T`.
    #[doc(hidden)]
    #[cfg(feature = "postgres")]
    fn decode_array<ST: SqlType, T: ArrayElement<ST>>(
        raw: Self::RawValue<'_>,
    ) -> Result<Vec<T>, DecodeError>;
}

impl SupportsArrays for Pg {
    #[cfg(feature = "postgres")]
    fn decode_array<ST: SqlType, T: ArrayElement<ST>>(
        raw: RawValue<'_>,
    ) -> Result<Vec<T>, DecodeError> {
        // tokio-postgres checks the element type, the dimensions and every
        // element; a NULL element for a non-`Option` type is an error.
        T::decode_vec(raw)
    }
}

/// A Rust type that one element of a PostgreSQL array of `ST` loads into:
/// `i32` for `Integer`, `Option<i32>` for `Nullable<Integer>`, ...
#[diagnostic::on_unimplemented(
    message = "cannot load the elements of a SQL `Array<{ST}>` into `{Self}`",
    note = "an `Array<Nullable<T>>` column loads into `Vec<Option<_>>`, and only it does"
)]
#[cfg(feature = "postgres")]
pub trait ArrayElement<ST: SqlType>: for<'a> PgFromSql<'a> {
    /// What the query expects, for decode errors: `Array<Integer> as Vec<i32>`.
    const EXPECTED: &'static str;
    /// The same for an array of `Nullable<ST>` read as `Vec<Option<Self>>`.
    const EXPECTED_NULLABLE: &'static str;

    /// Reads a non-null array of these elements. By default through
    /// tokio-postgres' own decoder for `Self`; the elements whose scalar
    /// decoder is quarry's own (`numeric`, `time`) use that one.
    #[doc(hidden)]
    fn decode_vec(raw: RawValue<'_>) -> Result<Vec<Self>, DecodeError> {
        decode::<Vec<Self>>(raw, Self::EXPECTED)
    }

    /// The same for elements that may be `NULL`.
    #[doc(hidden)]
    fn decode_vec_nullable(raw: RawValue<'_>) -> Result<Vec<Option<Self>>, DecodeError> {
        decode::<Vec<Option<Self>>>(raw, Self::EXPECTED_NULLABLE)
    }
}

/// Elements that may be `NULL` load into `Option<T>`.
#[cfg(feature = "postgres")]
impl<ST, T> ArrayElement<Nullable<ST>> for Option<T>
where
    ST: SqlType<Nullability = crate::sql_types::NotNull>,
    T: ArrayElement<ST>,
{
    const EXPECTED: &'static str = T::EXPECTED_NULLABLE;
    const EXPECTED_NULLABLE: &'static str = T::EXPECTED_NULLABLE;

    fn decode_vec(raw: RawValue<'_>) -> Result<Vec<Self>, DecodeError> {
        T::decode_vec_nullable(raw)
    }
}

/// `Array<ST>` loads into `Vec<T>` on every backend with arrays.
#[cfg(feature = "postgres")]
impl<DB, ST, T> FromSql<Array<ST>, DB> for Vec<T>
where
    DB: SupportsArrays,
    ST: SqlType,
    T: ArrayElement<ST>,
{
    fn from_sql(raw: DB::RawValue<'_>) -> Result<Self, DecodeError> {
        DB::decode_array::<ST, T>(raw)
    }
}

#[cfg(feature = "postgres")]
macro_rules! array_elements {
    ($($sql:ident => $rust:ty, $name:literal $(, via $exact:path)?;)*) => {$(
        impl ArrayElement<st::$sql> for $rust {
            const EXPECTED: &'static str =
                concat!("Array<", stringify!($sql), "> as Vec<", $name, ">");
            const EXPECTED_NULLABLE: &'static str =
                concat!("Array<Nullable<", stringify!($sql), ">> as Vec<Option<", $name, ">>");
            $(
            fn decode_vec(raw: RawValue<'_>) -> Result<Vec<Self>, DecodeError> {
                decode::<Vec<$exact>>(raw, Self::EXPECTED)
                    .map(|v| v.into_iter().map(|e| e.0).collect())
            }
            fn decode_vec_nullable(raw: RawValue<'_>) -> Result<Vec<Option<Self>>, DecodeError> {
                decode::<Vec<Option<$exact>>>(raw, Self::EXPECTED_NULLABLE)
                    .map(|v| v.into_iter().map(|e| e.map(|e| e.0)).collect())
            }
            )?
        }
    )*};
}

#[cfg(feature = "postgres")]
array_elements! {
    SmallInt => i16, "i16";
    Integer => i32, "i32";
    BigInt => i64, "i64";
    Float => f32, "f32";
    Double => f64, "f64";
    Bool => bool, "bool";
    Text => String, "String";
    Binary => Vec<u8>, "Vec<u8>";
}

#[cfg(all(feature = "postgres", feature = "chrono"))]
array_elements! {
    Date => chrono::NaiveDate, "NaiveDate";
    Time => chrono::NaiveTime, "NaiveTime", via super::decode::time_of_day::TimeOfDay;
    Timestamp => chrono::NaiveDateTime, "NaiveDateTime";
    Timestamptz => chrono::DateTime<chrono::Utc>, "DateTime<Utc>";
}

#[cfg(all(feature = "postgres", feature = "uuid"))]
array_elements! {
    Uuid => uuid::Uuid, "Uuid";
}

#[cfg(all(feature = "postgres", feature = "serde_json"))]
array_elements! {
    Json => serde_json::Value, "serde_json::Value";
}

#[cfg(all(feature = "postgres", feature = "rust_decimal"))]
array_elements! {
    Numeric => rust_decimal::Decimal, "Decimal", via super::decode::numeric::ExactNumeric;
}
