//! Date parts and date arithmetic (feature `chrono`).
//!
//! | function | SQLite | PostgreSQL | result |
//! |---|---|---|---|
//! | `year(x)` | `CAST(strftime('%Y', x) AS INTEGER)` | `CAST(EXTRACT(YEAR FROM x) AS INTEGER)` | `Integer` |
//! | `month(x)` | `CAST(strftime('%m', x) AS INTEGER)` | `CAST(EXTRACT(MONTH FROM x) AS INTEGER)` | `Integer` |
//! | `add_days(d, n)` | `date(d, ? \|\| ' days')` | `(d + CAST($1 AS INTEGER))` | `Date` |
//!
//! `year` and `month` take `Date`, `Timestamp` and `Timestamptz`.
//! `add_days` takes a `Date` and an `Integer` count, negative to go back.
//! PostgreSQL's `date + integer` is a `date` (whereas `date + interval`
//! is a `timestamp`), and SQLite's `date()` returns the `YYYY-MM-DD` text
//! that quarry reads as a date; `n` is bound on both (`'-3 days'` is a
//! valid SQLite modifier, so no `+` is written). The `CAST` tells
//! PostgreSQL the parameter's type: `date + unknown` is ambiguous there.

use crate::backend::Backend;
use crate::expression::sql_function::{Call, UnaryFunction};
use crate::expression::{AsExpression, Expression, ValidIn, precedence};
use crate::query_fragment::QueryFragment;
use crate::sql_text::Part;
use crate::sql_types::{self as st, Date, Integer, Nullability, SqlType};
use quarry_runtime::Value;

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

macro_rules! date_parts {
    ($($(#[$doc:meta])* $name:ident $fn_name:ident: $strftime:literal, $extract:literal;)*) => {$(
        #[doc = concat!("The function of [`", stringify!($fn_name), "`].")]
        #[derive(Debug, Clone, Copy)]
        pub struct $name;

        impl<ST: DateLike> UnaryFunction<ST> for $name {
            type Output = Integer;
            const OPEN: [&'static str; 2] = [
                concat!("CAST(strftime('", $strftime, "', "),
                concat!("CAST(EXTRACT(", $extract, " FROM "),
            ];
            const CLOSE: [&'static str; 2] = [") AS INTEGER)", ") AS INTEGER)"];
        }

        $(#[$doc])*
        pub fn $fn_name<E: Expression>(date: E) -> Call<$name, E>
        where
            E::SqlType: DateLike,
        {
            Call::new(date)
        }
    )*};
}

date_parts! {
    /// The year of a date or timestamp, as `Integer`.
    Year year: "%Y", "YEAR";
    /// The month (1 to 12) of a date or timestamp, as `Integer`.
    Month month: "%m", "MONTH";
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
            N::FRAG,
            Part::Str(" || ' days')"),
        ]),
        Part::Paren(&Part::Seq(&[
            crate::expression::operand!(D, precedence::ADDITIVE),
            Part::Str(" + CAST("),
            N::FRAG,
            Part::Str(" AS INTEGER)"),
        ])),
    ]);
    fn collect_binds<'a>(&'a self, out: &mut Vec<Value<'a>>) {
        self.date.collect_binds(out);
        self.days.collect_binds(out);
    }
}
