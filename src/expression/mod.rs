//! Typed SQL expressions.
//!
//! An [`Expression`] has a SQL type. [`ValidIn`] says it may be used in a
//! query with a given FROM clause, and how outer joins there make it
//! nullable. [`AsExpression`] turns Rust values into bound parameters.

mod aggregate;
mod arithmetic;
mod bound;
mod case;
mod cast;
mod coalesce;
mod comparison;
mod date_arithmetic;
mod date_functions;
pub(crate) mod declare_function;
pub mod grouping;
pub(crate) mod in_list;
mod logic;
mod methods;
mod operands;
mod ordering;
pub mod sql_function;
mod string_functions;
mod subquery;
mod text;
mod window;

pub use aggregate::{
    Aggregate, AggregateFn, Averageable, Summable, avg, count, count_distinct, count_star, max,
    min, sum,
};
pub use arithmetic::{Add, Div, Mul, Neg, Sub, arithmetic, negate};
pub use bound::{Bound, ToValue};
pub use case::{Case, CaseValues, Else, NoBranch, NoElse, When, case_when};
pub use cast::{CastExpressionMethods, CastTarget, CastTo, cast};
pub use coalesce::{Coalesce, coalesce};
pub use comparison::{Between, Compare, IsNotNull, IsNull, Operator, op};
pub use date_arithmetic::{AddCalendar, CalendarUnit, Months, Years, add_months, add_years};
pub use date_functions::{
    AddDays, DateLike, Day, DayOfWeek, DayOfYear, Hour, Minute, Month, Second, TimeLike, Year,
    add_days, day, day_of_week, day_of_year, hour, minute, month, second, year,
};
pub use in_list::EqAny;
pub use logic::{And, Not, Or, not};
pub use methods::{BoolExpressionMethods, ExpressionMethods};
pub use operands::{Comparand, NumberBeside, NumericBeside, NumericOf, NumericSqlOf, Operand};
pub use ordering::{
    Asc, Desc, Keyed, KeyedBy, KeyedTerm, NullIn, NullsPlacement, OrderSql, OrderSqlBy, OrderTerm,
    Ordered, OrdersNullsByPosition,
};
pub use sql_function::{Call, UnaryFunction};
pub use string_functions::{
    Length, Lower, Substring, Trim, Upper, length, lower, substring, trim, upper,
};
pub use subquery::{
    Correlation, InList, InSubquery, OneColumn, OneColumnOf, ScalarRow, ScalarSubquery, Subquery,
    ValueList, not_exists, scalar,
};
pub use text::{Concat, Like, NotLike, TextExpressionMethods, TextOf};
pub use window::{
    NoPartition, NoWindowOrder, Over, OverDsl, PartitionBy, Rank, RowNumber, Window, WindowClause,
    WindowFn, WindowFnSql, WindowIn, WindowOrder, rank, row_number, window,
};

use crate::sql_types::{Nullability, SqlType};

/// A SQL expression of type `SqlType`.
#[diagnostic::on_unimplemented(message = "`{Self}` is not a SQL expression")]
pub trait Expression {
    /// The expression's SQL type, before outer joins are accounted for.
    type SqlType: SqlType;
    /// How tightly the expression's SQL binds; decides parentheses.
    const PRECEDENCE: u8 = precedence::ATOM;
}

/// Operator precedence levels, loosest first.
pub mod precedence {
    /// `OR`
    pub const OR: u8 = 1;
    /// `AND`
    pub const AND: u8 = 2;
    /// `NOT`
    pub const NOT: u8 = 3;
    /// `=`, `<`, `LIKE`, `IN`, `BETWEEN`, `IS NULL`
    pub const COMPARISON: u8 = 4;
    /// `+`, `-`, `||`
    pub const ADDITIVE: u8 = 5;
    /// `*`, `/`
    pub const MULTIPLICATIVE: u8 = 6;
    /// Unary `-`
    pub const UNARY: u8 = 7;
    /// Columns, placeholders, function calls, parenthesised expressions.
    pub const ATOM: u8 = 9;
}

/// An expression that may appear in a query whose FROM clause is `From`.
///
/// `Idx` is the position of each referenced table in `From`; rustc infers it
/// and users never write it. This is what makes
/// `users::table.filter(posts::id.eq(1))` fail to compile.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be used here: its table is not in this query's FROM clause",
    label = "not in the FROM clause `{From}`"
)]
pub trait ValidIn<From, Idx> {
    /// [`IsNull`](crate::sql_types::IsNull) when an outer join in `From` can
    /// make this expression `NULL`.
    type Nullability: Nullability;
}

/// The SQL type an expression has inside the FROM clause `From`: its own
/// type, made nullable when an outer join can leave it `NULL`.
pub type TypeIn<E, From, Idx> =
    <<E as ValidIn<From, Idx>>::Nullability as Nullability>::Apply<<E as Expression>::SqlType>;

/// A Rust value or an expression usable where SQL type `ST` is expected.
///
/// Rust values become bound parameters; expressions of the same SQL type
/// (ignoring nullability) are used as they are. This is what makes
/// `users::id.eq("ten")` fail to compile.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be used as a SQL `{ST}` value",
    label = "expected a value or expression of SQL type `{ST}`"
)]
pub trait AsExpression<ST: SqlType> {
    /// The expression it becomes.
    type Expr: Expression;
    /// Converts it.
    fn as_expression(self) -> Self::Expr;
}

#[diagnostic::do_not_recommend]
impl<E, ST> AsExpression<ST> for E
where
    E: Expression,
    ST: SqlType,
    <E::SqlType as SqlType>::NotNull: crate::sql_types::SameSqlType<ST::NotNull>,
{
    type Expr = E;
    fn as_expression(self) -> E {
        self
    }
}

/// Wraps `$inner` in parentheses when its precedence is below `$min`.
macro_rules! operand {
    ($inner:ty, $min:expr) => {
        if <$inner as $crate::expression::Expression>::PRECEDENCE < $min {
            $crate::sql_text::Part::Paren(
                &<$inner as $crate::query_fragment::QueryFragment<DB>>::FRAG,
            )
        } else {
            <$inner as $crate::query_fragment::QueryFragment<DB>>::FRAG
        }
    };
}
pub(crate) use operand;
