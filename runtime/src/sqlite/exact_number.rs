//! Numbers that reach SQLite as numbers, unchanged, or not at all.
//!
//! SQLite has two number storage classes, a 64-bit INTEGER and a 64-bit
//! REAL (an `f64`). A value that neither can hold exactly is refused here,
//! with a message for [`Error::Bind`](crate::Error::Bind), rather than
//! sent in a form SQLite would change or compare wrongly:
//!
//! - NaN: SQLite stores it as NULL.
//! - A decimal goes as INTEGER when it is whole and fits `i64`, else as
//!   REAL when the `f64` nearest to it is that very number (its shortest
//!   round-trip text reads back as the same decimal). Anything else (more
//!   significant digits than an `f64` keeps, `Decimal::MAX`) is refused:
//!   as TEXT it would sort after every number in a comparison with an
//!   aggregate or an expression, and a NUMERIC column would round it.
//!
//! The messages never contain the value.

/// A number as SQLite stores it.
#[cfg(feature = "rust_decimal")]
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum SqliteNumber {
    /// A 64-bit INTEGER.
    Integer(i64),
    /// A REAL.
    Real(f64),
}

/// Why SQLite cannot hold a float: `None` when it can.
pub(crate) fn float_refusal(v: f64) -> Option<&'static str> {
    v.is_nan()
        .then_some("SQLite stores NaN as NULL, so a NaN cannot be bound")
}

/// The SQLite number that is exactly `d`, or why there is none.
#[cfg(feature = "rust_decimal")]
pub(crate) fn decimal(d: &rust_decimal::Decimal) -> Result<SqliteNumber, &'static str> {
    use std::fmt::Write as _;

    const REFUSED: &str = "SQLite cannot hold this decimal exactly: it has more \
                           significant digits than a 64-bit INTEGER or REAL keeps";

    if d.is_integer()
        && let Some(i) = whole_i64(d)
    {
        return Ok(SqliteNumber::Integer(i));
    }
    // Both texts fit the 64-byte buffer: a decimal's is at most 31 bytes,
    // and the f64 nearest to one (at least 1e-28 in magnitude, below 8e28)
    // prints in at most 48.
    let mut text = super::bind::StackText::new();
    write!(text, "{d}").map_err(|_| REFUSED)?;
    let real: f64 = text.as_str().parse().map_err(|_| REFUSED)?;
    let mut back = super::bind::StackText::new();
    write!(back, "{real}").map_err(|_| REFUSED)?;
    match rust_decimal::Decimal::from_str_exact(back.as_str()) {
        // `==` compares values, not scales: 1.50 equals 1.5.
        Ok(same) if same == *d => Ok(SqliteNumber::Real(real)),
        _ => Err(REFUSED),
    }
}

/// `d` as an `i64`, when it is whole and in range.
#[cfg(feature = "rust_decimal")]
fn whole_i64(d: &rust_decimal::Decimal) -> Option<i64> {
    // `trunc` of a whole number is itself; `mantissa` is then the value
    // times 10^scale, with scale 0 after `normalize`.
    let n = d.trunc().normalize();
    if n.scale() != 0 {
        return None;
    }
    i64::try_from(n.mantissa()).ok()
}

#[cfg(all(test, feature = "rust_decimal"))]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn whole_decimals_in_i64_are_integers() {
        for (text, i) in [
            ("0", 0),
            ("-0", 0),
            ("1.000", 1),
            ("-42", -42),
            ("9223372036854775807", i64::MAX),
            ("-9223372036854775808", i64::MIN),
            ("9007199254740993", (1 << 53) + 1),
        ] {
            assert_eq!(decimal(&dec(text)), Ok(SqliteNumber::Integer(i)), "{text}");
        }
    }

    #[test]
    fn decimals_an_f64_holds_are_reals() {
        for (text, f) in [
            ("0.1", 0.1),
            ("-2.50", -2.5),
            ("0.30000000000000004", 0.30000000000000004),
            ("1e20", 1e20),
            ("0.0000000000000000000000000001", 1e-28),
            ("123456789.123456", 123456789.123456),
        ] {
            let d = Decimal::from_scientific(text).unwrap_or_else(|_| dec(text));
            assert_eq!(decimal(&d), Ok(SqliteNumber::Real(f)), "{text}");
        }
    }

    #[test]
    fn other_decimals_are_refused() {
        for d in [
            Decimal::MAX,
            Decimal::MIN,
            dec("0.1000000000000000000000000001"),
            dec("3.14159265358979323846264338"),
            dec("9223372036854775809"),
            // 2^63 is a REAL, but one that reads back as 9223372036854776000.
            dec("9223372036854775808"),
            dec("12345678901234567.5"),
        ] {
            let message = decimal(&d).unwrap_err();
            assert!(!message.contains(&d.to_string()), "{message}");
        }
    }

    #[test]
    fn nan_is_refused() {
        assert!(float_refusal(f64::NAN).is_some());
        for v in [
            0.0,
            -0.0,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MAX,
            5e-324,
        ] {
            assert_eq!(float_refusal(v), None, "{v}");
        }
    }
}
