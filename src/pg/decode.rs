//! Reading PostgreSQL values into Rust types.
//!
//! Each Rust type accepts exactly the column types tokio-postgres maps to
//! it (`i32` reads `int4`, not `int8`), checked before anything is decoded:
//! a column of another type, a `NULL` where the schema promised none, or
//! bytes that do not decode are a [`DecodeError`] naming what the query
//! expected and the column's type, never a panic.

use super::RawValue;
use crate::backend::Pg;
use crate::deserialize::RawRow;
use crate::sql_types::{self as st, NotNull, Nullable, SqlType};
use crate::types::{DecodeError, FromSql};
use quarry_runtime::Error;
use quarry_runtime::postgres::Row;
use quarry_runtime::postgres::tokio_postgres::types::{FromSql as PgFromSql, Type};

impl RawRow<Pg> for Row {
    #[inline]
    fn value(&self, index: usize) -> Result<RawValue<'_>, Error> {
        if index < self.len() {
            Ok(RawValue { row: self, index })
        } else {
            Err(Error::Decode {
                column: format!("#{index}"),
                index,
                expected: "one more column",
                found: format!("a row of {} column(s)", self.len()),
            })
        }
    }

    fn column_name(&self, index: usize) -> String {
        self.columns()
            .get(index)
            .map_or_else(String::new, |c| c.name().to_owned())
    }
}

/// Reads any column only to learn whether it is `NULL`.
struct IsNull(bool);

/// Whether `raw` is SQL `NULL`; `false` when the row has no such column.
pub(super) fn is_null(raw: RawValue<'_>) -> bool {
    matches!(raw.row.try_get::<_, IsNull>(raw.index), Ok(IsNull(true)))
}

impl<'a> PgFromSql<'a> for IsNull {
    fn from_sql(_: &Type, _: &'a [u8]) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(IsNull(false))
    }

    fn from_sql_null(_: &Type) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(IsNull(true))
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

/// The column's type, or an error when the row has no such column.
fn column_type<'a>(raw: RawValue<'a>, expected: &'static str) -> Result<&'a Type, DecodeError> {
    raw.row
        .columns()
        .get(raw.index)
        .map(|c| c.type_())
        .ok_or_else(|| DecodeError {
            expected,
            found: "no such column".to_owned(),
        })
}

/// Reads a value that may be `NULL` through tokio-postgres' own `FromSql`:
/// one `try_get`, which checks the column's type and reads the bytes once.
/// The type check is repeated only to word an error.
pub(super) fn decode_nullable<'a, T: PgFromSql<'a>>(
    raw: RawValue<'a>,
    expected: &'static str,
) -> Result<Option<T>, DecodeError> {
    match raw.row.try_get::<_, Option<T>>(raw.index) {
        Ok(value) => Ok(value),
        Err(e) => {
            let ty = column_type(raw, expected)?;
            Err(DecodeError {
                expected,
                found: if !T::accepts(ty) {
                    ty.to_string()
                } else {
                    // The driver's message says why (out of range, not
                    // UTF-8, ...); it does not quote the value.
                    match std::error::Error::source(&e) {
                        Some(why) => format!("{ty} that does not decode ({why})"),
                        None => format!("{ty} that does not decode"),
                    }
                },
            })
        }
    }
}

/// Reads a non-null value through tokio-postgres' own `FromSql`; `NULL`
/// is an error.
pub(super) fn decode<'a, T: PgFromSql<'a>>(
    raw: RawValue<'a>,
    expected: &'static str,
) -> Result<T, DecodeError> {
    decode_nullable(raw, expected)?.ok_or_else(|| DecodeError {
        expected,
        found: "NULL".to_owned(),
    })
}

impl<T, ST> FromSql<Nullable<ST>, Pg> for Option<T>
where
    ST: SqlType<Nullability = NotNull>,
    T: FromSql<ST, Pg>,
{
    fn from_sql(raw: RawValue<'_>) -> Result<Self, DecodeError> {
        T::from_sql_nullable(raw)
    }
}

/// `FromSql<$sql, Pg>` for `$rust` through tokio-postgres.
macro_rules! pg_from_sql {
    ($($sql:ty => $rust:ty, $expected:literal;)*) => {$(
        #[diagnostic::do_not_recommend]
        impl FromSql<$sql, Pg> for $rust {
            fn from_sql(raw: RawValue<'_>) -> Result<Self, DecodeError> {
                decode(raw, $expected)
            }
            fn from_sql_nullable(raw: RawValue<'_>) -> Result<Option<Self>, DecodeError> {
                decode_nullable(raw, $expected)
            }
        }
    )*};
}

pg_from_sql! {
    st::SmallInt => i16, "SmallInt as i16";
    st::Integer => i32, "Integer as i32";
    st::BigInt => i64, "BigInt as i64";
    st::Float => f32, "Float as f32";
    st::Double => f64, "Double as f64";
    st::Bool => bool, "Bool as bool";
    st::Text => String, "Text as String";
    st::Binary => Vec<u8>, "Binary as Vec<u8>";
}

#[cfg(feature = "chrono")]
pg_from_sql! {
    st::Date => chrono::NaiveDate, "Date as NaiveDate";
    st::Time => chrono::NaiveTime, "Time as NaiveTime";
    st::Timestamp => chrono::NaiveDateTime, "Timestamp as NaiveDateTime";
    st::Timestamptz => chrono::DateTime<chrono::Utc>, "Timestamptz as DateTime<Utc>";
}

#[cfg(feature = "uuid")]
pg_from_sql! {
    st::Uuid => uuid::Uuid, "Uuid as Uuid";
}

#[cfg(feature = "serde_json")]
pg_from_sql! {
    st::Json => serde_json::Value, "Json as serde_json::Value";
}

#[cfg(feature = "rust_decimal")]
pg_from_sql! {
    st::Numeric => rust_decimal::Decimal, "Numeric as Decimal";
}
