//! `CAST(expr AS type)`, with each dialect's name for the type.
//!
//! | SQL type | SQLite | PostgreSQL |
//! |---|---|---|
//! | `SmallInt` | `INTEGER` | `SMALLINT` |
//! | `Integer` | `INTEGER` | `INTEGER` |
//! | `BigInt` | `INTEGER` | `BIGINT` |
//! | `Float` | `REAL` | `REAL` |
//! | `Double` | `REAL` | `DOUBLE PRECISION` |
//! | `Numeric` | `NUMERIC` | `NUMERIC` |
//! | `Text` | `TEXT` | `TEXT` |
//! | `Binary` | `BLOB` | `BYTEA` |
//!
//! The type name is SQL text chosen by the type, never a value.

use core::marker::PhantomData;

use crate::expression::Expression;
use crate::expression::sql_function::{Call, UnaryFunction};
use crate::sql_types::{self as st, SqlType};

/// A SQL type that `CAST` can produce, with its name per dialect.
///
/// This is what makes `cast::<Nullable<Text>>(x)` (nullability follows the
/// argument) and a cast to a type without a portable name fail to compile.
#[diagnostic::on_unimplemented(
    message = "`CAST` to `{Self}` is not supported",
    note = "cast to a non-null numeric, text or binary SQL type; the result is nullable when the argument is"
)]
pub trait CastTarget: SqlType {
    /// `" AS TYPE)"` per dialect (SQLite, PostgreSQL, MariaDB/MySQL).
    const AS: [&'static str; 3];
}

macro_rules! cast_targets {
    ($($ty:ident: $sqlite:literal, $pg:literal, $mysql:literal;)*) => {$(
        impl CastTarget for st::$ty {
            const AS: [&'static str; 3] = [
                concat!(" AS ", $sqlite, ")"),
                concat!(" AS ", $pg, ")"),
                concat!(" AS ", $mysql, ")"),
            ];
        }
    )*};
}

cast_targets! {
    SmallInt: "INTEGER", "SMALLINT", "SIGNED";
    Integer: "INTEGER", "INTEGER", "SIGNED";
    BigInt: "INTEGER", "BIGINT", "SIGNED";
    Float: "REAL", "REAL", "FLOAT";
    Double: "REAL", "DOUBLE PRECISION", "DOUBLE";
    // MariaDB's `DECIMAL` alone is `DECIMAL(10,0)`, which would round.
    Numeric: "NUMERIC", "NUMERIC", "DECIMAL(65,30)";
    Text: "TEXT", "TEXT", "CHAR";
    Binary: "BLOB", "BYTEA", "BINARY";
}

/// The function of [`cast`]: `CAST(... AS T)`.
#[derive(Debug, Clone, Copy)]
pub struct CastTo<T>(PhantomData<T>);

impl<ST: SqlType, T: CastTarget> UnaryFunction<ST> for CastTo<T> {
    type Output = T;
    const OPEN: [&'static str; 3] = ["CAST(", "CAST(", "CAST("];
    const CLOSE: [&'static str; 3] = T::AS;
}

/// `CAST(expr AS T)`: `cast::<Text>(posts::views)`. Nullable when `expr` is.
pub fn cast<T: CastTarget, E: Expression>(expr: E) -> Call<CastTo<T>, E> {
    Call::new(expr)
}

/// `expr.cast::<T>()`, the method form of [`cast`].
#[diagnostic::on_unimplemented(message = "`cast` needs a SQL expression, and `{Self}` is not one")]
pub trait CastExpressionMethods: Expression + Sized {
    /// `CAST(self AS T)`.
    fn cast<T: CastTarget>(self) -> Call<CastTo<T>, Self> {
        Call::new(self)
    }
}

impl<E: Expression> CastExpressionMethods for E {}
