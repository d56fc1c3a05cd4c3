//! `SELECT ... FROM ... WHERE ... ORDER BY ... LIMIT ... OFFSET ...`

use core::marker::PhantomData;

use crate::backend::Backend;
use crate::query::limit_clause::LimitOffset;
use crate::query::select_clause::Selection;
use crate::query::{NoDistinct, NoLimit, NoOffset, NoOrder, NoWhere};
use crate::query_fragment::QueryFragment;
use crate::query_source::NoFrom;
use crate::sql_text::Part;
use quarry_runtime::Value;

/// A query that returns rows of SQL type `SqlType`.
#[diagnostic::on_unimplemented(message = "`{Self}` is not a query that returns rows")]
pub trait Query {
    /// The SQL type of one row: a SQL type, or a tuple of them.
    type SqlType;
}

/// A SELECT statement. Each type parameter is one clause, so the statement's
/// SQL text is known from its type alone.
///
/// `Idx` is where the selection's columns sit in the FROM clause, inferred
/// when `select` checked it; the row's SQL type follows from it.
#[derive(Debug, Clone)]
#[must_use = "a query does nothing until it is loaded or executed"]
pub struct SelectStatement<
    From,
    Select,
    ST,
    Where = NoWhere,
    Order = NoOrder,
    Limit = NoLimit,
    Offset = NoOffset,
    Distinct = NoDistinct,
> {
    pub(crate) from: From,
    pub(crate) select: Select,
    pub(crate) where_clause: Where,
    pub(crate) order: Order,
    pub(crate) limit: Limit,
    pub(crate) offset: Offset,
    pub(crate) distinct: Distinct,
    pub(crate) row: PhantomData<ST>,
}

impl<F, S, Idx, W, O, L, Off, D> Query for SelectStatement<F, S, Idx, W, O, L, Off, D>
where
    S: Selection<F, Idx>,
{
    type SqlType = S::SqlType;
}

impl<DB, F, S, ST, W, O, L, Off, D> QueryFragment<DB> for SelectStatement<F, S, ST, W, O, L, Off, D>
where
    DB: Backend,
    F: FromClause<DB>,
    S: QueryFragment<DB>,
    W: QueryFragment<DB>,
    O: QueryFragment<DB>,
    (L, Off): LimitOffset,
    D: QueryFragment<DB>,
    L: Copy,
    Off: Copy,
{
    const FRAG: Part = Part::Seq(&[
        Part::Str("SELECT "),
        D::FRAG,
        S::FRAG,
        F::FROM,
        W::FRAG,
        O::FRAG,
        <(L, Off) as LimitOffset>::FRAG,
    ]);
    fn collect_binds<'a>(&'a self, out: &mut Vec<Value<'a>>) {
        self.select.collect_binds(out);
        self.from.collect_from_binds(out);
        self.where_clause.collect_binds(out);
        self.order.collect_binds(out);
        LimitOffset::collect_binds(&(self.limit, self.offset), out);
    }
}

/// What may follow `SELECT ...`: ` FROM` and a table or join, or nothing.
#[diagnostic::on_unimplemented(message = "`{Self}` cannot be used in a FROM clause")]
pub trait FromClause<DB: Backend> {
    /// ` FROM ...`, with its leading space, or nothing.
    const FROM: Part;
    /// The binds of the FROM clause (join conditions).
    fn collect_from_binds<'a>(&'a self, out: &mut Vec<Value<'a>>);
}

impl<DB: Backend> FromClause<DB> for NoFrom {
    const FROM: Part = Part::Str("");
    fn collect_from_binds<'a>(&'a self, _out: &mut Vec<Value<'a>>) {}
}

impl<DB: Backend, T: crate::query_source::Table> FromClause<DB> for T {
    const FROM: Part = Part::Seq(&[Part::Str(" FROM "), Part::Ident(T::NAME)]);
    fn collect_from_binds<'a>(&'a self, _out: &mut Vec<Value<'a>>) {}
}

/// `SELECT expr` without a FROM clause, as in `select(exists(...))`.
pub fn select<S>(selection: S) -> SelectStatement<NoFrom, S, ()>
where
    S: Selection<NoFrom, ()>,
{
    SelectStatement {
        from: NoFrom,
        select: selection,
        where_clause: NoWhere,
        order: NoOrder,
        limit: NoLimit,
        offset: NoOffset,
        distinct: NoDistinct,
        row: PhantomData,
    }
}
