//! Reading MariaDB/MySQL values into Rust types.
//!
//! Values arrive in the binary protocol's types: integers as `i64` (or
//! `u64` for an unsigned column), floats, bytes (text, blobs, decimals and
//! JSON), and dates. Each Rust type takes exactly the values that stand for
//! it without loss: an integer out of the target's range (an `INT
//! UNSIGNED` above `i32::MAX` read as `i32`, a `BIGINT UNSIGNED` above
//! `i64::MAX` read as `i64`), a `TINYINT` other than 0 or 1 read as `bool`,
//! a zero date, or bytes that are not UTF-8 read as `String` are a
//! [`DecodeError`] naming the column's type, never the value.

use super::RawValue;
use crate::backend::Mysql;
use crate::deserialize::RawRow;
use crate::sql_types::{self as st, NotNull, Nullable, SqlType};
use crate::types::{DecodeError, FromSql};
use quarry_runtime::Error;
use quarry_runtime::mysql::Row;
use quarry_runtime::mysql::mysql_async::Value as My;
use quarry_runtime::mysql::mysql_async::consts::{ColumnFlags, ColumnType};

impl RawRow<Mysql> for Row {
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
        self.columns_ref()
            .get(index)
            .map_or_else(String::new, |c| c.name_str().into_owned())
    }
}

impl<'a> RawValue<'a> {
    /// The value, `NULL` when the row has no such column (which
    /// [`RawRow::value`] rules out).
    pub(super) fn get(&self) -> &'a My {
        self.row.as_ref(self.index).unwrap_or(&My::NULL)
    }

    /// The column's type as the server names it (`LONGLONG UNSIGNED`,
    /// `VAR_STRING`), for errors.
    pub(super) fn type_name(&self) -> String {
        match self.row.columns_ref().get(self.index) {
            Some(column) => {
                let ty = format!("{:?}", column.column_type());
                let ty = ty.strip_prefix("MYSQL_TYPE_").unwrap_or(&ty).to_owned();
                if column.flags().contains(ColumnFlags::UNSIGNED_FLAG) {
                    format!("{ty} UNSIGNED")
                } else {
                    ty
                }
            }
            None => "no such column".to_owned(),
        }
    }

    /// Whether the column is a `DECIMAL`, which the protocol sends as text.
    fn is_decimal(&self) -> bool {
        self.row
            .columns_ref()
            .get(self.index)
            .is_some_and(|column| {
                matches!(
                    column.column_type(),
                    ColumnType::MYSQL_TYPE_NEWDECIMAL | ColumnType::MYSQL_TYPE_DECIMAL
                )
            })
    }

    fn fail(&self, expected: &'static str, why: &str) -> DecodeError {
        DecodeError {
            expected,
            found: if why.is_empty() {
                self.type_name()
            } else {
                format!("{} {why}", self.type_name())
            },
        }
    }
}

impl<T, ST> FromSql<Nullable<ST>, Mysql> for Option<T>
where
    ST: SqlType<Nullability = NotNull>,
    T: FromSql<ST, Mysql>,
{
    fn from_sql(raw: RawValue<'_>) -> Result<Self, DecodeError> {
        T::from_sql_nullable(raw)
    }
}

/// A non-null value, or the error for `NULL`.
fn non_null<'a>(raw: &RawValue<'a>, expected: &'static str) -> Result<&'a My, DecodeError> {
    match raw.get() {
        My::NULL => Err(DecodeError {
            expected,
            found: "NULL".to_owned(),
        }),
        value => Ok(value),
    }
}

/// An integer of any width. A `DECIMAL` is read too when it is whole: it
/// is what MariaDB's `SUM` of integers gives, exact at any size, so a sum
/// beyond `T` is this error rather than the value `CAST(.. AS SIGNED)`
/// would clamp it to.
fn integer<T: TryFrom<i64> + TryFrom<u64> + TryFrom<i128>>(
    raw: RawValue<'_>,
    expected: &'static str,
) -> Result<T, DecodeError> {
    match non_null(&raw, expected)? {
        My::Int(i) => T::try_from(*i).map_err(|_| raw.fail(expected, "out of range")),
        My::UInt(u) => T::try_from(*u).map_err(|_| raw.fail(expected, "out of range")),
        My::Bytes(text) if raw.is_decimal() => whole_decimal(text)
            .and_then(|i| T::try_from(i).ok())
            .ok_or_else(|| raw.fail(expected, "out of range or not whole")),
        _ => Err(raw.fail(expected, "")),
    }
}

/// The whole number a `DECIMAL`'s text (`-12`, `12.000`) holds, or `None`
/// for a fraction or a number beyond `i128`.
fn whole_decimal(text: &[u8]) -> Option<i128> {
    let text = core::str::from_utf8(text).ok()?;
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if !fraction.bytes().all(|b| b == b'0') {
        return None;
    }
    whole.parse().ok()
}

macro_rules! integers {
    ($($sql:ty => $rust:ty, $expected:literal;)*) => {$(
        #[diagnostic::do_not_recommend]
        impl FromSql<$sql, Mysql> for $rust {
            fn from_sql(raw: RawValue<'_>) -> Result<Self, DecodeError> {
                integer(raw, $expected)
            }
        }
    )*};
}

integers! {
    st::SmallInt => i16, "SmallInt as i16";
    st::Integer => i32, "Integer as i32";
    st::BigInt => i64, "BigInt as i64";
}

#[diagnostic::do_not_recommend]
impl FromSql<st::Bool, Mysql> for bool {
    fn from_sql(raw: RawValue<'_>) -> Result<Self, DecodeError> {
        const EXPECTED: &str = "Bool as bool";
        match non_null(&raw, EXPECTED)? {
            My::Int(0) | My::UInt(0) => Ok(false),
            My::Int(1) | My::UInt(1) => Ok(true),
            My::Int(_) | My::UInt(_) => Err(raw.fail(EXPECTED, "other than 0 or 1")),
            _ => Err(raw.fail(EXPECTED, "")),
        }
    }
}

/// The integer `i` as an `f32`, when that is exactly `i`.
fn exact_f32(i: i128) -> Option<f32> {
    let f = i as f32;
    (f as i128 == i).then_some(f)
}

/// The integer `i` as an `f64`, when that is exactly `i`.
fn exact_f64(i: i128) -> Option<f64> {
    let f = i as f64;
    (f as i128 == i).then_some(f)
}

#[diagnostic::do_not_recommend]
impl FromSql<st::Float, Mysql> for f32 {
    fn from_sql(raw: RawValue<'_>) -> Result<Self, DecodeError> {
        const EXPECTED: &str = "Float as f32";
        match non_null(&raw, EXPECTED)? {
            My::Float(f) => Ok(*f),
            // A FLOAT column computed on is a DOUBLE: exact as f32 or an
            // error.
            My::Double(d) if f64::from(*d as f32) == *d => Ok(*d as f32),
            My::Double(_) => Err(raw.fail(EXPECTED, "not exact as f32")),
            // An integer, as raw SQL can give: exact or an error.
            My::Int(i) => {
                exact_f32(i128::from(*i)).ok_or_else(|| raw.fail(EXPECTED, "not exact as f32"))
            }
            My::UInt(u) => {
                exact_f32(i128::from(*u)).ok_or_else(|| raw.fail(EXPECTED, "not exact as f32"))
            }
            _ => Err(raw.fail(EXPECTED, "")),
        }
    }
}

#[diagnostic::do_not_recommend]
impl FromSql<st::Double, Mysql> for f64 {
    fn from_sql(raw: RawValue<'_>) -> Result<Self, DecodeError> {
        const EXPECTED: &str = "Double as f64";
        match non_null(&raw, EXPECTED)? {
            My::Double(d) => Ok(*d),
            My::Float(f) => Ok(f64::from(*f)),
            // An integer, as raw SQL can give: exact or an error.
            My::Int(i) => {
                exact_f64(i128::from(*i)).ok_or_else(|| raw.fail(EXPECTED, "not exact as f64"))
            }
            My::UInt(u) => {
                exact_f64(i128::from(*u)).ok_or_else(|| raw.fail(EXPECTED, "not exact as f64"))
            }
            _ => Err(raw.fail(EXPECTED, "")),
        }
    }
}

#[diagnostic::do_not_recommend]
impl FromSql<st::Text, Mysql> for String {
    fn from_sql(raw: RawValue<'_>) -> Result<Self, DecodeError> {
        const EXPECTED: &str = "Text as String";
        match non_null(&raw, EXPECTED)? {
            My::Bytes(bytes) => String::from_utf8(bytes.clone())
                .map_err(|_| raw.fail(EXPECTED, "that is not UTF-8")),
            _ => Err(raw.fail(EXPECTED, "")),
        }
    }
}

#[diagnostic::do_not_recommend]
impl FromSql<st::Binary, Mysql> for Vec<u8> {
    fn from_sql(raw: RawValue<'_>) -> Result<Self, DecodeError> {
        const EXPECTED: &str = "Binary as Vec<u8>";
        match non_null(&raw, EXPECTED)? {
            My::Bytes(bytes) => Ok(bytes.clone()),
            _ => Err(raw.fail(EXPECTED, "")),
        }
    }
}

#[cfg(feature = "chrono")]
mod dates {
    use super::*;
    use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};

    fn date_time(raw: RawValue<'_>, expected: &'static str) -> Result<NaiveDateTime, DecodeError> {
        match non_null(&raw, expected)? {
            My::Date(y, mo, d, h, mi, s, us) => {
                NaiveDate::from_ymd_opt(i32::from(*y), u32::from(*mo), u32::from(*d))
                    .and_then(|date| {
                        date.and_hms_micro_opt(u32::from(*h), u32::from(*mi), u32::from(*s), *us)
                    })
                    .ok_or_else(|| raw.fail(expected, "that is not a valid date (a zero date?)"))
            }
            _ => Err(raw.fail(expected, "")),
        }
    }

    #[diagnostic::do_not_recommend]
    impl FromSql<st::Date, Mysql> for NaiveDate {
        fn from_sql(raw: RawValue<'_>) -> Result<Self, DecodeError> {
            const EXPECTED: &str = "Date as NaiveDate";
            let value = date_time(raw, EXPECTED)?;
            if value.time() != NaiveTime::MIN {
                return Err(raw.fail(EXPECTED, "with a time of day"));
            }
            Ok(value.date())
        }
    }

    #[diagnostic::do_not_recommend]
    impl FromSql<st::Timestamp, Mysql> for NaiveDateTime {
        fn from_sql(raw: RawValue<'_>) -> Result<Self, DecodeError> {
            date_time(raw, "Timestamp as NaiveDateTime")
        }
    }

    /// quarry's connections set `time_zone = '+00:00'`, so a `TIMESTAMP`
    /// reads in UTC.
    #[diagnostic::do_not_recommend]
    impl FromSql<st::Timestamptz, Mysql> for DateTime<Utc> {
        fn from_sql(raw: RawValue<'_>) -> Result<Self, DecodeError> {
            date_time(raw, "Timestamptz as DateTime<Utc>").map(|t| t.and_utc())
        }
    }

    #[diagnostic::do_not_recommend]
    impl FromSql<st::Time, Mysql> for NaiveTime {
        fn from_sql(raw: RawValue<'_>) -> Result<Self, DecodeError> {
            const EXPECTED: &str = "Time as NaiveTime";
            match non_null(&raw, EXPECTED)? {
                My::Time(false, 0, h, m, s, us) => {
                    NaiveTime::from_hms_micro_opt(u32::from(*h), u32::from(*m), u32::from(*s), *us)
                        .ok_or_else(|| raw.fail(EXPECTED, "that is not a time of day"))
                }
                My::Time(..) => Err(raw.fail(EXPECTED, "outside 00:00:00 to 23:59:59")),
                _ => Err(raw.fail(EXPECTED, "")),
            }
        }
    }
}

#[cfg(feature = "uuid")]
#[diagnostic::do_not_recommend]
impl FromSql<st::Uuid, Mysql> for uuid::Uuid {
    fn from_sql(raw: RawValue<'_>) -> Result<Self, DecodeError> {
        const EXPECTED: &str = "Uuid as Uuid";
        match non_null(&raw, EXPECTED)? {
            My::Bytes(bytes) if bytes.len() == 16 => {
                uuid::Uuid::from_slice(bytes).map_err(|_| raw.fail(EXPECTED, "that is not a UUID"))
            }
            My::Bytes(bytes) => uuid::Uuid::try_parse_ascii(bytes)
                .map_err(|_| raw.fail(EXPECTED, "that is not a UUID")),
            _ => Err(raw.fail(EXPECTED, "")),
        }
    }
}

#[cfg(feature = "serde_json")]
#[diagnostic::do_not_recommend]
impl FromSql<st::Json, Mysql> for serde_json::Value {
    fn from_sql(raw: RawValue<'_>) -> Result<Self, DecodeError> {
        const EXPECTED: &str = "Json as serde_json::Value";
        match non_null(&raw, EXPECTED)? {
            My::Bytes(bytes) => {
                serde_json::from_slice(bytes).map_err(|_| raw.fail(EXPECTED, "that is not JSON"))
            }
            _ => Err(raw.fail(EXPECTED, "")),
        }
    }
}

#[cfg(feature = "rust_decimal")]
#[diagnostic::do_not_recommend]
impl FromSql<st::Numeric, Mysql> for rust_decimal::Decimal {
    fn from_sql(raw: RawValue<'_>) -> Result<Self, DecodeError> {
        const EXPECTED: &str = "Numeric as Decimal";
        match non_null(&raw, EXPECTED)? {
            My::Int(i) => Ok((*i).into()),
            My::UInt(u) => Ok((*u).into()),
            My::Bytes(bytes) => {
                let text = core::str::from_utf8(bytes)
                    .map_err(|_| raw.fail(EXPECTED, "that is not a number"))?;
                // The column's scale, as PostgreSQL keeps it (`DECIMAL(10,2)`
                // reads `1.50`), when Decimal's 28 places hold it; else
                // without the trailing zeros, which `DECIMAL(65,30)` pads
                // with and which need not fit.
                rust_decimal::Decimal::from_str_exact(text)
                    .or_else(|_| match text.contains('.') {
                        true => rust_decimal::Decimal::from_str_exact(
                            text.trim_end_matches('0').trim_end_matches('.'),
                        ),
                        false => rust_decimal::Decimal::from_str_exact(text),
                    })
                    .map_err(|_| raw.fail(EXPECTED, "beyond Decimal's range or places"))
            }
            _ => Err(raw.fail(EXPECTED, "")),
        }
    }
}
