//! `UNION`, `UNION ALL`, `INTERSECT` and `EXCEPT`.

use core::marker::PhantomData;

use crate::backend::Backend;
use crate::expression::Correlation;
use crate::query::{AsQuery, Query};
use crate::query_fragment::Binds;
use crate::query_fragment::QueryFragment;
use crate::sql_text::Part;

/// A set operator.
#[diagnostic::on_unimplemented(message = "`{Self}` is not a set operator")]
pub trait SetOperator {
    /// The keyword(s), with spaces around them.
    const SQL: &'static str;
}

macro_rules! set_operators {
    ($($(#[$doc:meta])* $name:ident = $sql:literal;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default)]
        pub struct $name;
        impl SetOperator for $name {
            const SQL: &'static str = $sql;
        }
    )*};
}

set_operators! {
    /// `UNION`: rows of either side, without duplicates.
    Union = " UNION ";
    /// `UNION ALL`: rows of both sides.
    UnionAll = " UNION ALL ";
    /// `INTERSECT`: rows on both sides.
    Intersect = " INTERSECT ";
    /// `EXCEPT`: rows of the left side that are not on the right.
    Except = " EXCEPT ";
}

/// `left OP right`. Chains read left to right on both backends: PostgreSQL
/// gets each side in parentheses (its `INTERSECT` binds tighter otherwise),
/// SQLite, which allows no parentheses there, evaluates left to right.
#[derive(Debug, Clone)]
#[must_use = "a query does nothing until it is loaded or executed"]
pub struct SetOperation<L, R, Op> {
    left: L,
    right: R,
    op: PhantomData<Op>,
}

/// Two queries whose rows have the same SQL type.
#[diagnostic::on_unimplemented(
    message = "both sides of a set operation must return the same row type",
    label = "this side returns `{Self}`, the other side `{Other}`"
)]
pub trait SameRowType<Other> {}
impl<T> SameRowType<T> for T {}

impl<L: Query, R, Op> Query for SetOperation<L, R, Op> {
    type SqlType = L::SqlType;
}

impl<L, R, Op> AsQuery for SetOperation<L, R, Op> {
    type Query = Self;
    fn as_query(self) -> Self {
        self
    }
}

impl<From, L, R, Op> Correlation<From, ()> for SetOperation<L, R, Op> {}

impl<DB, L, R, Op> QueryFragment<DB> for SetOperation<L, R, Op>
where
    DB: Backend,
    L: QueryFragment<DB>,
    R: QueryFragment<DB>,
    Op: SetOperator,
{
    const FRAG: Part = Part::Seq(&[
        Part::ByDialect(&[L::FRAG, Part::Paren(&L::FRAG), Part::Paren(&L::FRAG)]),
        Part::Str(Op::SQL),
        Part::ByDialect(&[R::FRAG, Part::Paren(&R::FRAG), Part::Paren(&R::FRAG)]),
    ]);
    fn collect_binds<'a>(&'a self, out: &mut Binds<'a>) {
        self.left.collect_binds(out);
        self.right.collect_binds(out);
    }
}

/// `union`, `union_all`, `intersect`, `except` on any query.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a query that can be combined with `union` and the like"
)]
pub trait SetOperationDsl: AsQuery + Sized {
    /// `self UNION other`: rows of either, without duplicates.
    fn union<R>(self, other: R) -> SetOperation<Self::Query, R::Query, Union>
    where
        R: AsQuery,
        Self::Query: Query,
        R::Query: Query,
        <R::Query as Query>::SqlType: SameRowType<<Self::Query as Query>::SqlType>,
    {
        combine(self, other)
    }

    /// `self UNION ALL other`: rows of both.
    fn union_all<R>(self, other: R) -> SetOperation<Self::Query, R::Query, UnionAll>
    where
        R: AsQuery,
        Self::Query: Query,
        R::Query: Query,
        <R::Query as Query>::SqlType: SameRowType<<Self::Query as Query>::SqlType>,
    {
        combine(self, other)
    }

    /// `self INTERSECT other`: rows in both.
    fn intersect<R>(self, other: R) -> SetOperation<Self::Query, R::Query, Intersect>
    where
        R: AsQuery,
        Self::Query: Query,
        R::Query: Query,
        <R::Query as Query>::SqlType: SameRowType<<Self::Query as Query>::SqlType>,
    {
        combine(self, other)
    }

    /// `self EXCEPT other`: rows of `self` not in `other`.
    fn except<R>(self, other: R) -> SetOperation<Self::Query, R::Query, Except>
    where
        R: AsQuery,
        Self::Query: Query,
        R::Query: Query,
        <R::Query as Query>::SqlType: SameRowType<<Self::Query as Query>::SqlType>,
    {
        combine(self, other)
    }
}

impl<Q: AsQuery> SetOperationDsl for Q {}

fn combine<L: AsQuery, R: AsQuery, Op>(left: L, right: R) -> SetOperation<L::Query, R::Query, Op> {
    SetOperation {
        left: left.as_query(),
        right: right.as_query(),
        op: PhantomData,
    }
}
