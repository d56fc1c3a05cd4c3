//! Date parts and date arithmetic (feature `chrono`).
//!
//! | function | SQLite | PostgreSQL | result |
//! |---|---|---|---|
//! | `year(x)` | `CAST(strftime('%Y', x) AS INTEGER)` | `CAST(EXTRACT(YEAR FROM x) AS INTEGER)` | `Integer` |
//! | `month(x)` | `CAST(strftime('%m', x) AS INTEGER)` | `CAST(EXTRACT(MONTH FROM x) AS INTEGER)` | `Integer` |
//! | `day(x)` | `CAST(strftime('%d', x) AS INTEGER)` | `CAST(EXTRACT(DAY FROM x) AS INTEGER)` | `Integer` |
//! | `day_of_week(x)` | `CAST(strftime('%w', x) AS INTEGER)` | `CAST(EXTRACT(DOW FROM x) AS INTEGER)` | `Integer`, 0 is Sunday |
//! | `day_of_year(x)` | `CAST(strftime('%j', x) AS INTEGER)` | `CAST(EXTRACT(DOY FROM x) AS INTEGER)` | `Integer`, from 1 |
//! | `hour(t)` | `CAST(strftime('%H', t) AS INTEGER)` | `CAST(EXTRACT(HOUR FROM t) AS INTEGER)` | `Integer` |
//! | `minute(t)` | `CAST(strftime('%M', t) AS INTEGER)` | `CAST(EXTRACT(MINUTE FROM t) AS INTEGER)` | `Integer` |
//! | `second(t)` | `CAST(strftime('%S', t) AS INTEGER)` | `CAST(FLOOR(EXTRACT(SECOND FROM t)) AS INTEGER)` | `Integer`, whole seconds |
//! | `add_days(d, n)` | `date(d, ? \|\| ' days')` | `(d + CAST($1 AS INTEGER))` | `Date` |
//!
//! The date parts take `Date`, `Timestamp` and `Timestamptz`; `hour`,
//! `minute` and `second` take `Time` and `Timestamp`, and not
//! `Timestamptz`, whose hour PostgreSQL reads in the session's time zone
//! and SQLite in UTC. `second` drops fractions on both (PostgreSQL's
//! `EXTRACT(SECOND ...)` has them, and a plain `CAST` would round).
//! `add_days` takes a `Date` and an `Integer` count, negative to go back.
//! PostgreSQL's `date + integer` is a `date` (whereas `date + interval`
//! is a `timestamp`), and SQLite's `date()` returns the `YYYY-MM-DD` text
//! that quarry reads as a date; `n` is bound on both (`'-3 days'` is a
//! valid SQLite modifier, so no `+` is written). The `CAST` tells
//! PostgreSQL the parameter's type: `date + unknown` is ambiguous there.
//! Months and years are in [`add_months`](crate::expression::add_months).

use crate::backend::Backend;
use crate::expression::sql_function::{Call, UnaryFunction};
use crate::expression::{AsExpression, Expression, ValidIn, precedence};
use crate::query_fragment::Binds;
use crate::query_fragment::QueryFragment;
use crate::sql_text::Part;
use crate::sql_types::{self as st, Date, Integer, Nullability, SqlType};

/// SQL types with a calendar date: `Date`, `Timestamp`, `Timestamptz`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no date part: expected `Date`, `Timestamp` or `Timestamptz`"
)]
pub trait DateLike: SqlType {}
impl DateLike for st::Date {}
impl DateLike for st::Timestamp {}
impl DateLike for st::Timestamptz {}
impl DateLike for st::Nullable<st::Date> {}
impl DateLike for st::Nullable<st::Timestamp> {}
impl DateLike for st::Nullable<st::Timestamptz> {}

/// SQL types with a time of day: `Time` and `Timestamp`. Not
/// `Timestamptz`: its hour is the session time zone's on PostgreSQL and
/// UTC's on SQLite.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no time of day that both backends read alike: expected `Time` or `Timestamp`"
)]
pub trait TimeLike: SqlType {}
impl TimeLike for st::Time {}
impl TimeLike for st::Timestamp {}
impl TimeLike for st::Nullable<st::Time> {}
impl TimeLike for st::Nullable<st::Timestamp> {}

macro_rules! date_parts {
    ($($(#[$doc:meta])* $name:ident $fn_name:ident($kind:ident): $strftime:literal, $pg_open:literal, $pg_close:literal, $my_open:literal, $my_close:literal;)*) => {$(
        #[doc = concat!("The function of [`", stringify!($fn_name), "`].")]
        #[derive(Debug, Clone, Copy)]
        pub struct $name;

        impl<ST: $kind> UnaryFunction<ST> for $name {
            type Output = Integer;
            const OPEN: [&'static str; 3] = [
                concat!("CAST(strftime('", $strftime, "', "),
                $pg_open,
                $my_open,
            ];
            const CLOSE: [&'static str; 3] = [") AS INTEGER)", $pg_close, $my_close];
        }

        $(#[$doc])*
        pub fn $fn_name<E: Expression>(value: E) -> Call<$name, E>
        where
            E::SqlType: $kind,
        {
            Call::new(value)
        }
    )*};
}

date_parts! {
    /// The year of a date or timestamp, as `Integer`.
    Year year(DateLike): "%Y", "CAST(EXTRACT(YEAR FROM ", ") AS INTEGER)", "YEAR(", ")";
    /// The month (1 to 12) of a date or timestamp, as `Integer`.
    Month month(DateLike): "%m", "CAST(EXTRACT(MONTH FROM ", ") AS INTEGER)", "MONTH(", ")";
    /// The day of the month (1 to 31) of a date or timestamp, as `Integer`.
    Day day(DateLike): "%d", "CAST(EXTRACT(DAY FROM ", ") AS INTEGER)", "DAYOFMONTH(", ")";
    /// The day of the week of a date or timestamp, as `Integer`: 0 for
    /// Sunday to 6 for Saturday, on both backends.
    DayOfWeek day_of_week(DateLike): "%w", "CAST(EXTRACT(DOW FROM ", ") AS INTEGER)", "(DAYOFWEEK(", ") - 1)";
    /// The day of the year (1 to 366) of a date or timestamp, as `Integer`.
    DayOfYear day_of_year(DateLike): "%j", "CAST(EXTRACT(DOY FROM ", ") AS INTEGER)", "DAYOFYEAR(", ")";
    /// The hour (0 to 23) of a time or timestamp, as `Integer`.
    ///
    /// ```
    /// # quarry::table! { events (id) { id -> Integer, at -> Timestamp, } }
    /// use quarry::prelude::*;
    /// use quarry::expression::hour;
    /// let q = events::table.select(hour(events::at));
    /// assert_eq!(
    ///     quarry::debug_query::<Pg, _>(q).sql(),
    ///     r#"SELECT CAST(EXTRACT(HOUR FROM "events"."at") AS INTEGER) FROM "events""#
    /// );
    /// ```
    Hour hour(TimeLike): "%H", "CAST(EXTRACT(HOUR FROM ", ") AS INTEGER)", "HOUR(", ")";
    /// The minute (0 to 59) of a time or timestamp, as `Integer`.
    Minute minute(TimeLike): "%M", "CAST(EXTRACT(MINUTE FROM ", ") AS INTEGER)", "MINUTE(", ")";
    /// The whole seconds (0 to 59) of a time or timestamp, as `Integer`;
    /// fractions are dropped, not rounded, on both backends.
    Second second(TimeLike): "%S", "CAST(FLOOR(EXTRACT(SECOND FROM ", ")) AS INTEGER)", "SECOND(", ")";
}

/// `date + days`.
#[derive(Debug, Clone, Copy)]
pub struct AddDays<D, N> {
    date: D,
    days: N,
}

/// `date` moved by `days` days (negative to go back): a `Date`.
pub fn add_days<D, N>(date: D, days: N) -> AddDays<D, N::Expr>
where
    D: Expression,
    D::SqlType: SqlType<NotNull = Date>,
    N: AsExpression<Integer>,
{
    AddDays {
        date,
        days: days.as_expression(),
    }
}

impl<D: Expression, N: Expression> Expression for AddDays<D, N> {
    type SqlType = <crate::expression::comparison::EitherNull<D, N> as Nullability>::Apply<Date>;
}

impl<From, D, N, ID, IN> ValidIn<From, (ID, IN)> for AddDays<D, N>
where
    D: ValidIn<From, ID>,
    N: ValidIn<From, IN>,
{
    type Nullability = <D::Nullability as Nullability>::Or<N::Nullability>;
}

crate::expression::grouping::grouping_from_operands!([D, N,] AddDays<D, N>; D ID, N IN);

impl<DB, D, N> QueryFragment<DB> for AddDays<D, N>
where
    DB: Backend,
    D: QueryFragment<DB> + Expression,
    N: QueryFragment<DB> + Expression,
{
    const FRAG: Part = Part::ByDialect(&[
        Part::Seq(&[
            Part::Str("date("),
            D::FRAG,
            Part::Str(", "),
            // `||` binds tighter than any arithmetic in SQLite.
            crate::expression::operand!(N, precedence::ATOM),
            Part::Str(" || ' days')"),
        ]),
        Part::Paren(&Part::Seq(&[
            crate::expression::operand!(D, precedence::ADDITIVE),
            Part::Str(" + CAST("),
            N::FRAG,
            Part::Str(" AS INTEGER)"),
        ])),
        // `DATE_ADD` of a column count is a string on MariaDB: cast back.
        Part::Seq(&[
            Part::Str("CAST(DATE_ADD("),
            D::FRAG,
            Part::Str(", INTERVAL "),
            N::FRAG,
            Part::Str(" DAY) AS DATE)"),
        ]),
    ]);
    fn collect_binds<'a>(&'a self, out: &mut Binds<'a>) {
        self.date.collect_binds(out);
        self.days.collect_binds(out);
    }
}

// A date: arithmetic on it is an error naming it (`add_days` adds days).
crate::__impl_arithmetic_ops!([D, N,] AddDays<D, N>);
