//! Calendar arithmetic on dates: months and years (feature `chrono`).
//!
//! | function | SQLite | PostgreSQL | result |
//! |---|---|---|---|
//! | `add_months(d, n)` | `date(d, ? \|\| ' months', 'floor')` | `CAST(d + make_interval(months => $1) AS DATE)` | `Date` |
//! | `add_years(d, n)` | `date(d, ? \|\| ' years', 'floor')` | `CAST(d + make_interval(years => $1) AS DATE)` | `Date` |
//!
//! A day past the end of the target month becomes its last day, on both
//! backends: `2024-01-31` plus one month is `2024-02-29`, and `2024-02-29`
//! plus one year is `2025-02-28`. That is PostgreSQL's rule; SQLite's
//! default rolls over instead (`2024-03-02`), and its `floor` modifier
//! (SQLite 3.46, which the bundled SQLite has) asks for PostgreSQL's.
//! `n` is an `Integer` count, negative to go back, bound on both.
//!
//! Only `Date` takes them. On a `Timestamp`, SQLite's `datetime()` keeps
//! milliseconds at most, where PostgreSQL keeps microseconds: the two
//! would return different values.

use core::marker::PhantomData;

use crate::backend::Backend;
use crate::expression::comparison::EitherNull;
use crate::expression::{AsExpression, Expression, ValidIn, precedence};
use crate::query_fragment::Binds;
use crate::query_fragment::QueryFragment;
use crate::sql_text::Part;
use crate::sql_types::{Date, Integer, Nullability, SqlType};

/// A calendar unit that [`AddCalendar`] counts in: [`Months`] or
/// [`Years`].
#[diagnostic::on_unimplemented(message = "`{Self}` is not a calendar unit")]
pub trait CalendarUnit {
    /// The SQLite modifier's unit, after the count: `' months'`.
    const SQLITE: &'static str;
    /// `make_interval`'s argument name, with its arrow: `months => `.
    const PG: &'static str;
    /// MariaDB/MySQL's `INTERVAL` unit, which `DATE_ADD` clamps to the end
    /// of the month: ` MONTH)`.
    const MYSQL: &'static str;
}

/// Months, for [`add_months`].
#[derive(Debug, Clone, Copy)]
pub struct Months;
/// Years, for [`add_years`].
#[derive(Debug, Clone, Copy)]
pub struct Years;

impl CalendarUnit for Months {
    const SQLITE: &'static str = " || ' months', 'floor')";
    const PG: &'static str = " + make_interval(months => ";
    const MYSQL: &'static str = " MONTH)";
}

impl CalendarUnit for Years {
    const SQLITE: &'static str = " || ' years', 'floor')";
    const PG: &'static str = " + make_interval(years => ";
    const MYSQL: &'static str = " YEAR)";
}

/// `date` moved by `count` units `U`, clamped to the end of the month.
#[derive(Debug, Clone, Copy)]
pub struct AddCalendar<D, N, U> {
    date: D,
    count: N,
    unit: PhantomData<U>,
}

/// `date` moved by `months` months (negative to go back): a `Date`. A day
/// past the end of the target month becomes its last day, on both
/// backends.
///
/// ```
/// # quarry::table! { plans (id) { id -> Integer, starts -> Date, } }
/// use quarry::prelude::*;
/// use quarry::expression::add_months;
/// let q = || plans::table.select(add_months(plans::starts, 1));
/// assert_eq!(
///     quarry::debug_query::<Sqlite, _>(q()).sql(),
///     r#"SELECT date("plans"."starts", ? || ' months', 'floor') FROM "plans""#
/// );
/// assert_eq!(
///     quarry::debug_query::<Pg, _>(q()).sql(),
///     r#"SELECT CAST("plans"."starts" + make_interval(months => $1) AS DATE) FROM "plans""#
/// );
/// ```
pub fn add_months<D, N>(date: D, months: N) -> AddCalendar<D, N::Expr, Months>
where
    D: Expression,
    D::SqlType: SqlType<NotNull = Date>,
    N: AsExpression<Integer>,
{
    AddCalendar {
        date,
        count: months.as_expression(),
        unit: PhantomData,
    }
}

/// `date` moved by `years` years (negative to go back): a `Date`.
/// February 29 becomes February 28 in a year that has none, on both
/// backends.
///
/// ```
/// # quarry::table! { plans (id) { id -> Integer, starts -> Date, } }
/// use quarry::prelude::*;
/// use quarry::expression::add_years;
/// let q = plans::table.select(add_years(plans::starts, -2));
/// assert_eq!(
///     quarry::debug_query::<Pg, _>(q).sql(),
///     r#"SELECT CAST("plans"."starts" + make_interval(years => $1) AS DATE) FROM "plans""#
/// );
/// ```
pub fn add_years<D, N>(date: D, years: N) -> AddCalendar<D, N::Expr, Years>
where
    D: Expression,
    D::SqlType: SqlType<NotNull = Date>,
    N: AsExpression<Integer>,
{
    AddCalendar {
        date,
        count: years.as_expression(),
        unit: PhantomData,
    }
}

impl<D: Expression, N: Expression, U> Expression for AddCalendar<D, N, U> {
    type SqlType = <EitherNull<D, N> as Nullability>::Apply<Date>;
}

impl<From, D, N, U, ID, IN> ValidIn<From, (ID, IN)> for AddCalendar<D, N, U>
where
    D: ValidIn<From, ID>,
    N: ValidIn<From, IN>,
{
    type Nullability = <D::Nullability as Nullability>::Or<N::Nullability>;
}

crate::expression::grouping::grouping_from_operands!([D, N, U,] AddCalendar<D, N, U>; D ID, N IN);

impl<DB, D, N, U> QueryFragment<DB> for AddCalendar<D, N, U>
where
    DB: Backend,
    D: QueryFragment<DB> + Expression,
    N: QueryFragment<DB> + Expression,
    U: CalendarUnit,
{
    const FRAG: Part = Part::ByDialect(&[
        Part::Seq(&[
            Part::Str("date("),
            D::FRAG,
            Part::Str(", "),
            // `||` binds tighter than any arithmetic in SQLite.
            crate::expression::operand!(N, precedence::ATOM),
            Part::Str(U::SQLITE),
        ]),
        Part::Seq(&[
            Part::Str("CAST("),
            crate::expression::operand!(D, precedence::ADDITIVE),
            Part::Str(U::PG),
            N::FRAG,
            Part::Str(") AS DATE)"),
        ]),
        // `DATE_ADD` of a column count is a string on MariaDB: cast back.
        Part::Seq(&[
            Part::Str("CAST(DATE_ADD("),
            D::FRAG,
            Part::Str(", INTERVAL "),
            N::FRAG,
            Part::Str(U::MYSQL),
            Part::Str(" AS DATE)"),
        ]),
    ]);
    fn collect_binds<'a>(&'a self, out: &mut Binds<'a>) {
        self.date.collect_binds(out);
        self.count.collect_binds(out);
    }
}

// A date: arithmetic on it is an error naming it.
crate::__impl_arithmetic_ops!([D, N, U,] AddCalendar<D, N, U>);
