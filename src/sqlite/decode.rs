//! Reading SQLite values into Rust types.

use crate::backend::Sqlite;
use crate::deserialize::RawRow;
use crate::sql_types::{self as st, NotNull, Nullable, SqlType};
use crate::types::{DecodeError, FromSql};
use quarry_runtime::Error;
use quarry_runtime::sqlite::{Row, ValueRef};

impl RawRow<Sqlite> for Row<'_> {
    #[inline]
    fn value(&self, index: usize) -> Result<ValueRef<'_>, Error> {
        self.get_ref(index)
    }
    fn column_name(&self, index: usize) -> String {
        Row::column_name(self, index).to_owned()
    }
}

/// What SQLite sent, for decode errors: the storage class and, for text
/// and bytes, the size; never the value itself.
fn describe(value: ValueRef<'_>) -> String {
    match value {
        ValueRef::Null => "NULL".to_owned(),
        ValueRef::Integer(_) => "INTEGER".to_owned(),
        ValueRef::Real(_) => "REAL".to_owned(),
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

/// A value of the right storage class that `expected` cannot hold: `why`
/// says how (`out of range for i32`), without the value.
fn unfit<T>(expected: &'static str, value: ValueRef<'_>, why: &str) -> Result<T, DecodeError> {
    Err(DecodeError {
        expected,
        found: format!("{} {why}", describe(value)),
    })
}

impl<T, ST> FromSql<Nullable<ST>, Sqlite> for Option<T>
where
    ST: SqlType<Nullability = NotNull>,
    T: FromSql<ST, Sqlite>,
{
    #[inline]
    fn from_sql(raw: ValueRef<'_>) -> Result<Self, DecodeError> {
        match raw {
            ValueRef::Null => Ok(None),
            value => T::from_sql(value).map(Some),
        }
    }
}

impl FromSql<st::SmallInt, Sqlite> for i16 {
    #[inline]
    fn from_sql(raw: ValueRef<'_>) -> Result<Self, DecodeError> {
        integer(raw, "SmallInt as i16", "out of range for i16")
    }
}

impl FromSql<st::Integer, Sqlite> for i32 {
    #[inline]
    fn from_sql(raw: ValueRef<'_>) -> Result<Self, DecodeError> {
        integer(raw, "Integer as i32", "out of range for i32")
    }
}

impl FromSql<st::BigInt, Sqlite> for i64 {
    #[inline]
    fn from_sql(raw: ValueRef<'_>) -> Result<Self, DecodeError> {
        integer(raw, "BigInt as i64", "out of range for i64")
    }
}

/// An integer that fits `T`; anything else is an error, never a wrap.
#[inline]
fn integer<T: TryFrom<i64>>(
    raw: ValueRef<'_>,
    expected: &'static str,
    out_of_range: &str,
) -> Result<T, DecodeError> {
    match raw {
        ValueRef::Integer(i) => T::try_from(i).or_else(|_| unfit(expected, raw, out_of_range)),
        _ => mismatch(expected, raw),
    }
}

impl FromSql<st::Double, Sqlite> for f64 {
    #[inline]
    fn from_sql(raw: ValueRef<'_>) -> Result<Self, DecodeError> {
        const EXPECTED: &str = "Double as f64";
        match raw {
            ValueRef::Real(f) => Ok(f),
            // SQLite hands back whole numbers of expressions as integers;
            // one beyond 2^53 may have no f64 of its own.
            ValueRef::Integer(i) => exact_f64(i).map_or_else(
                || unfit(EXPECTED, raw, "that an f64 cannot hold exactly"),
                Ok,
            ),
            _ => mismatch(EXPECTED, raw),
        }
    }
}

impl FromSql<st::Float, Sqlite> for f32 {
    #[inline]
    fn from_sql(raw: ValueRef<'_>) -> Result<Self, DecodeError> {
        const EXPECTED: &str = "Float as f32";
        match raw {
            // SQLite keeps REAL as f64. An f32 that was written comes back
            // exactly; anything else was not written as an f32 (or is the
            // result of arithmetic in double precision) and would change.
            ValueRef::Real(f) => {
                let narrow = f as f32;
                if f64::from(narrow) == f || f.is_nan() {
                    Ok(narrow)
                } else if narrow.is_infinite() {
                    unfit(EXPECTED, raw, "out of range for f32")
                } else {
                    unfit(EXPECTED, raw, "that an f32 cannot hold exactly")
                }
            }
            // Through i128, since `f as i64` saturates (see `exact_f64`).
            ValueRef::Integer(i) if i as f32 as i128 == i128::from(i) => Ok(i as f32),
            ValueRef::Integer(_) => unfit(EXPECTED, raw, "that an f32 cannot hold exactly"),
            _ => mismatch(EXPECTED, raw),
        }
    }
}

/// `i` as an `f64`, when that is exactly `i`.
fn exact_f64(i: i64) -> Option<f64> {
    let f = i as f64;
    // Through i128, since `f as i64` saturates: 2^63 would pass for i64::MAX.
    (f as i128 == i128::from(i)).then_some(f)
}

impl FromSql<st::Bool, Sqlite> for bool {
    #[inline]
    fn from_sql(raw: ValueRef<'_>) -> Result<Self, DecodeError> {
        match raw {
            ValueRef::Integer(0) => Ok(false),
            ValueRef::Integer(1) => Ok(true),
            ValueRef::Integer(_) => unfit("Bool as bool", raw, "other than 0 or 1"),
            _ => mismatch("Bool as bool", raw),
        }
    }
}

impl FromSql<st::Text, Sqlite> for String {
    #[inline]
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
    #[inline]
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
            parse_text(raw, "Timestamp as NaiveDateTime", naive_date_time)
        }
    }
    /// Text with an offset, as quarry binds it (`2024-02-29T12:00:00+00:00`),
    /// or without one, as SQLite's `CURRENT_TIMESTAMP` and `datetime()`
    /// write it (`2024-02-29 12:00:00`): SQLite's date functions give and
    /// read such text as UTC.
    impl FromSql<st::Timestamptz, Sqlite> for DateTime<Utc> {
        fn from_sql(raw: ValueRef<'_>) -> Result<Self, DecodeError> {
            parse_text(raw, "Timestamptz as DateTime<Utc>", |s| {
                DateTime::parse_from_rfc3339(s)
                    .map(|t| t.with_timezone(&Utc))
                    .ok()
                    .or_else(|| naive_date_time(s).map(|t| t.and_utc()))
            })
        }
    }

    /// `2024-02-29 12:00:00`, with a fraction or not, with `T` or a space.
    fn naive_date_time(s: &str) -> Option<NaiveDateTime> {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f")
            .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f"))
            .ok()
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

/// A decimal from what SQLite holds: an INTEGER exactly, a REAL as the
/// shortest decimal that reads back as the same `f64` (`0.1`, not
/// `0.1000000000000000055511151231257827`), TEXT parsed without rounding.
/// This is the reverse of how a `Decimal` is bound, so every bound decimal
/// comes back equal (scale aside: `1.50` comes back `1.5`).
#[cfg(feature = "rust_decimal")]
impl FromSql<st::Numeric, Sqlite> for rust_decimal::Decimal {
    fn from_sql(raw: ValueRef<'_>) -> Result<Self, DecodeError> {
        use rust_decimal::Decimal;
        const EXPECTED: &str = "Numeric as Decimal";
        match raw {
            ValueRef::Integer(i) => Ok(Decimal::from(i)),
            ValueRef::Real(f) if !f.is_finite() => unfit(EXPECTED, raw, "that is not finite"),
            // `Display` of an f64 is its shortest round-trip text, without
            // an exponent; `from_str_exact` refuses what Decimal would round.
            ValueRef::Real(f) => Decimal::from_str_exact(&f.to_string())
                .or_else(|_| unfit(EXPECTED, raw, "out of range or precision for Decimal")),
            // `1.5e+20`, as SQLite writes a REAL into a TEXT column: only
            // when the digits before the exponent parse exactly.
            _ => parse_text(raw, EXPECTED, |s| {
                Decimal::from_str_exact(s).ok().or_else(|| {
                    let (digits, _) = s.split_once(['e', 'E'])?;
                    Decimal::from_str_exact(digits).ok()?;
                    Decimal::from_scientific(s).ok()
                })
            }),
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
