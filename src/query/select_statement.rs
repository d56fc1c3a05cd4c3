//! `SELECT ... FROM ... WHERE ... ORDER BY ... LIMIT ... OFFSET ...`

use core::marker::PhantomData;

use crate::backend::Backend;
use crate::query::group_by_clause::NoGroupBy;
use crate::query::limit_clause::LimitOffset;
use crate::query::select_clause::Selection;
use crate::query::select_clause::{OtherSelection, SelectKind, SelectionBy};
use crate::query::{NoDistinct, NoLimit, NoOffset, NoOrder, NoWhere};
use crate::query_fragment::Binds;
use crate::query_fragment::QueryFragment;
use crate::query_source::{NoFrom, QuerySource, SourceSql};
use crate::sql_text::Part;
use crate::sql_types::NotNull;

/// A query that returns rows of SQL type `SqlType`.
#[diagnostic::on_unimplemented(message = "`{Self}` is not a query that returns rows")]
pub trait Query {
    /// The SQL type of one row: a SQL type, or a tuple of them.
    type SqlType;
}

/// A SELECT statement. Each type parameter is one clause, so the statement's
/// SQL text is known from its type alone.
///
/// `ST` is the statement's row: `()` for the default selection, whose rows
/// follow from the FROM clause, and [`Picked<Idx, SqlType>`](Picked) for a
/// selection chosen with `select`.
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
    Group = NoGroupBy,
> {
    pub(crate) from: From,
    pub(crate) select: Select,
    pub(crate) where_clause: Where,
    pub(crate) order: Order,
    pub(crate) limit: Limit,
    pub(crate) offset: Offset,
    pub(crate) distinct: Distinct,
    pub(crate) group: Group,
    pub(crate) row: PhantomData<ST>,
}

impl<F, S, Idx, W, O, L, Off, D, G> Query for SelectStatement<F, S, Idx, W, O, L, Off, D, G>
where
    S: Selection<F, Idx> + SelectsUnder<G>,
{
    type SqlType = S::SqlType;
}

impl<DB, F, S, ST, W, O, L, Off, D, G> QueryFragment<DB>
    for SelectStatement<F, S, ST, W, O, L, Off, D, G>
where
    DB: Backend,
    F: SourceSql<DB>,
    S: SelectList<F, DB>,
    W: QueryFragment<DB>,
    O: QueryFragment<DB>,
    (L, Off): LimitOffset,
    D: QueryFragment<DB>,
    G: QueryFragment<DB>,
    L: Copy,
    Off: Copy,
{
    const FRAG: Part = Part::Seq(&[
        Part::Str("SELECT "),
        D::FRAG,
        <S as SelectList<F, DB>>::FRAG,
        F::FROM,
        W::FRAG,
        G::FRAG,
        O::FRAG,
        <(L, Off) as LimitOffset>::FRAG,
    ]);
    fn collect_binds<'a>(&'a self, out: &mut Binds<'a>) {
        // `DISTINCT ON (exprs)` comes first.
        self.distinct.collect_binds(out);
        self.select.collect_select_binds(out);
        self.from.collect_source_binds(out);
        self.where_clause.collect_binds(out);
        self.group.collect_binds(out);
        self.order.collect_binds(out);
        LimitOffset::collect_binds(&(self.limit, self.offset), out);
    }
}

impl<DB: Backend> SourceSql<DB> for NoFrom {
    const SOURCE: Part = Part::Str("");
    const FROM: Part = Part::Str("");
    fn collect_source_binds<'a>(&'a self, _out: &mut Binds<'a>) {}
}

/// What the statement lists after `SELECT`: its selection, or for
/// [`DefaultSelect`] every column of the FROM clause `F`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be written as the select list of this query for {DB}"
)]
pub trait SelectList<F, DB: Backend> {
    /// The list's SQL.
    const FRAG: Part;
    /// The list's binds.
    fn collect_select_binds<'a>(&'a self, out: &mut Binds<'a>);
}

/// A selection the query chose itself with `select`.
#[derive(Debug, Clone, Copy)]
pub struct Selected<S>(pub(crate) S);

impl<F, DB: Backend, S: QueryFragment<DB>> SelectList<F, DB> for Selected<S> {
    const FRAG: Part = S::FRAG;
    fn collect_select_binds<'a>(&'a self, out: &mut Binds<'a>) {
        self.0.collect_binds(out);
    }
}

impl<S> SelectKind for Selected<S> {
    type Kind = OtherSelection;
}
// The row type was computed when `select` (or a join after it) checked the
// selection; it is not proved again here, so a wrong selection is one error
// at `select`, not one more wherever the statement is run.
impl<F, I, ST, S> SelectionBy<OtherSelection, F, Picked<I, ST>> for Selected<S> {
    type SqlType = ST;
}

/// The row of a statement whose selection was chosen with `select`: where
/// the selection's columns sit in the FROM clause (`Idx`, inferred when
/// `select` checked it) and the SQL type of its rows there (`SqlType`).
///
/// Carrying the row type means that running the statement does not prove
/// the selection again: when `select` was given a column the query cannot
/// read, the row type is never found, rustc reports nothing more about it,
/// and the mistake is one error, at `select`. A join after `select` computes both anew
/// ([`Reselect`](crate::query::join::Reselect)).
pub struct Picked<Idx, SqlType>(PhantomData<(Idx, SqlType)>);

// By hand: a marker is `Clone`, `Copy` and `Debug` whatever its SQL types
// are, as the statement that holds it must be.
impl<Idx, SqlType> Clone for Picked<Idx, SqlType> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<Idx, SqlType> Copy for Picked<Idx, SqlType> {}
impl<Idx, SqlType> core::fmt::Debug for Picked<Idx, SqlType> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Picked")
    }
}

/// The selection of a query that selected nothing itself: every column of
/// the FROM clause, one group per table. After an outer join, the optional
/// side's group loads as `Option<_>`.
#[derive(Debug, Clone, Copy, Default)]
pub struct DefaultSelect;

/// A grouped query names its columns: the default selection of every column
/// would select ungrouped ones.
#[diagnostic::on_unimplemented(
    message = "a query with `group_by` must choose its columns with `select`",
    label = "this query selects every column by default"
)]
pub trait SelectsUnder<G> {}
impl SelectsUnder<NoGroupBy> for DefaultSelect {}
impl<S, G> SelectsUnder<G> for Selected<S> {}

impl SelectKind for DefaultSelect {
    type Kind = OtherSelection;
}
impl<F: QuerySource> SelectionBy<OtherSelection, F, ()> for DefaultSelect {
    type SqlType = F::DefaultRow<NotNull>;
}

impl<F: QuerySource, DB: Backend> SelectList<F, DB> for DefaultSelect {
    const FRAG: Part = F::DEFAULT_SELECT;
    fn collect_select_binds<'a>(&'a self, _out: &mut Binds<'a>) {}
}

/// `SELECT expr` without a FROM clause, as in `select(exists(...))`.
pub fn select<S, I, ST>(selection: S) -> SelectStatement<NoFrom, Selected<S>, Picked<I, ST>>
where
    S: Selection<NoFrom, I, SqlType = ST>,
{
    SelectStatement {
        from: NoFrom,
        select: Selected(selection),
        where_clause: NoWhere,
        order: NoOrder,
        limit: NoLimit,
        offset: NoOffset,
        distinct: NoDistinct,
        group: NoGroupBy,
        row: PhantomData,
    }
}
