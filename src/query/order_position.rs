//! `ORDER BY 2`: ordering by a selected column's position.
//!
//! `selected::<N>()` is the selection's field `.N`, counted from 0 like a
//! tuple's fields, so `select((users::name, count_star()))` orders by its
//! count with `selected::<1>()`, written `ORDER BY 2` on every backend.
//! Whether field `N` exists is checked against the query's row type, when
//! the term is added (`order`, `then_order_by`) and again when `select`
//! replaces the selection, so a query never orders by a column it does not
//! have. The fields up to `N` must be single columns: a nested tuple or a
//! `table::star` stands for several SQL columns, and the count would no
//! longer be the SQL position.

use core::marker::PhantomData;

use crate::backend::Backend;
use crate::expression::grouping::{Constant, Grouping};
use crate::expression::{Asc, Desc, Expression, KeyedBy};
use crate::query::label::{Label, Labelled, SelectsLabel};
use crate::query::{DefaultSelect, NoOrder, OrderBy, Selected};
use crate::query_fragment::Binds;
use crate::query_fragment::QueryFragment;
use crate::sql_text::Part;
use crate::sql_types::SqlType;

/// The selected column `.N`, as an ORDER BY term: `ORDER BY N+1`. Make one
/// with [`selected`]; `D` is its direction.
#[derive(Debug, Clone, Copy, Default)]
pub struct SelectedColumn<const N: usize, D = Unspecified> {
    direction: PhantomData<D>,
}

/// Orders by the selected column `.N` (counted from 0, like a tuple's
/// fields), written as its position: `ORDER BY 2` for `selected::<1>()`.
/// The query must select a column `.N`, or it does not compile.
///
/// ```
/// use quarry::prelude::*;
/// use quarry::expression::count_star;
/// use quarry::query::selected;
/// quarry::table! { posts (id) { id -> Integer, author_id -> Integer, } }
/// let q = posts::table
///     .group_by(posts::author_id)
///     .select((posts::author_id, count_star()))
///     .order((selected::<1>().desc(), posts::author_id));
/// assert_eq!(
///     quarry::debug_query::<Pg, _>(q).sql(),
///     r#"SELECT "posts"."author_id", COUNT(*) FROM "posts" GROUP BY "posts"."author_id" ORDER BY 2 DESC, "posts"."author_id""#
/// );
/// ```
#[doc(alias = "order by position")]
pub fn selected<const N: usize>() -> SelectedColumn<N> {
    SelectedColumn {
        direction: PhantomData,
    }
}

impl<const N: usize> SelectedColumn<N, Unspecified> {
    /// `ORDER BY N+1 ASC`.
    pub fn asc(self) -> SelectedColumn<N, Ascending> {
        SelectedColumn {
            direction: PhantomData,
        }
    }

    /// `ORDER BY N+1 DESC`.
    pub fn desc(self) -> SelectedColumn<N, Descending> {
        SelectedColumn {
            direction: PhantomData,
        }
    }
}

/// The direction of a [`SelectedColumn`].
#[diagnostic::on_unimplemented(message = "`{Self}` is not a sort direction")]
pub trait SortDirection {
    /// The keyword, with a space before it, or nothing.
    const SQL: &'static str;
}

/// No direction written: the database's default, ascending.
#[derive(Debug, Clone, Copy, Default)]
pub struct Unspecified;
/// `ASC`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Ascending;
/// `DESC`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Descending;

impl SortDirection for Unspecified {
    const SQL: &'static str = "";
}
impl SortDirection for Ascending {
    const SQL: &'static str = " ASC";
}
impl SortDirection for Descending {
    const SQL: &'static str = " DESC";
}

/// The position is checked against the selection by [`OrderFits`], not
/// against the FROM clause.
impl<From, const N: usize, D> KeyedBy<ByPosition, From, (), Self> for SelectedColumn<N, D> {
    #[inline]
    fn keyed_by(self) -> Self {
        self
    }
}

/// The selected expression was checked by `select` (and `group_by`).
impl<M, const N: usize, D> Grouping<M, ()> for SelectedColumn<N, D> {
    type Kind = Constant;
}

/// The SQL positions of the 16 fields a flat selection can have.
const POSITIONS: [&str; 16] = [
    "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16",
];

impl<DB: Backend, const N: usize, D: SortDirection> QueryFragment<DB> for SelectedColumn<N, D> {
    const FRAG: Part = Part::Seq(&[Part::Str(POSITIONS[N]), Part::Str(D::SQL)]);
    fn collect_binds<'a>(&'a self, _out: &mut Binds<'a>) {}
}

/// Rows of SQL type `Self` (or the selection `Selected<S>`) have a single
/// column at field `.N`, and single columns before it: what
/// `selected::<N>()` orders by.
///
/// This is what makes `users::table.select((users::id, users::name))
/// .order(selected::<2>())` fail to compile.
#[diagnostic::on_unimplemented(
    message = "this query has no selected column `.{N}` to order by",
    label = "its rows are `{Self}`",
    note = "`selected::<N>()` counts the selection's columns from 0, like a tuple's fields"
)]
pub trait HasColumnAt<const N: usize> {}

#[diagnostic::do_not_recommend]
impl<T: SqlType> HasColumnAt<0> for T {}

/// A selection of one expression, when `select` replaces the selection of
/// an ordered query (checked by shape, before its columns are checked
/// against the FROM clause, so that a wrong column is one error).
#[diagnostic::do_not_recommend]
impl<E: OneColumn> HasColumnAt<0> for Selected<E> {}

/// What a selection's field must be for its position to be counted: one
/// SQL column, an expression or a named one (`expr.as_(name)`).
#[doc(hidden)]
#[diagnostic::on_unimplemented(message = "`{Self}` is not a single selected column")]
pub trait OneColumn {}
impl<E: Expression> OneColumn for E {}
impl<E: Expression, N> OneColumn for Labelled<E, N> {}

macro_rules! column_at {
    (@arity [$($all:ident)+]; [$($done:ident)*]; $n:tt $next:ident $($rest_n:tt $rest:ident)*) => {
        #[diagnostic::do_not_recommend]
        impl<$($all),+> HasColumnAt<$n> for ($($all,)+)
        where
            $($done: SqlType,)*
            $next: SqlType,
        {
        }
        #[diagnostic::do_not_recommend]
        impl<$($all),+> HasColumnAt<$n> for Selected<($($all,)+)>
        where
            $($done: OneColumn,)*
            $next: OneColumn,
        {
        }
        column_at!(@arity [$($all)+]; [$($done)* $next]; $($rest_n $rest)*);
    };
    (@arity [$($all:ident)+]; [$($done:ident)*];) => {};
    ($($n:tt $T:ident),+) => {
        column_at!(@step [] $($n $T),+);
    };
    (@step [$($dn:tt $dT:ident)*] $n:tt $T:ident $(, $($rest:tt)*)?) => {
        column_at!(@arity [$($dT)* $T]; []; $($dn $dT)* $n $T);
        column_at!(@step [$($dn $dT)* $n $T] $($($rest)*)?);
    };
    (@step [$($done:tt)*]) => {};
}

column_at!(
    0 A0, 1 A1, 2 A2, 3 A3, 4 A4, 5 A5, 6 A6, 7 A7, 8 A8, 9 A9, 10 A10, 11 A11, 12 A12, 13 A13,
    14 A14, 15 A15
);

/// Order terms that fit the selection `Row` (`Selected<S>`, or the SQL row
/// type a query selects by default): expressions always, [`selected`]
/// positions that the rows have, and names ([`Label`]) that the selection
/// has. `K` is inferred.
#[diagnostic::on_unimplemented(
    message = "`{Self}` orders by a column that this query does not select",
    label = "this query selects `{Row}`",
    note = "`selected::<N>()` counts the selected columns from 0, like a tuple's fields"
)]
pub trait OrderFits<Row, K> {}

/// `K` of an expression.
pub struct ByExpression;
/// `K` of `expr.asc()` and `expr.desc()`.
pub struct ByDirection;
/// `K` of a selected position.
pub struct ByPosition;

// One blanket impl: a term is first classed by its type alone
// ([`OrderTermKind`]), so only one [`OrderFitsBy`] impl applies and rustc
// blames what fails inside it (a position the rows lack, a name the
// selection lacks) with that trait's own message.
impl<Row, T, K> OrderFits<Row, K> for T where T: OrderTermKind + OrderFitsBy<T::Kind, Row, K> {}

/// What kind of order term `Self` is, by its type alone.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot order a query",
    note = "`order` takes an expression, `expr.asc()`, `expr.desc()`, `selected::<N>()`, a name from `quarry::label!`, or a tuple of those"
)]
pub trait OrderTermKind {
    /// `ByExpression`, `ByDirection`, `ByPosition`, `NamedTerm` or `TermTuple`.
    type Kind;
}
/// [`OrderTermKind`] of a name.
#[doc(hidden)]
pub struct NamedTerm;
/// [`OrderTermKind`] of a tuple of terms.
#[doc(hidden)]
pub struct TermTuple;

impl<E: Expression> OrderTermKind for E {
    type Kind = ByExpression;
}
impl<E> OrderTermKind for Asc<E> {
    type Kind = ByDirection;
}
impl<E> OrderTermKind for Desc<E> {
    type Kind = ByDirection;
}
impl<const N: usize, D> OrderTermKind for SelectedColumn<N, D> {
    type Kind = ByPosition;
}
impl<N, D> OrderTermKind for Label<N, D> {
    type Kind = NamedTerm;
}

/// [`OrderFits`] for terms of kind `Kind`.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` orders by a column that this query does not select",
    label = "this query selects `{Row}`"
)]
pub trait OrderFitsBy<Kind, Row, K> {}

impl<Row, E: Expression> OrderFitsBy<ByExpression, Row, ByExpression> for E {}
impl<Row, E> OrderFitsBy<ByDirection, Row, ByDirection> for Asc<E> {}
impl<Row, E> OrderFitsBy<ByDirection, Row, ByDirection> for Desc<E> {}
impl<Row: HasColumnAt<N>, const N: usize, D> OrderFitsBy<ByPosition, Row, ByPosition>
    for SelectedColumn<N, D>
{
}
impl<Row: SelectsLabel<N, I>, N, D, I> OrderFitsBy<NamedTerm, Row, ByLabel<I>> for Label<N, D> {}

/// `K` of a selected expression's name, found at `I` in the selection.
pub struct ByLabel<I>(PhantomData<I>);

/// What `order` checks its terms against: the query's selection
/// `Selected<S>` (so that a position counts its fields and a name is
/// looked up in it), or the rows of SQL type `Row` that a query selects by
/// default.
#[doc(hidden)]
#[diagnostic::on_unimplemented(message = "`{Self}` is not the selection of a query")]
pub trait OrderedAgainst<Row> {
    /// `Selected<S>`, or `Row`.
    type Rows;
}
impl<Row> OrderedAgainst<Row> for DefaultSelect {
    type Rows = Row;
}
impl<Row, S> OrderedAgainst<Row> for Selected<S> {
    type Rows = Selected<S>;
}

// An order term as `order` keeps it (knowing whether it can be NULL) is
// checked as the term itself.
impl<T: OrderTermKind, N> OrderTermKind for crate::expression::Keyed<T, N> {
    type Kind = T::Kind;
}
impl<Kind, Row, K, T: OrderFitsBy<Kind, Row, K>, N> OrderFitsBy<Kind, Row, K>
    for crate::expression::Keyed<T, N>
{
}

macro_rules! fits_tuples {
    ($($T:ident $K:ident),+) => {
        impl<$($T),+> OrderTermKind for ($($T,)+) {
            type Kind = TermTuple;
        }
        impl<Row, $($T, $K),+> OrderFitsBy<TermTuple, Row, ($($K,)+)> for ($($T,)+)
        where
            $($T: OrderFits<Row, $K>),+
        {
        }
    };
}

fits_tuples!(A K);
fits_tuples!(A K, B L);
fits_tuples!(A K, B L, C M);
fits_tuples!(A K, B L, C M, D N);
fits_tuples!(A K, B L, C M, D N, E O);
fits_tuples!(A K, B L, C M, D N, E O, F P);
fits_tuples!(A K, B L, C M, D N, E O, F P, G Q);
fits_tuples!(A K, B L, C M, D N, E O, F P, G Q, H R);
fits_tuples!(A K, B L, C M, D N, E O, F P, G Q, H R, I S);
fits_tuples!(A K, B L, C M, D N, E O, F P, G Q, H R, I S, J T);
fits_tuples!(A K, B L, C M, D N, E O, F P, G Q, H R, I S, J T, U V);
fits_tuples!(A K, B L, C M, D N, E O, F P, G Q, H R, I S, J T, U V, W X);
fits_tuples!(A K, B L, C M, D N, E O, F P, G Q, H R, I S, J T, U V, W X, Y Z);
fits_tuples!(A K, B L, C M, D N, E O, F P, G Q, H R, I S, J T, U V, W X, Y Z, A1 K1);
fits_tuples!(A K, B L, C M, D N, E O, F P, G Q, H R, I S, J T, U V, W X, Y Z, A1 K1, B1 L1);
fits_tuples!(A K, B L, C M, D N, E O, F P, G Q, H R, I S, J T, U V, W X, Y Z, A1 K1, B1 L1, C1 M1);

/// An ORDER BY clause that fits the selection `Row` (`Selected<S>`): what
/// `select` checks when it replaces the selection of an ordered query.
#[diagnostic::on_unimplemented(
    message = "this query orders by a selected column that the new selection does not have",
    label = "the new selection is `{Row}`",
    note = "`selected::<N>()` counts the selected columns from 0, like a tuple's fields"
)]
pub trait OrderClauseFits<Row, K> {}

impl<Row> OrderClauseFits<Row, ()> for NoOrder {}
impl<R, O: OrderTermKind + OrderFitsBy<O::Kind, R, K>, K> OrderClauseFits<R, K> for OrderBy<O> {}

/// What an order term is checked against where no selection is known: a
/// window's `ORDER BY` (inside `OVER (...)` a number is a constant, not a
/// position) and a boxed order term chosen at run time. It has no column,
/// so [`selected`] is rejected there.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoPositions;
