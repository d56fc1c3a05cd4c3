//! Correlated subqueries: a subquery whose conditions use columns of the
//! query around it.

use core::marker::PhantomData;

use crate::backend::Backend;
use crate::expression::Correlation;
use crate::query::join::{InLeft, InRight};
use crate::query::{Alias, Join, SelectStatement};
use crate::query_fragment::Binds;
use crate::query_source::{Locate, NoFrom, Position, QuerySource, SourceSql, Table};
use crate::sql_text::Part;
use crate::sql_types::Nullability;

/// Source `S` of a subquery that may also use the columns of table `O` of
/// the query around it. Only `S` is in the subquery's FROM clause.
#[derive(Debug, Clone, Copy)]
pub struct Correlated<S, O> {
    pub(crate) source: S,
    pub(crate) outer: PhantomData<O>,
}

impl<S, O, T, I> Position<T, InLeft<I>> for Correlated<S, O>
where
    S: Position<T, I>,
{
    type Nullability = S::Nullability;
}

impl<S, O, T, I> Position<T, InRight<I>> for Correlated<S, O>
where
    O: Position<T, I>,
{
    type Nullability = O::Nullability;
}

impl<S: QuerySource, O> QuerySource for Correlated<S, O> {
    const DEFAULT_SELECT: Part = S::DEFAULT_SELECT;
    type DefaultRow<N: Nullability> = S::DefaultRow<N>;
}

impl<DB: Backend, S: SourceSql<DB>, O> SourceSql<DB> for Correlated<S, O> {
    const SOURCE: Part = S::SOURCE;
    fn collect_source_binds<'a>(&'a self, out: &mut Binds<'a>) {
        self.source.collect_source_binds(out);
    }
}

/// A FROM clause of a subquery, usable inside a query whose FROM clause is
/// `From`: any plain source; a correlated one needs its outer table there.
#[diagnostic::on_unimplemented(
    message = "this correlated subquery refers to a table that is not in the outer query",
    label = "its outer table must be in the FROM clause `{From}`"
)]
pub trait OuterScope<From, Idx> {}

impl<From, T: Table> OuterScope<From, ()> for T {}
impl<From, N> OuterScope<From, ()> for Alias<N> {}
impl<From> OuterScope<From, ()> for NoFrom {}
impl<From, L, J, K, V, I> OuterScope<From, I> for Join<L, J, K, V> where L: OuterScope<From, I> {}
impl<From, S, O, I> OuterScope<From, (I,)> for Correlated<S, O> where From: Locate<O, I, O> {}

impl<From, I, F, S, Idx, W, Ord, L, Off, D, G> Correlation<From, I>
    for SelectStatement<F, S, Idx, W, Ord, L, Off, D, G>
where
    F: OuterScope<From, I>,
{
}
