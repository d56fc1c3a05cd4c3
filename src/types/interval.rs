//! `Interval`: PostgreSQL's `interval`, exactly (months, days,
//! microseconds).

use crate::types::{SqlRaw, SqlValue};
use quarry_runtime::Value;

/// A PostgreSQL `interval`, as the server keeps it: months, days and
/// microseconds, each apart (a month is not a number of days, nor a day a
/// number of hours, across daylight saving changes). Loads and binds
/// exactly, with no rounding. Its SQL type is
/// [`sql_types::Interval`](crate::sql_types::Interval), which
/// `print-schema` prints for an `interval` column.
///
/// On SQLite, which has no interval type, it is stored as its text
/// (`1 mons 2 days 03:04:05.000006`): it round-trips exactly, and two
/// values are equal when their three parts are, where PostgreSQL counts a
/// month as 30 days and a day as 24 hours when it compares.
///
/// ```
/// use quarry::prelude::*;
/// use quarry::types::Interval;
///
/// quarry::table! { jobs (id) { id -> Integer, every -> quarry::sql_types::Interval, } }
///
/// let mut db = quarry::sqlite::Connection::open_in_memory()?;
/// db.execute_batch("CREATE TABLE jobs (id INTEGER PRIMARY KEY, every TEXT NOT NULL)")?;
/// let weekly = Interval { months: 0, days: 7, microseconds: 90 * 60 * 1_000_000 };
/// quarry::insert_into(jobs::table)
///     .values((jobs::id.eq(1), jobs::every.eq(weekly)))
///     .execute(&mut db)?;
/// let back: Interval = jobs::table.select(jobs::every).first(&mut db)?;
/// assert_eq!(back, weekly);
/// assert_eq!(weekly.to_string(), "0 mons 7 days 01:30:00.000000");
/// # Ok::<(), quarry::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Interval {
    /// Whole months (a year is 12).
    pub months: i32,
    /// Whole days.
    pub days: i32,
    /// The time part, in microseconds.
    pub microseconds: i64,
}

impl Interval {
    /// Reads PostgreSQL's binary format: microseconds, days, months, big
    /// endian.
    fn from_binary(bytes: &[u8]) -> Option<Interval> {
        let microseconds = i64::from_be_bytes(bytes.get(0..8)?.try_into().ok()?);
        let days = i32::from_be_bytes(bytes.get(8..12)?.try_into().ok()?);
        let months = i32::from_be_bytes(bytes.get(12..16)?.try_into().ok()?);
        (bytes.len() == 16).then_some(Interval {
            months,
            days,
            microseconds,
        })
    }

    /// Reads the text [`Display`](core::fmt::Display) writes.
    fn from_text(text: &str) -> Option<Interval> {
        let mut words = text.split(' ');
        let months = words.next()?.parse().ok()?;
        (words.next()? == "mons").then_some(())?;
        let days = words.next()?.parse().ok()?;
        (words.next()? == "days").then_some(())?;
        let time = words.next()?;
        if words.next().is_some() {
            return None;
        }
        let (negative, time) = match time.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, time),
        };
        let mut parts = time.split(':');
        let hours: i64 = parts.next()?.parse().ok()?;
        let minutes: i64 = parts.next()?.parse().ok()?;
        let (seconds, fraction) = parts.next()?.split_once('.')?;
        if parts.next().is_some() || minutes >= 60 || fraction.len() != 6 {
            return None;
        }
        let seconds: i64 = seconds.parse().ok()?;
        let fraction: i64 = fraction.parse().ok()?;
        if seconds >= 60 || hours < 0 || minutes < 0 || seconds < 0 || fraction < 0 {
            return None;
        }
        // Built negative, since i64::MIN has no positive counterpart.
        let magnitude = hours
            .checked_mul(-3_600_000_000)?
            .checked_sub(minutes * 60_000_000)?
            .checked_sub(seconds * 1_000_000)?
            .checked_sub(fraction)?;
        let microseconds = if negative {
            magnitude
        } else {
            magnitude.checked_neg()?
        };
        Some(Interval {
            months,
            days,
            microseconds,
        })
    }
}

/// `1 mons 2 days 03:04:05.000006` (`-03:04:05.000006` for a negative time
/// part): PostgreSQL reads it back as the same three parts.
impl core::fmt::Display for Interval {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let sign = if self.microseconds < 0 { "-" } else { "" };
        let us = self.microseconds.unsigned_abs();
        write!(
            f,
            "{} mons {} days {sign}{:02}:{:02}:{:02}.{:06}",
            self.months,
            self.days,
            us / 3_600_000_000,
            us / 60_000_000 % 60,
            us / 1_000_000 % 60,
            us % 1_000_000,
        )
    }
}

impl SqlValue for Interval {
    type SqlType = crate::sql_types::Interval;
    fn encode(&self) -> Value<'_> {
        Value::OwnedText(self.to_string())
    }
    fn decode(raw: SqlRaw<'_>) -> Option<Self> {
        match raw {
            SqlRaw::Bytes(bytes) => Interval::from_binary(bytes),
            SqlRaw::Text(text) => Interval::from_text(text),
            SqlRaw::Integer(_) | SqlRaw::Real(_) => None,
        }
    }
}
crate::impl_sql_value!(Interval);

#[cfg(test)]
mod tests {
    use super::Interval;

    #[test]
    fn text_round_trips_at_the_limits() {
        for microseconds in [0, 1, -1, 999_999, -3_600_000_001, i64::MAX, i64::MIN] {
            for (months, days) in [(0, 0), (i32::MAX, i32::MIN), (-1, 1)] {
                let interval = Interval {
                    months,
                    days,
                    microseconds,
                };
                assert_eq!(
                    Interval::from_text(&interval.to_string()),
                    Some(interval),
                    "{interval}"
                );
            }
        }
        assert_eq!(Interval::from_text("1 mons 2 days 00:60:00.000000"), None);
        assert_eq!(Interval::from_text("1 mons 2 days 00:00:00.5"), None);
        assert_eq!(Interval::from_text("1 day"), None);
    }
}
