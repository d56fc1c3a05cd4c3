//! Reading SQLite values into Rust types.

use crate::backend::Sqlite;
use crate::deserialize::RawRow;
use crate::sql_types::{self as st, NotNull, Nullable, SqlType};
use crate::types::{DecodeError, FromSql};
use quarry_runtime::Error;
use quarry_runtime::sqlite::{Row, ValueRef};

impl RawRow<Sqlite> for Row<'_> {
    fn value(&self, index: usize) -> Result<ValueRef<'_>, Error> {
        self.get_ref(index)
    }
    fn column_name(&self, index: usize) -> String {
        Row::column_name(self, index).to_owned()
    }
}

/// What SQLite sent, for decode errors: the storage class and its size,
/// never the value itself.
fn describe(value: ValueRef<'_>) -> String {
    match value {
        ValueRef::Null => "NULL".to_owned(),
        ValueRef::Integer(i) => format!("INTEGER {i}"),
        ValueRef::Real(f) => format!("REAL {f}"),
        ValueRef::Text(t) => format!("TEXT ({} bytes)", t.len()),
        ValueRef::Blob(b) => format!("BLOB ({} bytes)", b.len()),
    }
}

fn mismatch<T>(expected: &'static str, value: ValueRef<'_>) -> Result<T, DecodeError> {
    Err(DecodeError {
        expected,
        found: describe(value),
    })
}

impl<T, ST> FromSql<Nullable<ST>, Sqlite> for Option<T>
where
    ST: SqlType<Nullability = NotNull>,
    T: FromSql<ST, Sqlite>,
{
    fn from_sql(raw: ValueRef<'_>) -> Result<Self, DecodeError> {
        match raw {
            ValueRef::Null => Ok(None),
            value => T::from_sql(value).map(Some),
        }
    }
}

impl FromSql<st::SmallInt, Sqlite> for i16 {
    fn from_sql(raw: ValueRef<'_>) -> Result<Self, DecodeError> {
        integer(raw, "SmallInt as i16")
    }
}

impl FromSql<st::Integer, Sqlite> for i32 {
    fn from_sql(raw: ValueRef<'_>) -> Result<Self, DecodeError> {
        integer(raw, "Integer as i32")
    }
}

impl FromSql<st::BigInt, Sqlite> for i64 {
    fn from_sql(raw: ValueRef<'_>) -> Result<Self, DecodeError> {
        integer(raw, "BigInt as i64")
    }
}

/// An integer that fits `T`; anything else is an error, never a wrap.
fn integer<T: TryFrom<i64>>(raw: ValueRef<'_>, expected: &'static str) -> Result<T, DecodeError> {
    match raw {
        ValueRef::Integer(i) => T::try_from(i).or_else(|_| mismatch(expected, raw)),
        _ => mismatch(expected, raw),
    }
}

impl FromSql<st::Double, Sqlite> for f64 {
    fn from_sql(raw: ValueRef<'_>) -> Result<Self, DecodeError> {
        match raw {
            ValueRef::Real(f) => Ok(f),
            // SQLite hands back whole numbers of expressions as integers.
            ValueRef::Integer(i) => Ok(i as f64),
            _ => mismatch("Double as f64", raw),
        }
    }
}

impl FromSql<st::Float, Sqlite> for f32 {
    fn from_sql(raw: ValueRef<'_>) -> Result<Self, DecodeError> {
        match raw {
            ValueRef::Real(f) => Ok(f as f32),
            ValueRef::Integer(i) => Ok(i as f32),
            _ => mismatch("Float as f32", raw),
        }
    }
}

impl FromSql<st::Bool, Sqlite> for bool {
    fn from_sql(raw: ValueRef<'_>) -> Result<Self, DecodeError> {
        match raw {
            ValueRef::Integer(0) => Ok(false),
            ValueRef::Integer(1) => Ok(true),
            _ => mismatch("Bool as bool", raw),
        }
    }
}

impl FromSql<st::Text, Sqlite> for String {
    fn from_sql(raw: ValueRef<'_>) -> Result<Self, DecodeError> {
        match raw {
            ValueRef::Text(bytes) => match std::str::from_utf8(bytes) {
                Ok(s) => Ok(s.to_owned()),
                Err(_) => Err(DecodeError {
                    expected: "Text as String",
                    found: format!("TEXT ({} bytes, not UTF-8)", bytes.len()),
                }),
            },
            _ => mismatch("Text as String", raw),
        }
    }
}

impl FromSql<st::Binary, Sqlite> for Vec<u8> {
    fn from_sql(raw: ValueRef<'_>) -> Result<Self, DecodeError> {
        match raw {
            ValueRef::Blob(bytes) => Ok(bytes.to_vec()),
            _ => mismatch("Binary as Vec<u8>", raw),
        }
    }
}

/// Text that parses as `T`, for types SQLite stores as text.
#[cfg(any(feature = "chrono", feature = "rust_decimal", feature = "serde_json"))]
fn parse_text<T>(
    raw: ValueRef<'_>,
    expected: &'static str,
    parse: impl FnOnce(&str) -> Option<T>,
) -> Result<T, DecodeError> {
    match raw {
        ValueRef::Text(bytes) => std::str::from_utf8(bytes)
            .ok()
            .and_then(parse)
            .ok_or_else(|| DecodeError {
                expected,
                found: format!("TEXT ({} bytes) that does not parse", bytes.len()),
            }),
        _ => mismatch(expected, raw),
    }
}

#[cfg(feature = "chrono")]
mod chrono_types {
    use super::*;
    use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};

    impl FromSql<st::Date, Sqlite> for NaiveDate {
        fn from_sql(raw: ValueRef<'_>) -> Result<Self, DecodeError> {
            parse_text(raw, "Date as NaiveDate", |s| {
                NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
            })
        }
    }
    impl FromSql<st::Time, Sqlite> for NaiveTime {
        fn from_sql(raw: ValueRef<'_>) -> Result<Self, DecodeError> {
            parse_text(raw, "Time as NaiveTime", |s| {
                NaiveTime::parse_from_str(s, "%H:%M:%S%.f").ok()
            })
        }
    }
    impl FromSql<st::Timestamp, Sqlite> for NaiveDateTime {
        fn from_sql(raw: ValueRef<'_>) -> Result<Self, DecodeError> {
            parse_text(raw, "Timestamp as NaiveDateTime", |s| {
                NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f")
                    .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f"))
                    .ok()
            })
        }
    }
    impl FromSql<st::Timestamptz, Sqlite> for DateTime<Utc> {
        fn from_sql(raw: ValueRef<'_>) -> Result<Self, DecodeError> {
            parse_text(raw, "Timestamptz as DateTime<Utc>", |s| {
                DateTime::parse_from_rfc3339(s)
                    .map(|t| t.with_timezone(&Utc))
                    .ok()
            })
        }
    }
}

#[cfg(feature = "uuid")]
impl FromSql<st::Uuid, Sqlite> for uuid::Uuid {
    fn from_sql(raw: ValueRef<'_>) -> Result<Self, DecodeError> {
        match raw {
            ValueRef::Blob(bytes) => {
                uuid::Uuid::from_slice(bytes).or_else(|_| mismatch("Uuid as Uuid", raw))
            }
            ValueRef::Text(bytes) => std::str::from_utf8(bytes)
                .ok()
                .and_then(|s| uuid::Uuid::parse_str(s).ok())
                .map_or_else(|| mismatch("Uuid as Uuid", raw), Ok),
            _ => mismatch("Uuid as Uuid", raw),
        }
    }
}

#[cfg(feature = "rust_decimal")]
impl FromSql<st::Numeric, Sqlite> for rust_decimal::Decimal {
    fn from_sql(raw: ValueRef<'_>) -> Result<Self, DecodeError> {
        match raw {
            ValueRef::Integer(i) => Ok(rust_decimal::Decimal::from(i)),
            ValueRef::Real(f) => {
                rust_decimal::Decimal::try_from(f).or_else(|_| mismatch("Numeric as Decimal", raw))
            }
            _ => parse_text(raw, "Numeric as Decimal", |s| s.parse().ok()),
        }
    }
}

#[cfg(feature = "serde_json")]
impl FromSql<st::Json, Sqlite> for serde_json::Value {
    fn from_sql(raw: ValueRef<'_>) -> Result<Self, DecodeError> {
        const EXPECTED: &str = "Json as serde_json::Value";
        match raw {
            // A column declared `JSON` has numeric affinity: SQLite stores a
            // document that is a bare number as an INTEGER or REAL.
            ValueRef::Integer(i) => Ok(serde_json::Value::from(i)),
            ValueRef::Real(f) => serde_json::Number::from_f64(f)
                .map(serde_json::Value::Number)
                .map_or_else(|| mismatch(EXPECTED, raw), Ok),
            _ => parse_text(raw, EXPECTED, |s| serde_json::from_str(s).ok()),
        }
    }
}
