//! What may stand beside an expression: an operand of arithmetic, or the
//! other side of a comparison.
//!
//! Arithmetic takes any two numeric expressions, and the result has the
//! type SQL gives it ([`Promote`](crate::sql_types::Promote)). A Rust
//! number beside a numeric expression is bound as that expression's type
//! when it fits exactly (an `i32` beside a `Numeric` column is a `NUMERIC`
//! parameter), and otherwise as its own type, which then promotes (an
//! `f64` beside an `Integer` column makes the result `Double`):
//!
//! | beside SQL | Rust values, bound as |
//! |---|---|
//! | `SmallInt` | `i16` as `SmallInt` |
//! | `Integer` | `i32` as `Integer` |
//! | `BigInt` | `i64` as `BigInt` |
//! | `Numeric` | `i16`, `i32`, `i64` as `Numeric` |
//! | `Float` | `i32` as `Integer`, `f32` as `Float` |
//! | `Double` | `i32`, `f32` as `Double` |
//! | any of them | `f32` as `Float`, `f64` as `Double`, `Decimal` as `Numeric` (feature `rust_decimal`) |
//!
//! Each SQL type takes one Rust integer type at most besides `Numeric`, so
//! an integer literal (`posts::views + 1`) is always inferred.

use crate::expression::{Bound, Expression};
use crate::sql_types::{self as st, ComparableTo, NotNull, NumericType, SqlType};

/// A Rust number beside a numeric expression of SQL type `ST`: `As` is the
/// SQL type it is bound as.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be used beside a SQL `{ST}` expression",
    label = "not a number of a type that fits `{ST}`",
    note = "`SmallInt` takes `i16`, `Integer` `i32`, `BigInt` `i64`, `Numeric` any integer; every numeric type takes `f64`"
)]
pub trait NumberBeside<ST> {
    /// The SQL type of the bind.
    type As: SqlType<Nullability = NotNull>;
}

macro_rules! number_beside {
    ($($rust:ty: $($sql:ident => $as:ident),*;)*) => {$($(
        impl NumberBeside<st::$sql> for $rust {
            type As = st::$as;
        }
    )*)*};
}

number_beside! {
    i16: SmallInt => SmallInt, Numeric => Numeric;
    i32: Integer => Integer, Numeric => Numeric, Float => Integer, Double => Double;
    i64: BigInt => BigInt, Numeric => Numeric;
    f32: SmallInt => Float, Integer => Float, BigInt => Float, Numeric => Float, Float => Float,
        Double => Double;
    f64: SmallInt => Double, Integer => Double, BigInt => Double, Numeric => Double,
        Float => Double, Double => Double;
}

#[cfg(feature = "rust_decimal")]
number_beside! {
    rust_decimal::Decimal: SmallInt => Numeric, Integer => Numeric, BigInt => Numeric,
        Numeric => Numeric, Float => Numeric, Double => Numeric;
}

/// The SQL type of the numeric expression `E`, as arithmetic sees it: the
/// type without `Nullable`. Implemented for each numeric SQL type, and for
/// nothing else.
///
/// This is what makes `posts::title + 1` fail to compile, with a message
/// naming the column.
#[diagnostic::on_unimplemented(
    message = "`{E}` is SQL `{Self}`, not a number: `+ - * /` need numeric operands",
    label = "`{E}` is not numeric",
    note = "arithmetic takes `SmallInt`, `Integer`, `BigInt`, `Numeric`, `Float`, `Double` expressions and Rust numbers"
)]
pub trait NumericOf<E> {
    /// The SQL type without `Nullable`.
    type Sql: NumericType<Nullability = NotNull>;
    /// `E` itself: naming it through this trait makes a non-numeric `E`
    /// one error, not one more at each use of the result.
    type Expr;
    /// `expr` itself.
    fn expr(expr: E) -> Self::Expr;
}

macro_rules! numeric_of {
    ($($sql:ident),*) => {$(
        #[diagnostic::do_not_recommend]
        impl<E> NumericOf<E> for st::$sql {
            type Sql = st::$sql;
            type Expr = E;
            fn expr(expr: E) -> E {
                expr
            }
        }
        #[diagnostic::do_not_recommend]
        impl<E> NumericOf<E> for st::Nullable<st::$sql> {
            type Sql = st::$sql;
            type Expr = E;
            fn expr(expr: E) -> E {
                expr
            }
        }
    )*};
}

numeric_of!(SmallInt, Integer, BigInt, Numeric, Float, Double);

/// The numeric SQL type of `E` (nullability aside), or an error naming `E`.
pub type NumericSqlOf<E> = <<E as Expression>::SqlType as NumericOf<E>>::Sql;

/// An operand of `+ - * /` beside the expression `L`: any numeric
/// expression, or a Rust number (see [`NumberBeside`]). Both `L` and the
/// operand must be numeric.
///
/// `table!` implements it for each column, and quarry for each of its
/// expression types and each Rust number type.
/// This is what makes `posts::views + posts::title` and `posts::title + 1`
/// fail to compile.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot stand beside `{L}` in arithmetic: `+ - * /` need numbers on both sides",
    label = "`{L}` or `{Self}` is not numeric",
    note = "arithmetic takes numeric SQL types (`SmallInt`, `Integer`, `BigInt`, `Numeric`, `Float`, `Double`) and Rust numbers"
)]
pub trait Operand<L> {
    /// The expression it becomes.
    type Expr;
    /// `L`, checked numeric.
    type Left;
    /// Converts it.
    fn into_operand(self) -> Self::Expr;
    /// Converts `L`.
    fn left(left: L) -> Self::Left;
}

/// An expression checked numeric, beside `L`: what an expression type's
/// [`Operand`] implementation asks of itself. `L` is only there so that
/// the bound is checked where the operator is used.
#[doc(hidden)]
pub trait NumericBeside<L> {
    /// `Self`.
    type Expr;
    /// `self`.
    fn numeric(self) -> Self::Expr;
}

impl<E: Expression, L> NumericBeside<L> for E
where
    E::SqlType: NumericOf<E>,
{
    type Expr = <E::SqlType as NumericOf<E>>::Expr;
    fn numeric(self) -> Self::Expr {
        <E::SqlType as NumericOf<E>>::expr(self)
    }
}

// One impl per Rust number type, not a blanket over a trait of numbers:
// a column's own impl is then the only candidate for a column, whose
// mistake rustc reports in `NumericOf`'s words. An integer literal picks
// the one impl whose `NumberBeside` holds.
macro_rules! number_operand {
    ($($rust:ty),*) => {$(
        impl<L> Operand<L> for $rust
        where
            L: Expression,
            L::SqlType: NumericOf<L>,
            $rust: NumberBeside<NumericSqlOf<L>>,
        {
            type Expr = Bound<<$rust as NumberBeside<NumericSqlOf<L>>>::As, $rust>;
            type Left = <L::SqlType as NumericOf<L>>::Expr;
            fn into_operand(self) -> Self::Expr {
                Bound::new(self)
            }
            fn left(left: L) -> Self::Left {
                <L::SqlType as NumericOf<L>>::expr(left)
            }
        }
    )*};
}

number_operand!(i16, i32, i64, f32, f64);
#[cfg(feature = "rust_decimal")]
number_operand!(rust_decimal::Decimal);

/// The other side of a comparison with an expression of SQL type `ST`: an
/// expression of the same type, or of another numeric type when `ST` is
/// numeric; or a Rust value of the type (see
/// [`BindValue`](crate::types::BindValue)).
///
/// This is what makes `users::id.eq("ten")` fail to compile, and
/// `posts::views.lt(users::score)` (`Integer` with `BigInt`) compile.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be compared with a SQL `{ST}` value",
    label = "expected a value or expression of SQL type `{ST}`"
)]
pub trait Comparand<ST: SqlType> {
    /// The expression it becomes.
    type Expr: Expression;
    /// Converts it.
    fn into_comparand(self) -> Self::Expr;
}

#[diagnostic::do_not_recommend]
impl<E, ST> Comparand<ST> for E
where
    E: Expression,
    ST: SqlType,
    <E::SqlType as SqlType>::NotNull: ComparableTo<ST::NotNull>,
{
    type Expr = E;
    fn into_comparand(self) -> E {
        self
    }
}
