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
    st::Timestamp => chrono::NaiveDateTime, "Timestamp as NaiveDateTime";
    st::Timestamptz => chrono::DateTime<chrono::Utc>, "Timestamptz as DateTime<Utc>";
}

#[cfg(feature = "chrono")]
pub(super) mod time_of_day {
    use super::*;
    use chrono::NaiveTime;

    const EXPECTED: &str = "Time as NaiveTime";

    /// A `time` read into a [`NaiveTime`], or an error for `24:00:00`,
    /// which PostgreSQL allows and chrono has not: tokio-postgres adds the
    /// microseconds to midnight, so it read back as `00:00:00`.
    /// Array elements of type `time` are read through it too.
    pub(in crate::pg) struct TimeOfDay(pub(in crate::pg) NaiveTime);

    impl<'a> PgFromSql<'a> for TimeOfDay {
        fn from_sql(
            ty: &Type,
            raw: &'a [u8],
        ) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
            const DAY: i64 = 86_400_000_000;
            let micros = raw
                .try_into()
                .map(i64::from_be_bytes)
                .map_err(|_| "a time that is not 8 bytes")?;
            if !(0..DAY).contains(&micros) {
                return Err("outside 00:00:00 to 23:59:59.999999".into());
            }
            <NaiveTime as PgFromSql>::from_sql(ty, raw).map(TimeOfDay)
        }

        fn accepts(ty: &Type) -> bool {
            <NaiveTime as PgFromSql>::accepts(ty)
        }
    }

    #[diagnostic::do_not_recommend]
    impl FromSql<st::Time, Pg> for NaiveTime {
        fn from_sql(raw: RawValue<'_>) -> Result<Self, DecodeError> {
            decode::<TimeOfDay>(raw, EXPECTED).map(|t| t.0)
        }
        fn from_sql_nullable(raw: RawValue<'_>) -> Result<Option<Self>, DecodeError> {
            decode_nullable::<TimeOfDay>(raw, EXPECTED).map(|t| t.map(|t| t.0))
        }
    }
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
pub(super) mod numeric {
    use super::*;
    use rust_decimal::Decimal;

    const EXPECTED: &str = "Numeric as Decimal";

    /// A `numeric` read into a [`Decimal`] exactly, or an error:
    /// rust_decimal's own decoder rounds what does not fit its 28 places
    /// (`1e-29` became `0`) without a word, where MariaDB's and SQLite's
    /// decoders refuse. Trailing zeros beyond 28 places are dropped, as on
    /// MariaDB; the scale is kept otherwise (`1.50` reads `1.50`).
    /// Array elements of type `numeric` are read through it too.
    pub(in crate::pg) struct ExactNumeric(pub(in crate::pg) Decimal);

    impl<'a> PgFromSql<'a> for ExactNumeric {
        fn from_sql(
            ty: &Type,
            raw: &'a [u8],
        ) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
            let header = |at: usize| {
                raw.get(at..at + 2)
                    .map(|b| u16::from_be_bytes([b[0], b[1]]))
                    .ok_or("a numeric shorter than its header")
            };
            let (weight, dscale) = (header(2)? as i16, header(6)?);
            // Whole digits (at most 4 a base-10000 digit) and places that
            // Decimal surely holds: its own decoder is exact there.
            let whole = (i32::from(weight) + 1).max(0) * 4;
            if dscale <= 28 && whole + i32::from(dscale) <= 28 {
                return <Decimal as PgFromSql>::from_sql(ty, raw).map(ExactNumeric);
            }
            let text = numeric_text(raw)?;
            Decimal::from_str_exact(&text)
                .or_else(|e| match text.contains('.') {
                    true => {
                        Decimal::from_str_exact(text.trim_end_matches('0').trim_end_matches('.'))
                    }
                    false => Err(e),
                })
                .map(ExactNumeric)
                .map_err(|_| "beyond Decimal's range or places".into())
        }

        fn accepts(ty: &Type) -> bool {
            <Decimal as PgFromSql>::accepts(ty)
        }
    }

    /// The decimal text of PostgreSQL's binary `numeric`: digit count,
    /// weight (of the first base-10000 digit), sign, display scale, then
    /// the base-10000 digits.
    fn numeric_text(raw: &[u8]) -> Result<String, &'static str> {
        use std::fmt::Write as _;
        const MALFORMED: &str = "a malformed numeric";
        let word = |at: usize| {
            raw.get(at..at + 2)
                .map(|b| u16::from_be_bytes([b[0], b[1]]))
                .ok_or(MALFORMED)
        };
        let ndigits = usize::from(word(0)?);
        let weight = i32::from(word(2)? as i16);
        let negative = match word(4)? {
            0x0000 => false,
            0x4000 => true,
            0xC000 => return Err("NaN, which Decimal has not"),
            0xD000 | 0xF000 => return Err("an infinity, which Decimal has not"),
            _ => return Err(MALFORMED),
        };
        let dscale = usize::from(word(6)?);
        if raw.len() != 8 + 2 * ndigits {
            return Err(MALFORMED);
        }
        let digit = |i: i32| -> Result<u16, &'static str> {
            match usize::try_from(i) {
                Ok(i) if i < ndigits => match word(8 + 2 * i)? {
                    d if d < 10_000 => Ok(d),
                    _ => Err(MALFORMED),
                },
                _ => Ok(0),
            }
        };
        let mut text = String::with_capacity(8 + 4 * ndigits + dscale);
        if negative {
            text.push('-');
        }
        // Base-10000 digits of weight `weight` down to 0.
        let mut whole = String::new();
        for i in 0..=weight {
            let d = digit(i)?;
            let _ = if whole.is_empty() {
                if d != 0 { write!(whole, "{d}") } else { Ok(()) }
            } else {
                write!(whole, "{d:04}")
            };
        }
        text.push_str(if whole.is_empty() { "0" } else { &whole });
        if dscale > 0 {
            text.push('.');
            let start = text.len();
            // Digits of weight -1, -2, ...: the first is at index weight + 1.
            let mut i = weight + 1;
            while text.len() - start < dscale {
                let _ = write!(text, "{:04}", digit(i)?);
                i += 1;
            }
            // PostgreSQL keeps no nonzero digit beyond the display scale.
            text.truncate(start + dscale);
        }
        Ok(text)
    }

    #[diagnostic::do_not_recommend]
    impl FromSql<st::Numeric, Pg> for rust_decimal::Decimal {
        fn from_sql(raw: RawValue<'_>) -> Result<Self, DecodeError> {
            decode::<ExactNumeric>(raw, EXPECTED).map(|n| n.0)
        }
        fn from_sql_nullable(raw: RawValue<'_>) -> Result<Option<Self>, DecodeError> {
            decode_nullable::<ExactNumeric>(raw, EXPECTED).map(|n| n.map(|n| n.0))
        }
    }

    #[cfg(test)]
    mod tests {
        use super::numeric_text;

        /// `numeric`'s binary form: digits of base 10000.
        fn bin(weight: i16, sign: u16, dscale: u16, digits: &[u16]) -> Vec<u8> {
            let mut out = Vec::new();
            for w in [digits.len() as u16, weight as u16, sign, dscale] {
                out.extend_from_slice(&w.to_be_bytes());
            }
            for d in digits {
                out.extend_from_slice(&d.to_be_bytes());
            }
            out
        }

        #[test]
        fn text_of_the_binary_form() {
            assert_eq!(numeric_text(&bin(0, 0, 0, &[])).unwrap(), "0");
            assert_eq!(numeric_text(&bin(0, 0, 4, &[1, 5000])).unwrap(), "1.5000");
            assert_eq!(
                numeric_text(&bin(0, 0x4000, 2, &[12, 3400])).unwrap(),
                "-12.34"
            );
            assert_eq!(numeric_text(&bin(1, 0, 0, &[1])).unwrap(), "10000");
            assert_eq!(
                numeric_text(&bin(2, 0, 1, &[1, 0, 2])).unwrap(),
                "100000002.0"
            );
            assert_eq!(
                numeric_text(&bin(-8, 0, 29, &[1000])).unwrap(),
                "0.00000000000000000000000000001"
            );
            assert_eq!(numeric_text(&bin(-1, 0, 5, &[10])).unwrap(), "0.00100");
            assert!(numeric_text(&bin(0, 0xC000, 0, &[])).is_err());
            assert!(numeric_text(&bin(0, 0, 0, &[10_000])).is_err());
            assert!(numeric_text(&[0, 1, 0, 0]).is_err());
        }
    }
}
