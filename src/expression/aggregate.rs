//! Aggregate functions: `count`, `count_distinct`, `sum`, `avg`, `min`,
//! `max` (and `count_star` in `query`).
//!
//! Result types follow SQL and are the same on every backend:
//!
//! | function | argument | result |
//! |---|---|---|
//! | `count`, `count_distinct` | any | `BigInt` |
//! | `sum` | `SmallInt`, `Integer`, `BigInt` | `Nullable<BigInt>` |
//! | `sum` | `Float`, `Double` | `Nullable<Double>` |
//! | `sum`, `avg` | `Numeric` | `Nullable<Numeric>` |
//! | `avg` | integers, floats | `Nullable<Double>` |
//! | `min`, `max` | `T` | `Nullable<T>` |
//!
//! `sum` and `avg` of no rows are `NULL`, hence `Nullable`. PostgreSQL's own
//! result types differ (`sum(bigint)` is `numeric`, `avg(integer)` is
//! `numeric`), so quarry casts there: `CAST(SUM(x) AS BIGINT)`,
//! `CAST(AVG(x) AS DOUBLE PRECISION)`. A `sum` beyond `i64` is then an error
//! from PostgreSQL rather than a silently different type.

use core::marker::PhantomData;

use crate::backend::Backend;
use crate::expression::grouping::{
    AggregateFunction, AllowedInFilter, GroupKind, Grouping, NoGroup,
};
use crate::expression::{Expression, ValidIn};
use crate::query_fragment::Binds;
use crate::query_fragment::QueryFragment;
use crate::sql_text::Part;
use crate::sql_types::{self as st, BigInt, NotNull, Nullable, SqlType};

/// Which aggregate, and its result type for an argument of type `ST`.
#[diagnostic::on_unimplemented(message = "this aggregate function does not take SQL `{ST}`")]
pub trait AggregateFn<ST> {
    /// The result's SQL type.
    type Output: SqlType;
    /// The SQL before the argument, per dialect (SQLite, PostgreSQL).
    const OPEN: [&'static str; 3];
    /// The SQL after the argument, per dialect.
    const CLOSE: [&'static str; 3];
}

/// `FN(expr)`: an aggregate of `expr` over the rows of a group.
#[derive(Debug, Clone, Copy)]
pub struct Aggregate<F, E> {
    expr: E,
    function: PhantomData<F>,
}

impl<F, E> Expression for Aggregate<F, E>
where
    E: Expression,
    F: AggregateFn<E::SqlType>,
{
    type SqlType = F::Output;
}

/// The argument is checked against the FROM clause; the result's
/// nullability does not follow outer joins (an aggregate of only `NULL`s is
/// already typed by its function).
impl<From, I, F, E> ValidIn<From, I> for Aggregate<F, E>
where
    E: ValidIn<From, I>,
{
    type Nullability = NotNull;
}

/// An aggregate's argument may use any column, grouped or not, but no other
/// aggregate.
impl<M, I, F, E> Grouping<M, (I,)> for Aggregate<F, E>
where
    E: Grouping<NoGroup, I>,
    <E::Kind as GroupKind>::InFilter: AllowedInFilter,
    E::Kind: GroupKind,
{
    type Kind = AggregateFunction;
}

impl<DB, F, E> QueryFragment<DB> for Aggregate<F, E>
where
    DB: Backend,
    E: QueryFragment<DB> + Expression,
    F: AggregateFn<E::SqlType>,
{
    const FRAG: Part = Part::Seq(&[
        Part::ByDialect(&[
            Part::Str(F::OPEN[0]),
            Part::Str(F::OPEN[1]),
            Part::Str(F::OPEN[2]),
        ]),
        E::FRAG,
        Part::ByDialect(&[
            Part::Str(F::CLOSE[0]),
            Part::Str(F::CLOSE[1]),
            Part::Str(F::CLOSE[2]),
        ]),
    ]);
    fn collect_binds<'a>(&'a self, out: &mut Binds<'a>) {
        self.expr.collect_binds(out);
    }
}

/// SQL types `sum` accepts, and what it returns for them.
#[diagnostic::on_unimplemented(message = "`sum` needs a numeric SQL type, found `{Self}`")]
pub trait Summable: SqlType {
    /// The type of the sum.
    type Sum: SqlType;
    /// `CAST(` ... ` AS T)` on PostgreSQL, or plain `SUM(...)`.
    const PG: [&'static str; 2];
    /// The same on MariaDB/MySQL, whose `SUM` of integers is a `DECIMAL`,
    /// read back as an integer when it is one.
    const MYSQL: [&'static str; 2];
}
/// SQL types `avg` accepts, and what it returns for them.
#[diagnostic::on_unimplemented(message = "`avg` needs a numeric SQL type, found `{Self}`")]
pub trait Averageable: SqlType {
    /// The type of the average.
    type Avg: SqlType;
    /// `CAST(` ... ` AS T)` on PostgreSQL, or plain `AVG(...)`.
    const PG: [&'static str; 2];
    /// The same on MariaDB/MySQL, whose `AVG` of integers is a `DECIMAL`
    /// of four places: the argument is made a `DOUBLE` first.
    const MYSQL: [&'static str; 2];
}

macro_rules! numeric_aggregates {
    ($($ty:ty => sum $sum:ty, $sum_pg:expr, $sum_my:expr; avg $avg:ty, $avg_pg:expr, $avg_my:expr;)*) => {$(
        impl Summable for $ty {
            type Sum = $sum;
            const PG: [&'static str; 2] = $sum_pg;
            const MYSQL: [&'static str; 2] = $sum_my;
        }
        impl Summable for Nullable<$ty> {
            type Sum = $sum;
            const PG: [&'static str; 2] = $sum_pg;
            const MYSQL: [&'static str; 2] = $sum_my;
        }
        impl Averageable for $ty {
            type Avg = $avg;
            const PG: [&'static str; 2] = $avg_pg;
            const MYSQL: [&'static str; 2] = $avg_my;
        }
        impl Averageable for Nullable<$ty> {
            type Avg = $avg;
            const PG: [&'static str; 2] = $avg_pg;
            const MYSQL: [&'static str; 2] = $avg_my;
        }
    )*};
}

const TO_BIGINT: [&str; 2] = ["CAST(SUM(", ") AS BIGINT)"];
const TO_DOUBLE_SUM: [&str; 2] = ["CAST(SUM(", ") AS DOUBLE PRECISION)"];
const TO_DOUBLE_AVG: [&str; 2] = ["CAST(AVG(", ") AS DOUBLE PRECISION)"];
const PLAIN_SUM: [&str; 2] = ["SUM(", ")"];
const PLAIN_AVG: [&str; 2] = ["AVG(", ")"];
// MariaDB's SUM of integers is an exact DECIMAL, kept as it is: decoding
// reads it as an i64 or fails, where `CAST(.. AS SIGNED)` would clamp a
// sum beyond i64 to its limit without an error.
const MY_TO_BIGINT: [&str; 2] = PLAIN_SUM;
const MY_TO_DOUBLE_SUM: [&str; 2] = ["CAST(SUM(", ") AS DOUBLE)"];
const MY_DOUBLE_AVG: [&str; 2] = ["AVG(CAST(", " AS DOUBLE))"];

numeric_aggregates! {
    st::SmallInt => sum Nullable<BigInt>, TO_BIGINT, MY_TO_BIGINT; avg Nullable<st::Double>, TO_DOUBLE_AVG, MY_DOUBLE_AVG;
    st::Integer => sum Nullable<BigInt>, TO_BIGINT, MY_TO_BIGINT; avg Nullable<st::Double>, TO_DOUBLE_AVG, MY_DOUBLE_AVG;
    st::BigInt => sum Nullable<BigInt>, TO_BIGINT, MY_TO_BIGINT; avg Nullable<st::Double>, TO_DOUBLE_AVG, MY_DOUBLE_AVG;
    st::Float => sum Nullable<st::Double>, TO_DOUBLE_SUM, MY_TO_DOUBLE_SUM; avg Nullable<st::Double>, TO_DOUBLE_AVG, MY_DOUBLE_AVG;
    st::Double => sum Nullable<st::Double>, PLAIN_SUM, PLAIN_SUM; avg Nullable<st::Double>, PLAIN_AVG, PLAIN_AVG;
    st::Numeric => sum Nullable<st::Numeric>, PLAIN_SUM, PLAIN_SUM; avg Nullable<st::Numeric>, PLAIN_AVG, PLAIN_AVG;
}

/// `SUM`.
#[derive(Debug, Clone, Copy)]
pub struct Sum;
/// `AVG`.
#[derive(Debug, Clone, Copy)]
pub struct Avg;
/// `MIN`.
#[derive(Debug, Clone, Copy)]
pub struct Min;
/// `MAX`.
#[derive(Debug, Clone, Copy)]
pub struct Max;
/// `COUNT`.
#[derive(Debug, Clone, Copy)]
pub struct Count;
/// `COUNT(DISTINCT ...)`.
#[derive(Debug, Clone, Copy)]
pub struct CountDistinct;

impl<ST: Summable> AggregateFn<ST> for Sum {
    type Output = ST::Sum;
    const OPEN: [&'static str; 3] = ["SUM(", ST::PG[0], ST::MYSQL[0]];
    const CLOSE: [&'static str; 3] = [")", ST::PG[1], ST::MYSQL[1]];
}
impl<ST: Averageable> AggregateFn<ST> for Avg {
    type Output = ST::Avg;
    const OPEN: [&'static str; 3] = ["AVG(", ST::PG[0], ST::MYSQL[0]];
    const CLOSE: [&'static str; 3] = [")", ST::PG[1], ST::MYSQL[1]];
}
impl<ST: SqlType> AggregateFn<ST> for Min {
    type Output = <ST::NotNull as SqlType>::Nullable;
    const OPEN: [&'static str; 3] = ["MIN(", "MIN(", "MIN("];
    const CLOSE: [&'static str; 3] = [")", ")", ")"];
}
impl<ST: SqlType> AggregateFn<ST> for Max {
    type Output = <ST::NotNull as SqlType>::Nullable;
    const OPEN: [&'static str; 3] = ["MAX(", "MAX(", "MAX("];
    const CLOSE: [&'static str; 3] = [")", ")", ")"];
}
impl<ST: SqlType> AggregateFn<ST> for Count {
    type Output = BigInt;
    const OPEN: [&'static str; 3] = ["COUNT(", "COUNT(", "COUNT("];
    const CLOSE: [&'static str; 3] = [")", ")", ")"];
}
impl<ST: SqlType> AggregateFn<ST> for CountDistinct {
    type Output = BigInt;
    const OPEN: [&'static str; 3] = ["COUNT(DISTINCT ", "COUNT(DISTINCT ", "COUNT(DISTINCT "];
    const CLOSE: [&'static str; 3] = [")", ")", ")"];
}

fn aggregate<F, E>(expr: E) -> Aggregate<F, E> {
    Aggregate {
        expr,
        function: PhantomData,
    }
}

/// `SUM(expr)`: `NULL` for no rows. See the module docs for result types.
pub fn sum<E: Expression>(expr: E) -> Aggregate<Sum, E>
where
    E::SqlType: Summable,
{
    aggregate(expr)
}

/// `AVG(expr)`: `NULL` for no rows.
pub fn avg<E: Expression>(expr: E) -> Aggregate<Avg, E>
where
    E::SqlType: Averageable,
{
    aggregate(expr)
}

/// `MIN(expr)`: `NULL` for no rows.
pub fn min<E: Expression>(expr: E) -> Aggregate<Min, E> {
    aggregate(expr)
}

/// `MAX(expr)`: `NULL` for no rows.
pub fn max<E: Expression>(expr: E) -> Aggregate<Max, E> {
    aggregate(expr)
}

/// `COUNT(expr)`: the number of rows where `expr` is not `NULL`.
pub fn count<E: Expression>(expr: E) -> Aggregate<Count, E> {
    aggregate(expr)
}

/// `COUNT(DISTINCT expr)`.
pub fn count_distinct<E: Expression>(expr: E) -> Aggregate<CountDistinct, E> {
    aggregate(expr)
}

/// `COUNT(*)`: the number of rows.
pub fn count_star() -> crate::query::CountStar {
    crate::query::CountStar
}

crate::__impl_arithmetic_ops!([F, E,] Aggregate<F, E>);
