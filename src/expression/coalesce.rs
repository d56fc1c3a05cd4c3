//! `COALESCE(a, b)`: `a` unless it is `NULL`, then `b`.

use crate::backend::Backend;
use crate::expression::{AsExpression, Expression, ValidIn};
use crate::query_fragment::Binds;
use crate::query_fragment::QueryFragment;
use crate::sql_text::Part;
use crate::sql_types::{Nullability, SqlType};

/// `COALESCE(first, fallback)`.
#[derive(Debug, Clone, Copy)]
pub struct Coalesce<A, B> {
    first: A,
    fallback: B,
}

/// `COALESCE(first, fallback)`. `fallback` has `first`'s SQL type
/// (nullability aside): an expression or a bound value. The result is
/// nullable exactly when `fallback` is, so
/// `coalesce(users::email, "none")` loads into `String`.
pub fn coalesce<A, B>(first: A, fallback: B) -> Coalesce<A, B::Expr>
where
    A: Expression,
    B: AsExpression<<A::SqlType as SqlType>::NotNull>,
{
    Coalesce {
        first,
        fallback: fallback.as_expression(),
    }
}

impl<A: Expression, B: Expression> Expression for Coalesce<A, B> {
    type SqlType = <<B::SqlType as SqlType>::Nullability as Nullability>::Apply<
        <A::SqlType as SqlType>::NotNull,
    >;
}

/// An outer join makes the result nullable only through `fallback`.
impl<From, A, B, IA, IB> ValidIn<From, (IA, IB)> for Coalesce<A, B>
where
    A: ValidIn<From, IA>,
    B: ValidIn<From, IB>,
{
    type Nullability = B::Nullability;
}

crate::expression::grouping::grouping_from_operands!([A, B,] Coalesce<A, B>; A IA, B IB);

impl<DB, A, B> QueryFragment<DB> for Coalesce<A, B>
where
    DB: Backend,
    A: QueryFragment<DB>,
    B: QueryFragment<DB>,
{
    const FRAG: Part = Part::Seq(&[
        Part::Str("COALESCE("),
        A::FRAG,
        Part::Str(", "),
        B::FRAG,
        Part::Str(")"),
    ]);
    fn collect_binds<'a>(&'a self, out: &mut Binds<'a>) {
        self.first.collect_binds(out);
        self.fallback.collect_binds(out);
    }
}

crate::__impl_arithmetic_ops!([A, B,] Coalesce<A, B>);
