//! `EXISTS (subquery)`.
//!
//! A subquery that selects every column (the default selection) is written
//! `EXISTS (SELECT 1 FROM ...)`, without its ORDER BY: whether rows exist
//! does not depend on which columns they have or on their order. A
//! subquery that chose its columns keeps them, since they can change the
//! answer: `SELECT COUNT(*)` without `group_by` returns a row even from no
//! rows. So does one with an OFFSET, where `SELECT DISTINCT` of every
//! column and of `1` can skip different numbers of rows.

use core::marker::PhantomData;

use crate::backend::Backend;
use crate::expression::grouping::{Constant, Grouping};
use crate::expression::{Expression, ValidIn};
use crate::query::set_operation::SetOperation;
use crate::query::with_clause::WithQuery;
use crate::query::{
    DefaultSelect, NoOffset, NoOrder, Offset, Picked, Query, SelectStatement, Selected,
};
use crate::query_fragment::Binds;
use crate::query_fragment::QueryFragment;
use crate::sql_text::Part;
use crate::sql_types::{Bool, Integer, NotNull};

/// `EXISTS (query)`: whether the query returns any row.
#[derive(Debug, Clone)]
pub struct Exists<Q>(Q);

/// `EXISTS (query)`. Load it with [`select`](crate::select):
/// `select(exists(users::table.filter(...))).get_result::<bool>(&mut db)`.
///
/// ```
/// # quarry::table! { posts (id) { id -> Integer, views -> Integer, } }
/// use quarry::prelude::*;
/// let q = select(exists(posts::table.filter(posts::views.gt(100))));
/// assert_eq!(
///     quarry::debug_query::<Sqlite, _>(q).sql(),
///     r#"SELECT EXISTS (SELECT 1 FROM "posts" WHERE "posts"."views" > ?)"#
/// );
/// ```
pub fn exists<Q>(query: Q) -> Exists<<Q::Query as ExistsQuery>::Out>
where
    Q: crate::query::AsQuery,
    Q::Query: ExistsQuery,
{
    Exists(query.as_query().for_exists())
}

/// A query that `exists` and `not_exists` take, and the query they write
/// inside `EXISTS (...)`: the same rows, with `SELECT 1` where the query
/// selects every column.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be used inside `EXISTS`",
    label = "expected a SELECT statement, a set operation or a WITH query"
)]
pub trait ExistsQuery {
    /// The query written inside `EXISTS (...)`.
    type Out;
    /// Turns `self` into it.
    fn for_exists(self) -> Self::Out;
}

/// Every column, no OFFSET: `SELECT 1`, no ORDER BY.
impl<F, Idx, W, O, L, D, G> ExistsQuery
    for SelectStatement<F, DefaultSelect, Idx, W, O, L, NoOffset, D, G>
{
    type Out =
        SelectStatement<F, Selected<SelectOne>, Picked<(), Integer>, W, NoOrder, L, NoOffset, D, G>;
    fn for_exists(self) -> Self::Out {
        SelectStatement {
            from: self.from,
            select: Selected(SelectOne),
            where_clause: self.where_clause,
            order: NoOrder,
            limit: self.limit,
            offset: NoOffset,
            distinct: self.distinct,
            group: self.group,
            row: PhantomData,
        }
    }
}

/// Every column and an OFFSET: as written (see the module documentation).
impl<F, Idx, W, O, L, D, G> ExistsQuery
    for SelectStatement<F, DefaultSelect, Idx, W, O, L, Offset, D, G>
{
    type Out = Self;
    fn for_exists(self) -> Self {
        self
    }
}

/// Chosen columns: as written.
impl<F, S, Idx, W, O, L, Off, D, G> ExistsQuery
    for SelectStatement<F, Selected<S>, Idx, W, O, L, Off, D, G>
{
    type Out = Self;
    fn for_exists(self) -> Self {
        self
    }
}

impl<L, R, Op> ExistsQuery for SetOperation<L, R, Op> {
    type Out = Self;
    fn for_exists(self) -> Self {
        self
    }
}

impl<T, Q, M, const RECURSIVE: bool> ExistsQuery for WithQuery<T, Q, M, RECURSIVE> {
    type Out = Self;
    fn for_exists(self) -> Self {
        self
    }
}

impl<S, M, W, DB> ExistsQuery for crate::pg::Locked<S, M, DB, W> {
    type Out = Self;
    fn for_exists(self) -> Self {
        self
    }
}

/// The constant `1`: what `EXISTS (SELECT 1 ...)` selects.
#[derive(Debug, Clone, Copy, Default)]
pub struct SelectOne;

impl Expression for SelectOne {
    type SqlType = Integer;
}

impl<From> ValidIn<From, ()> for SelectOne {
    type Nullability = NotNull;
}

impl<M> Grouping<M, ()> for SelectOne {
    type Kind = Constant;
}

impl<DB: Backend> QueryFragment<DB> for SelectOne {
    const FRAG: Part = Part::Str("1");
    fn collect_binds<'a>(&'a self, _out: &mut Binds<'a>) {}
}

impl<Q: Query> Expression for Exists<Q> {
    type SqlType = Bool;
}

/// An uncorrelated subquery may appear in any query; a correlated one
/// where its outer table is.
impl<From, I, Q: crate::expression::Correlation<From, I>> ValidIn<From, (I,)> for Exists<Q> {
    type Nullability = NotNull;
}

/// An uncorrelated subquery is the same for every row.
impl<M, Q> crate::expression::grouping::Grouping<M, ((),)> for Exists<Q> {
    type Kind = crate::expression::grouping::Constant;
}

impl<DB: Backend, Q: QueryFragment<DB>> QueryFragment<DB> for Exists<Q> {
    const FRAG: Part = Part::Seq(&[Part::Str("EXISTS "), Part::Paren(&Q::FRAG)]);
    fn collect_binds<'a>(&'a self, out: &mut Binds<'a>) {
        self.0.collect_binds(out);
    }
}

// A Boolean: arithmetic on it is an error naming it.
crate::__impl_arithmetic_ops!([Q,] Exists<Q>);
