//! What `count()` counts: the rows the query returns.
//!
//! A query with no LIMIT, OFFSET, DISTINCT or GROUP BY counts as
//! `SELECT COUNT(*) FROM ... WHERE ...`. Any of those four changes which
//! rows come back, and `COUNT(*)` next to them would count something else
//! (every row before DISTINCT or LIMIT; one count per group; no row at all
//! after an OFFSET). Such a query is counted from the outside:
//! `SELECT COUNT(*) FROM (SELECT 1 FROM ... LIMIT ?) AS "counted"`, with
//! the selection kept when DISTINCT decides which rows are the same.

use core::marker::PhantomData;

use crate::backend::Backend;
#[cfg(feature = "postgres")]
use crate::pg::DistinctOn;
use crate::query::count::CountStar;
use crate::query::exists::SelectOne;
use crate::query::group_by_clause::{GroupBy, NoGroupBy};
use crate::query::joined_once::{Bit, False, True};
use crate::query::select_statement::Picked;
use crate::query::{
    Distinct, Limit, NoDistinct, NoLimit, NoOffset, NoOrder, NoWhere, Offset, SelectStatement,
    Selected,
};
use crate::query_fragment::{Binds, QueryFragment};
use crate::query_source::SourceSql;
use crate::sql_text::Part;
use crate::sql_types::{BigInt, Integer};

/// Whether a clause leaves the query's rows as its FROM and WHERE give
/// them ([`True`]) or changes which come back ([`False`]).
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a LIMIT, OFFSET, DISTINCT or GROUP BY clause that `count()` knows"
)]
pub trait KeepsRows {
    /// [`True`] or [`False`].
    type Keeps: Bit;
}
impl KeepsRows for NoLimit {
    type Keeps = True;
}
impl KeepsRows for Limit {
    type Keeps = False;
}
impl KeepsRows for NoOffset {
    type Keeps = True;
}
impl KeepsRows for Offset {
    type Keeps = False;
}
impl KeepsRows for NoDistinct {
    type Keeps = True;
}
impl KeepsRows for Distinct {
    type Keeps = False;
}
#[cfg(feature = "postgres")]
impl<E, DB> KeepsRows for DistinctOn<E, DB> {
    type Keeps = False;
}
impl KeepsRows for NoGroupBy {
    type Keeps = True;
}
impl<G, H> KeepsRows for GroupBy<G, H> {
    type Keeps = False;
}

/// Whether LIMIT `L`, OFFSET `Off`, DISTINCT `D` and GROUP BY `G` all keep
/// the rows.
type AllKeep<L, Off, D, G> =
    <<<<L as KeepsRows>::Keeps as Bit>::And<<Off as KeepsRows>::Keeps> as Bit>::And<
        <D as KeepsRows>::Keeps,
    > as Bit>::And<<G as KeepsRows>::Keeps>;

/// A statement that `count()` can count: [`Out`](Self::Out) is the query
/// for the number of its rows.
#[diagnostic::on_unimplemented(message = "`count()` cannot count the rows of `{Self}`")]
pub trait CountRows {
    /// `SELECT COUNT(*) ...`.
    type Out;
    /// The counting query.
    fn count_rows(self) -> Self::Out;
}

impl<F, S, R, W, O, L, Off, D, G> CountRows for SelectStatement<F, S, R, W, O, L, Off, D, G>
where
    L: KeepsRows,
    Off: KeepsRows,
    D: KeepsRows,
    G: KeepsRows,
    Self: CountBy<AllKeep<L, Off, D, G>>,
{
    type Out = <Self as CountBy<AllKeep<L, Off, D, G>>>::Out;
    fn count_rows(self) -> Self::Out {
        self.count_by()
    }
}

/// [`CountRows`] for statements whose clauses keep the rows (`True`) or
/// not (`False`).
#[doc(hidden)]
#[diagnostic::on_unimplemented(message = "`count()` cannot count the rows of `{Self}`")]
pub trait CountBy<Keeps> {
    /// See [`CountRows::Out`].
    type Out;
    /// See [`CountRows::count_rows`].
    fn count_by(self) -> Self::Out;
}

/// The count of a query that is what its FROM and WHERE give.
pub type CountOf<F, W> = SelectStatement<F, Selected<CountStar>, Picked<(), BigInt>, W>;

impl<F, S, R, W, O, L, Off, D, G> CountBy<True> for SelectStatement<F, S, R, W, O, L, Off, D, G> {
    type Out = CountOf<F, W>;
    fn count_by(self) -> Self::Out {
        SelectStatement {
            from: self.from,
            select: Selected(CountStar),
            where_clause: self.where_clause,
            order: NoOrder,
            limit: NoLimit,
            offset: NoOffset,
            distinct: NoDistinct,
            group: NoGroupBy,
            row: PhantomData,
        }
    }
}

impl<F, S, R, W, O, L, Off, D, G> CountBy<False> for SelectStatement<F, S, R, W, O, L, Off, D, G>
where
    D: CountedSelection<S, R>,
{
    type Out =
        CountOf<Counted<SelectStatement<F, D::Select, D::Row, W, NoOrder, L, Off, D, G>>, NoWhere>;
    fn count_by(self) -> Self::Out {
        let inner = SelectStatement {
            from: self.from,
            select: D::select(self.select),
            where_clause: self.where_clause,
            order: NoOrder,
            limit: self.limit,
            offset: self.offset,
            distinct: self.distinct,
            group: self.group,
            row: PhantomData,
        };
        SelectStatement {
            from: Counted(inner),
            select: Selected(CountStar),
            where_clause: NoWhere,
            order: NoOrder,
            limit: NoLimit,
            offset: NoOffset,
            distinct: NoDistinct,
            group: NoGroupBy,
            row: PhantomData,
        }
    }
}

/// What the counted subquery selects: `1`, unless DISTINCT compares the
/// selection, which it then keeps.
#[doc(hidden)]
#[diagnostic::on_unimplemented(message = "`{Self}` is not a DISTINCT clause that `count()` knows")]
pub trait CountedSelection<S, R> {
    /// The subquery's selection.
    type Select;
    /// Its row.
    type Row;
    /// The selection from the query's.
    fn select(selection: S) -> Self::Select;
}
impl<S, R> CountedSelection<S, R> for NoDistinct {
    type Select = Selected<SelectOne>;
    type Row = Picked<(), Integer>;
    fn select(_: S) -> Self::Select {
        Selected(SelectOne)
    }
}
impl<S, R> CountedSelection<S, R> for Distinct {
    type Select = S;
    type Row = R;
    fn select(selection: S) -> S {
        selection
    }
}
#[cfg(feature = "postgres")]
impl<S, R, E, DB> CountedSelection<S, R> for DistinctOn<E, DB> {
    type Select = S;
    type Row = R;
    fn select(selection: S) -> S {
        selection
    }
}

/// A query counted from the outside: `(query) AS "counted"` in FROM.
#[derive(Debug, Clone, Copy)]
pub struct Counted<Q>(Q);

impl<DB: Backend, Q: QueryFragment<DB>> SourceSql<DB> for Counted<Q> {
    const SOURCE: Part = Part::Seq(&[
        Part::Str("("),
        Q::FRAG,
        Part::Str(") AS "),
        Part::Ident("counted"),
    ]);
    fn collect_source_binds<'a>(&'a self, out: &mut Binds<'a>) {
        self.0.collect_binds(out);
    }
}
