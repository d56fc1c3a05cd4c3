//! Binding [`Value`]s to a prepared statement, by index.
//!
//! Scalars bind without allocating: numbers directly, text and bytes
//! borrowed (SQLite copies them into its own memory), dates and times
//! formatted into a buffer on the stack, decimals as the INTEGER or REAL
//! that is exactly them (see [`exact_number`]). Only `Json` and `List`
//! values allocate, for their JSON text.

#[cfg(any(feature = "chrono", feature = "rust_decimal"))]
use std::fmt;
#[cfg(feature = "chrono")]
use std::fmt::Write as _;

use rusqlite::Statement;

use crate::{Error, Result, Value};

use super::exact_number;
#[cfg(feature = "rust_decimal")]
use super::exact_number::SqliteNumber;

/// Binds `params` to `stmt`'s parameters 1 to `params.len()`, after checking
/// that the statement has exactly that many parameters.
///
/// The returned [`Bound`] says whether a large value was bound; a cached
/// statement calls [`Bound::release`] after its run. When binding fails
/// part way, the large values bound before the failure are released here.
#[inline]
pub(crate) fn bind_all(stmt: &mut Statement<'_>, params: &[Value<'_>]) -> Result<Bound> {
    let expected = stmt.parameter_count();
    if params.len() != expected {
        return Err(count_mismatch(params.len(), expected));
    }
    let mut large = false;
    for (i, value) in params.iter().enumerate() {
        match bind_one(stmt, i + 1, value) {
            Ok(is_large) => large |= is_large,
            Err(e) => {
                if large {
                    release_large(stmt, params);
                }
                return Err(e);
            }
        }
    }
    Ok(Bound { large })
}

/// The error for a statement given the wrong number of values.
#[cold]
#[inline(never)]
fn count_mismatch(given: usize, expected: usize) -> Error {
    Error::Bind {
        index: given.min(expected) + 1,
        message: format!(
            "the statement has {expected} parameter(s) but {given} value(s) were given"
        ),
    }
}

/// What [`bind_all`] bound: whether any value is large enough to unbind
/// after the run ([`release_large`]).
#[must_use = "a cached statement releases its large values after the run"]
pub(crate) struct Bound {
    large: bool,
}

impl Bound {
    /// After the run: unbinds the large values, if any were bound (see
    /// [`release_large`]). Most statements bind none, and skip the walk.
    #[inline]
    pub(crate) fn release(self, stmt: &mut Statement<'_>, params: &[Value<'_>]) {
        if self.large {
            release_large(stmt, params);
        }
    }
}

/// Bound text, bytes and lists at least this large are unbound after a run
/// by [`release_large`].
const RELEASE_FROM_BYTES: usize = 4096;

/// Whether `value` is large enough to unbind after a run: text and bytes
/// of [`RELEASE_FROM_BYTES`] or more, lists of as many items, JSON
/// documents.
#[inline]
fn is_large(value: &Value<'_>) -> bool {
    match value {
        Value::Text(v) => v.len() >= RELEASE_FROM_BYTES,
        Value::OwnedText(v) => v.len() >= RELEASE_FROM_BYTES,
        Value::Blob(v) => v.len() >= RELEASE_FROM_BYTES,
        Value::OwnedBlob(v) => v.len() >= RELEASE_FROM_BYTES,
        Value::List(items) => items.len() >= RELEASE_FROM_BYTES / 8,
        Value::Json(_) => true,
        _ => false,
    }
}

/// After a cached statement ran with `params`: binds NULL in place of the
/// large values ([`is_large`]), so that SQLite's copies of them are freed
/// now rather than when the statement next runs.
///
/// Not `sqlite3_clear_bindings`: on a statement whose plan looked at a
/// bound value (SQLite sets a bit in its `expmask`), clearing every binding
/// expires the statement, and its next run prepares it again (7 µs for a
/// join, against 0.6 µs for the run itself). Binding NULL to one parameter
/// expires it only if that very parameter's value shaped the plan, in
/// which case binding the next value would expire it anyway.
#[cold]
#[inline(never)]
fn release_large(stmt: &mut Statement<'_>, params: &[Value<'_>]) {
    for (i, value) in params.iter().enumerate() {
        if is_large(value) {
            // Cannot fail: the index was bound a moment ago.
            let _ = stmt.raw_bind_parameter(i + 1, rusqlite::types::Null);
        }
    }
}

/// Binds one value to parameter `index` (from 1), and says whether it is
/// large ([`is_large`]).
#[inline]
fn bind_one(stmt: &mut Statement<'_>, index: usize, value: &Value<'_>) -> Result<bool> {
    let bound = match value {
        Value::OwnedText(v) => stmt.raw_bind_parameter(index, v.as_str()),
        Value::OwnedBlob(v) => stmt.raw_bind_parameter(index, v.as_slice()),
        Value::Unbindable(why) => {
            return Err(Error::Bind {
                index,
                message: why.clone(),
            });
        }
        Value::Null => stmt.raw_bind_parameter(index, rusqlite::types::Null),
        Value::Bool(v) => stmt.raw_bind_parameter(index, i64::from(*v)),
        Value::SmallInt(v) => stmt.raw_bind_parameter(index, i64::from(*v)),
        Value::Int(v) => stmt.raw_bind_parameter(index, i64::from(*v)),
        Value::BigInt(v) => stmt.raw_bind_parameter(index, *v),
        Value::Float(v) => stmt.raw_bind_parameter(index, float(f64::from(*v), index)?),
        Value::Double(v) => stmt.raw_bind_parameter(index, float(*v, index)?),
        Value::Text(v) => stmt.raw_bind_parameter(index, *v),
        Value::Blob(v) => stmt.raw_bind_parameter(index, *v),
        Value::Json(v) => {
            let text = serde_json::to_string(v).map_err(|e| Error::Bind {
                index,
                message: format!("cannot serialize JSON: {e}"),
            })?;
            stmt.raw_bind_parameter(index, text.as_str())
        }
        Value::List(items) => {
            let mut json = Vec::with_capacity(2 + items.len() * 4);
            write_json_array(&mut json, items, index)?;
            let text = std::str::from_utf8(&json).map_err(|e| Error::Bind {
                index,
                message: format!("list is not valid UTF-8 JSON: {e}"),
            })?;
            stmt.raw_bind_parameter(index, text)
        }
        #[cfg(feature = "uuid")]
        Value::Uuid(v) => stmt.raw_bind_parameter(index, &v.as_bytes()[..]),
        #[cfg(feature = "chrono")]
        Value::Date(_) | Value::Time(_) | Value::Timestamp(_) | Value::Timestamptz(_) => {
            let buf = format_text(value, index)?;
            stmt.raw_bind_parameter(index, buf.as_str())
        }
        #[cfg(feature = "rust_decimal")]
        Value::Numeric(d) => match decimal(d, index)? {
            SqliteNumber::Integer(i) => stmt.raw_bind_parameter(index, i),
            SqliteNumber::Real(f) => stmt.raw_bind_parameter(index, f),
        },
    };
    match bound {
        Ok(()) => Ok(is_large(value)),
        Err(e) => Err(Error::Bind {
            index,
            message: e.to_string(),
        }),
    }
}

/// `v`, unless SQLite would store something else (NaN becomes NULL).
fn float(v: f64, index: usize) -> Result<f64> {
    match exact_number::float_refusal(v) {
        None => Ok(v),
        Some(why) => Err(Error::Bind {
            index,
            message: why.to_owned(),
        }),
    }
}

/// The INTEGER or REAL that is exactly `d`, or an error (see
/// [`exact_number`]).
#[cfg(feature = "rust_decimal")]
fn decimal(d: &rust_decimal::Decimal, index: usize) -> Result<SqliteNumber> {
    exact_number::decimal(d).map_err(|why| Error::Bind {
        index,
        message: why.to_owned(),
    })
}

/// Writes `items` as a JSON array.
fn write_json_array(out: &mut Vec<u8>, items: &[Value<'_>], index: usize) -> Result<()> {
    out.push(b'[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_json_item(out, item, index)?;
    }
    out.push(b']');
    Ok(())
}

/// Writes one list item as JSON, as SQLite would read the same value bound
/// alone: `json_each` gives back integers, reals and text unchanged.
fn write_json_item(out: &mut Vec<u8>, item: &Value<'_>, index: usize) -> Result<()> {
    let unsupported = |what: &str| Error::Bind {
        index,
        message: format!("a list bound on SQLite travels as JSON, which cannot hold {what}"),
    };
    let written = match item {
        Value::Null => serde_json::to_writer(&mut *out, &()),
        Value::Bool(v) => serde_json::to_writer(&mut *out, v),
        Value::SmallInt(v) => serde_json::to_writer(&mut *out, v),
        Value::Int(v) => serde_json::to_writer(&mut *out, v),
        Value::BigInt(v) => serde_json::to_writer(&mut *out, v),
        Value::Float(v) => {
            write_json_float(out, f64::from(*v)).ok_or_else(|| unsupported("NaN or infinity"))?
        }
        Value::Double(v) => {
            write_json_float(out, *v).ok_or_else(|| unsupported("NaN or infinity"))?
        }
        Value::Text(v) => serde_json::to_writer(&mut *out, v),
        Value::OwnedText(v) => serde_json::to_writer(&mut *out, v),
        Value::Unbindable(why) => {
            return Err(Error::Bind {
                index,
                message: why.clone(),
            });
        }
        Value::Json(v) => serde_json::to_writer(&mut *out, v),
        Value::List(items) => return write_json_array(out, items, index),
        Value::Blob(_) | Value::OwnedBlob(_) => return Err(unsupported("bytes")),
        #[cfg(feature = "uuid")]
        Value::Uuid(_) => return Err(unsupported("a UUID (bound as 16 bytes)")),
        #[cfg(feature = "chrono")]
        Value::Date(_) | Value::Time(_) | Value::Timestamp(_) | Value::Timestamptz(_) => {
            let buf = format_text(item, index)?;
            serde_json::to_writer(&mut *out, buf.as_str())
        }
        // A number, as when bound alone: `json_each` gives back an
        // INTEGER or a REAL.
        #[cfg(feature = "rust_decimal")]
        Value::Numeric(d) => match decimal(d, index)? {
            SqliteNumber::Integer(i) => serde_json::to_writer(&mut *out, &i),
            SqliteNumber::Real(f) => {
                write_json_float(out, f).ok_or_else(|| unsupported("NaN or infinity"))?
            }
        },
    };
    written.map_err(|e| Error::Bind {
        index,
        message: format!("cannot write list item as JSON: {e}"),
    })
}

/// Writes a finite float as JSON; `None` for NaN and infinities.
fn write_json_float(out: &mut Vec<u8>, v: f64) -> Option<serde_json::Result<()>> {
    v.is_finite().then(|| serde_json::to_writer(&mut *out, &v))
}

/// Formats a date or time value as the text SQLite stores for it.
#[cfg(feature = "chrono")]
fn format_text(value: &Value<'_>, index: usize) -> Result<StackText> {
    check_year(value, index)?;
    let mut buf = StackText::new();
    let written = match value {
        #[cfg(feature = "chrono")]
        Value::Date(d) => d.format("%Y-%m-%d").write_to(&mut buf),
        #[cfg(feature = "chrono")]
        Value::Time(t) => {
            let fmt = time_format(chrono::Timelike::nanosecond(t), &TIME);
            t.format(fmt).write_to(&mut buf)
        }
        #[cfg(feature = "chrono")]
        Value::Timestamp(ts) => {
            let fmt = time_format(chrono::Timelike::nanosecond(ts), &TIMESTAMP);
            ts.format(fmt).write_to(&mut buf)
        }
        #[cfg(feature = "chrono")]
        Value::Timestamptz(ts) => {
            let utc = ts.naive_utc();
            let fmt = time_format(chrono::Timelike::nanosecond(&utc), &TIMESTAMPTZ);
            utc.format(fmt)
                .write_to(&mut buf)
                .and_then(|()| buf.write_str("+00:00"))
        }
        _ => Err(fmt::Error),
    };
    // The message names the kind of value, never the value.
    written.map_err(|fmt::Error| Error::Bind {
        index,
        message: "cannot format this date or time as text".to_owned(),
    })?;
    Ok(buf)
}

/// Refuses a date outside the years 0 to 9999. SQLite keeps dates as
/// text, which sorts and compares as the dates do only with four-digit
/// years: chrono writes year 10000 as `+10000` and year -1 as `-0001`,
/// which would sort before year 0 and be missed by `gt`, and SQLite's date
/// functions read neither. (MariaDB refuses the same years.)
#[cfg(feature = "chrono")]
fn check_year(value: &Value<'_>, index: usize) -> Result<()> {
    use chrono::Datelike;
    let year = match value {
        Value::Date(d) => d.year(),
        Value::Timestamp(ts) => ts.year(),
        Value::Timestamptz(ts) => ts.year(),
        _ => return Ok(()),
    };
    if (0..=9999).contains(&year) {
        Ok(())
    } else {
        Err(Error::Bind {
            index,
            message: "SQLite dates are text that orders only the years 0 to 9999".to_owned(),
        })
    }
}

/// Picks the strftime format among `formats` (whole seconds, then three,
/// six and nine fraction digits) for a time with `nanos` nanoseconds: no
/// fraction for whole seconds, as SQLite's own `CURRENT_TIMESTAMP`,
/// `CURRENT_TIME`, `datetime()` and `time()` write them, so that a value
/// read from such a column and bound again is equal to it; otherwise
/// three digits unless that would lose precision. Every choice orders
/// as the times do: a shorter text is a prefix of the longer ones it
/// precedes (`12:00:00` < `12:00:00.5`), and `+` (before a `Timestamptz`'s
/// offset) sorts before `.`.
#[cfg(feature = "chrono")]
fn time_format(nanos: u32, formats: &[&'static str; 4]) -> &'static str {
    let [s, ms, us, ns] = *formats;
    // A leap second is 1 000 000 000 nanoseconds past the 59th.
    if nanos.is_multiple_of(1_000_000_000) {
        s
    } else if nanos.is_multiple_of(1_000_000) {
        ms
    } else if nanos.is_multiple_of(1_000) {
        us
    } else {
        ns
    }
}

/// Formats of a `Time`.
#[cfg(feature = "chrono")]
const TIME: [&str; 4] = ["%H:%M:%S", "%H:%M:%S%.3f", "%H:%M:%S%.6f", "%H:%M:%S%.9f"];
/// Formats of a `Timestamp`.
#[cfg(feature = "chrono")]
const TIMESTAMP: [&str; 4] = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S%.3f",
    "%Y-%m-%d %H:%M:%S%.6f",
    "%Y-%m-%d %H:%M:%S%.9f",
];
/// Formats of a `Timestamptz`, before its `+00:00`.
#[cfg(feature = "chrono")]
const TIMESTAMPTZ: [&str; 4] = [
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M:%S%.3f",
    "%Y-%m-%dT%H:%M:%S%.6f",
    "%Y-%m-%dT%H:%M:%S%.9f",
];

/// A short text formatted on the stack.
#[cfg(any(feature = "chrono", feature = "rust_decimal"))]
pub(super) struct StackText {
    buf: [u8; 64],
    len: usize,
}

#[cfg(any(feature = "chrono", feature = "rust_decimal"))]
impl StackText {
    pub(super) fn new() -> Self {
        StackText {
            buf: [0; 64],
            len: 0,
        }
    }

    pub(super) fn as_str(&self) -> &str {
        // Only whole `&str`s are ever written, so this is always UTF-8.
        self.buf
            .get(..self.len)
            .and_then(|bytes| std::str::from_utf8(bytes).ok())
            .unwrap_or_default()
    }
}

#[cfg(any(feature = "chrono", feature = "rust_decimal"))]
impl fmt::Write for StackText {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len.checked_add(s.len()).ok_or(fmt::Error)?;
        let dst = self.buf.get_mut(self.len..end).ok_or(fmt::Error)?;
        dst.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The statement's text with its current bindings, as SQLite expands it.
    fn expanded(stmt: &Statement<'_>) -> String {
        stmt.expanded_sql().unwrap_or_default()
    }

    #[test]
    fn large_values_are_unbound_after_the_run_and_small_ones_stay() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let mut stmt = conn.prepare("SELECT ?1, ?2").unwrap();
        let large = "x".repeat(RELEASE_FROM_BYTES);
        let params = [Value::Text(&large), Value::Int(7)];
        let bound = bind_all(&mut stmt, &params).unwrap();
        assert!(expanded(&stmt).len() > RELEASE_FROM_BYTES);
        bound.release(&mut stmt, &params);
        assert_eq!(expanded(&stmt), "SELECT NULL, 7");

        let params = [Value::Text("small"), Value::Int(8)];
        let bound = bind_all(&mut stmt, &params).unwrap();
        bound.release(&mut stmt, &params);
        assert_eq!(expanded(&stmt), "SELECT 'small', 8");
    }

    #[test]
    fn a_failed_bind_releases_the_large_values_bound_before_it() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let mut stmt = conn.prepare("SELECT ?1, ?2").unwrap();
        let large = "x".repeat(RELEASE_FROM_BYTES);
        let params = [Value::Text(&large), Value::Unbindable("no".to_owned())];
        let err = bind_all(&mut stmt, &params).err();
        assert!(matches!(err, Some(Error::Bind { index: 2, .. })), "{err:?}");
        assert_eq!(expanded(&stmt), "SELECT NULL, NULL");
    }
}
