//! quarry's bind values as `mysql_async` parameters.

use mysql_async::Value as My;

use crate::error::{Error, Result};
use crate::value::Value;

/// The driver's parameters for `values`, in order.
pub(crate) fn params(values: &[Value<'_>]) -> Result<mysql_async::Params> {
    if values.is_empty() {
        return Ok(mysql_async::Params::Empty);
    }
    let mut out = Vec::with_capacity(values.len());
    for (i, value) in values.iter().enumerate() {
        out.push(param(value, i + 1)?);
    }
    Ok(mysql_async::Params::Positional(out))
}

fn bind_error(index: usize, message: impl Into<String>) -> Error {
    Error::Bind {
        index,
        message: message.into(),
    }
}

/// One parameter. A boolean is `TINYINT(1)`'s 1 or 0; a date and time is
/// sent as the protocol's date value; a decimal, a UUID and a JSON document
/// as text; a list as a JSON array, which the statement reads with
/// `JSON_TABLE` (one statement text for a list of any length).
fn param(value: &Value<'_>, index: usize) -> Result<My> {
    Ok(match value {
        Value::Null => My::NULL,
        Value::Bool(b) => My::Int(i64::from(*b)),
        Value::SmallInt(v) => My::Int(i64::from(*v)),
        Value::Int(v) => My::Int(i64::from(*v)),
        Value::BigInt(v) => My::Int(*v),
        Value::Float(v) if v.is_finite() => My::Float(*v),
        Value::Double(v) if v.is_finite() => My::Double(*v),
        Value::Float(_) | Value::Double(_) => return Err(not_finite(index)),
        Value::Text(s) => My::Bytes(s.as_bytes().to_vec()),
        Value::OwnedText(s) => My::Bytes(s.as_bytes().to_vec()),
        Value::Blob(b) => My::Bytes(b.to_vec()),
        Value::OwnedBlob(b) => My::Bytes(b.clone()),
        Value::Json(j) => My::Bytes(j.to_string().into_bytes()),
        Value::List(items) => My::Bytes(json_list(items, index)?.into_bytes()),
        #[cfg(feature = "chrono")]
        Value::Date(d) => date_time(index, *d, chrono::NaiveTime::MIN)?,
        #[cfg(feature = "chrono")]
        Value::Time(t) => {
            use chrono::Timelike;
            My::Time(
                false,
                0,
                t.hour() as u8,
                t.minute() as u8,
                t.second() as u8,
                micros(index, *t)?,
            )
        }
        #[cfg(feature = "chrono")]
        Value::Timestamp(ts) => date_time(index, ts.date(), ts.time())?,
        #[cfg(feature = "chrono")]
        Value::Timestamptz(ts) => {
            let ts = ts.naive_utc();
            date_time(index, ts.date(), ts.time())?
        }
        #[cfg(feature = "uuid")]
        Value::Uuid(u) => My::Bytes(u.hyphenated().to_string().into_bytes()),
        #[cfg(feature = "rust_decimal")]
        Value::Numeric(d) => My::Bytes(d.to_string().into_bytes()),
        Value::Unbindable(message) => return Err(bind_error(index, message.clone())),
    })
}

/// A date and time as the protocol's value; MariaDB keeps microseconds, so
/// a value with finer digits, or a year outside 0..=9999, is refused
/// rather than rounded.
#[cfg(feature = "chrono")]
fn date_time(index: usize, date: chrono::NaiveDate, time: chrono::NaiveTime) -> Result<My> {
    use chrono::{Datelike, Timelike};
    let year = u16::try_from(date.year())
        .ok()
        .filter(|y| *y <= 9999)
        .ok_or_else(|| bind_error(index, "MariaDB dates span the years 0 to 9999"))?;
    Ok(My::Date(
        year,
        date.month() as u8,
        date.day() as u8,
        time.hour() as u8,
        time.minute() as u8,
        time.second() as u8,
        micros(index, time)?,
    ))
}

/// The microseconds of `time`: MariaDB keeps six digits, so a value with
/// nanoseconds is refused rather than truncated, and so is a leap second
/// (chrono's nanoseconds past 999 999 999), which MariaDB cannot hold.
#[cfg(feature = "chrono")]
fn micros(index: usize, time: chrono::NaiveTime) -> Result<u32> {
    use chrono::Timelike;
    let nanos = time.nanosecond();
    if !nanos.is_multiple_of(1000) {
        return Err(bind_error(
            index,
            "MariaDB keeps microseconds; the value has nanoseconds (round it first, with chrono's `trunc_subsecs(6)`)",
        ));
    }
    if nanos >= 1_000_000_000 {
        return Err(bind_error(index, "MariaDB has no leap seconds"));
    }
    Ok(nanos / 1000)
}

/// MariaDB's FLOAT and DOUBLE have no NaN or infinity: the server would
/// refuse the value in a column and compare it in a condition, so it is
/// refused before it is sent.
fn not_finite(index: usize) -> Error {
    bind_error(index, "MariaDB has no NaN or infinity")
}

/// A list as a JSON array for `JSON_TABLE`. Integers and floats are JSON
/// numbers; text, decimals, dates and UUIDs JSON strings, which
/// `JSON_TABLE` converts to the column type the statement names.
fn json_list(items: &[Value<'_>], index: usize) -> Result<String> {
    use serde_json::Value as J;
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        out.push(match item {
            Value::Null => J::Null,
            Value::Bool(b) => J::from(i64::from(*b)),
            Value::SmallInt(v) => J::from(*v),
            Value::Int(v) => J::from(*v),
            Value::BigInt(v) => J::from(*v),
            Value::Float(v) => finite(f64::from(*v), index)?,
            Value::Double(v) => finite(*v, index)?,
            Value::Text(s) => J::from(*s),
            Value::OwnedText(s) => J::from(s.as_str()),
            #[cfg(feature = "chrono")]
            Value::Date(d) => J::from(d.to_string()),
            #[cfg(feature = "chrono")]
            Value::Time(t) => {
                micros(index, *t)?;
                J::from(t.format("%H:%M:%S%.6f").to_string())
            }
            #[cfg(feature = "chrono")]
            Value::Timestamp(t) => {
                micros(index, t.time())?;
                J::from(t.format("%Y-%m-%d %H:%M:%S%.6f").to_string())
            }
            #[cfg(feature = "chrono")]
            Value::Timestamptz(t) => {
                micros(index, t.time())?;
                J::from(t.format("%Y-%m-%d %H:%M:%S%.6f").to_string())
            }
            #[cfg(feature = "uuid")]
            Value::Uuid(u) => J::from(u.hyphenated().to_string()),
            #[cfg(feature = "rust_decimal")]
            Value::Numeric(d) => J::from(d.to_string()),
            _ => {
                return Err(bind_error(
                    index,
                    "a list of this type cannot be sent to MariaDB (lists of numbers, text, decimals, dates and UUIDs can)",
                ));
            }
        });
    }
    Ok(J::Array(out).to_string())
}

fn finite(v: f64, index: usize) -> Result<serde_json::Value> {
    serde_json::Number::from_f64(v)
        .map(serde_json::Value::Number)
        .ok_or_else(|| not_finite(index))
}
