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

/// An operand of `+ - * /` beside an expression of SQL type `ST`: any
/// numeric expression, or a Rust number (see [`NumberBeside`]).
///
/// This is what makes `posts::views + posts::title` fail to compile.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be an operand of arithmetic beside a SQL `{ST}` expression",
    label = "arithmetic needs numbers on both sides",
    note = "arithmetic takes numeric SQL types (`SmallInt`, `Integer`, `BigInt`, `Numeric`, `Float`, `Double`) and Rust numbers"
)]
pub trait Operand<ST: SqlType> {
    /// The expression it becomes.
    type Expr: Expression;
    /// Converts it.
    fn into_operand(self) -> Self::Expr;
}

#[diagnostic::do_not_recommend]
impl<E, ST> Operand<ST> for E
where
    E: Expression,
    E::SqlType: NumericType,
    ST: SqlType,
{
    type Expr = E;
    fn into_operand(self) -> E {
        self
    }
}

macro_rules! number_operand {
    ($($rust:ty),*) => {$(
        #[diagnostic::do_not_recommend]
        impl<ST: SqlType> Operand<ST> for $rust
        where
            $rust: NumberBeside<ST::NotNull>,
        {
            type Expr = Bound<<$rust as NumberBeside<ST::NotNull>>::As, $rust>;
            fn into_operand(self) -> Self::Expr {
                Bound::new(self)
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
