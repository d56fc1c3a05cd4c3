//! SQL function calls: the one-argument node [`Call`] behind the built-in
//! functions (`lower`, `year`, `CAST`, ...), and [`sql_function!`](crate::sql_function) to
//! declare further functions with their argument and result types.
//!
//! Functions are taken as SQL's usual *strict* functions: a `NULL`
//! argument gives `NULL`, so the result is nullable when an argument is.
//! Declare the result `Nullable<...>` for a function that can return `NULL`
//! from non-null arguments.

use core::marker::PhantomData;

use crate::backend::Backend;
use crate::expression::{Expression, ValidIn};
use crate::query_fragment::Binds;
use crate::query_fragment::QueryFragment;
use crate::sql_text::Part;
use crate::sql_types::{Nullability, SqlType};

/// A function of one argument of SQL type `ST`: its text around the
/// argument per dialect, and its result type.
#[diagnostic::on_unimplemented(
    message = "this SQL function does not take an argument of SQL type `{ST}`",
    label = "wrong argument type"
)]
pub trait UnaryFunction<ST: SqlType> {
    /// The result's SQL type for a non-null argument; `NULL` in gives
    /// `NULL` out.
    type Output: SqlType;
    /// The SQL before the argument, per dialect (SQLite, PostgreSQL,
    /// MariaDB/MySQL).
    const OPEN: [&'static str; 3];
    /// The SQL after the argument, per dialect.
    const CLOSE: [&'static str; 3];
}

/// `F(expr)`: a one-argument function call.
#[derive(Debug, Clone, Copy)]
pub struct Call<F, E> {
    pub(crate) expr: E,
    pub(crate) function: PhantomData<F>,
}

impl<F, E> Call<F, E> {
    pub(crate) fn new(expr: E) -> Self {
        Call {
            expr,
            function: PhantomData,
        }
    }
}

impl<F, E> Expression for Call<F, E>
where
    E: Expression,
    F: UnaryFunction<E::SqlType>,
{
    type SqlType = <<E::SqlType as SqlType>::Nullability as Nullability>::Apply<
        <F::Output as SqlType>::NotNull,
    >;
}

impl<From, I, F, E: ValidIn<From, I>> ValidIn<From, I> for Call<F, E> {
    type Nullability = E::Nullability;
}

crate::expression::grouping::grouping_from_operands!([F, E,] Call<F, E>; E IE);

impl<DB, F, E> QueryFragment<DB> for Call<F, E>
where
    DB: Backend,
    E: QueryFragment<DB> + Expression,
    F: UnaryFunction<E::SqlType>,
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

crate::__impl_arithmetic_ops!([F, E,] Call<F, E>);
