//! `ASC` and `DESC` terms of `ORDER BY`, and where NULLs sort.
//!
//! PostgreSQL sorts NULLs as larger than every value (last ascending,
//! first descending), SQLite as smaller. quarry writes PostgreSQL's order
//! out on SQLite (`NULLS LAST` ascending, `NULLS FIRST` descending), so a
//! sorted query returns its rows in the same order on both; SQLite still
//! sorts through an index for these.

use core::marker::PhantomData;

use crate::backend::Backend;
use crate::expression::{Expression, ValidIn};
use crate::query::order_position::OrderTermKind;
use crate::query::{
    Ascending, ByDirection, ByExpression, ByPosition, Descending, SelectedColumn, SortDirection,
    Unspecified,
};
use crate::query_fragment::Binds;
use crate::query_fragment::QueryFragment;
use crate::sql_text::Part;
use crate::sql_types::{Nullability, SqlType};

/// Something `order` accepts: an expression, `expr.asc()`, `expr.desc()`,
/// or a tuple of those.
///
/// This is what makes `users::table.order(posts::id)` fail to compile.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be used to order this query: its table is not in the FROM clause `{From}`"
)]
pub trait OrderTerm<From, Idx> {
    /// The term as `ORDER BY` keeps it: knowing whether it can be NULL in
    /// `From`, so that MariaDB's NULL-placing key is written only where it
    /// can matter (the key keeps the server from reading an index in
    /// order).
    type Keyed;
    /// `self` as [`Keyed`](Self::Keyed).
    fn keyed(self) -> Self::Keyed;
}

// One blanket impl: a term is first classed by its type alone
// ([`OrderTermKind`]), so only one [`KeyedBy`] impl applies and rustc blames
// the failing part (a tuple's column, not the tuple). The keyed form is a
// parameter carried in the index, not a projection: a projection of a tuple
// fails as a whole, at the tuple, as a second error beside the column's.
impl<From, I, K, T> OrderTerm<From, (I, K)> for T
where
    T: KeyedTerm<From, I, K>,
{
    type Keyed = K;
    #[inline]
    fn keyed(self) -> K {
        self.keyed_term()
    }
}

/// [`OrderTerm`] with its keyed form `K` as a parameter.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be used to order this query: its table is not in the FROM clause `{From}`"
)]
pub trait KeyedTerm<From, Idx, K> {
    /// `self` as `K`.
    fn keyed_term(self) -> K;
}

impl<From, I, K, T> KeyedTerm<From, I, K> for T
where
    T: OrderTermKind + KeyedBy<<T as OrderTermKind>::Kind, From, I, K>,
{
    #[inline]
    fn keyed_term(self) -> K {
        self.keyed_by()
    }
}

/// [`KeyedTerm`] for terms of kind `Kind` ([`OrderTermKind`]).
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be used to order this query: its table is not in the FROM clause `{From}`"
)]
pub trait KeyedBy<Kind, From, Idx, K> {
    /// `self` as `K`.
    fn keyed_by(self) -> K;
}

/// Whether `E` can be NULL in `From`: its own type's nullability, or an
/// outer join's.
pub type NullIn<E, From, Idx> = <<E as ValidIn<From, Idx>>::Nullability as Nullability>::Or<
    <<E as Expression>::SqlType as SqlType>::Nullability,
>;

/// An order term with `N`, whether its expression can be NULL where it
/// is ordered ([`NotNull`](crate::sql_types::NotNull) or
/// [`IsNull`](crate::sql_types::IsNull)).
#[doc(hidden)]
#[derive(Debug)]
pub struct Keyed<T, N>(T, PhantomData<N>);

// By hand: `N` is a marker, so a keyed term clones whatever it is.
impl<T: Clone, N> Clone for Keyed<T, N> {
    fn clone(&self) -> Self {
        Keyed(self.0.clone(), PhantomData)
    }
}
impl<T: Copy, N> Copy for Keyed<T, N> {}

impl<Kind, DB: Backend, T: OrderSqlBy<Kind, DB>, N: Nullability> OrderSqlBy<Kind, DB>
    for Keyed<T, N>
{
    const ORDER_FRAG: Part = if N::IS_NULL {
        T::ORDER_FRAG
    } else {
        T::PLAIN_FRAG
    };
    const PLAIN_FRAG: Part = T::PLAIN_FRAG;
    fn collect_order_binds<'a>(&'a self, out: &mut Binds<'a>) {
        if N::IS_NULL {
            self.0.collect_order_binds(out);
        } else {
            self.0.collect_plain_binds(out);
        }
    }
    fn collect_plain_binds<'a>(&'a self, out: &mut Binds<'a>) {
        self.0.collect_plain_binds(out);
    }
}

macro_rules! direction {
    ($(#[$doc:meta])* $name:ident, $sql:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy)]
        pub struct $name<E>(pub(crate) E);

        impl<From, E: Expression + ValidIn<From, I>, I>
            KeyedBy<ByDirection, From, I, Keyed<Self, NullIn<E, From, I>>> for $name<E>
        {
            #[inline]
            fn keyed_by(self) -> Keyed<Self, NullIn<E, From, I>> {
                Keyed(self, PhantomData)
            }
        }

        crate::expression::grouping::grouping_from_operands!([E,] $name<E>; E IE);

        impl<DB: Backend, E: QueryFragment<DB>> QueryFragment<DB> for $name<E> {
            const FRAG: Part = Part::Seq(&[E::FRAG, Part::Str($sql)]);
            fn collect_binds<'a>(&'a self, out: &mut Binds<'a>) {
                <E as QueryFragment<DB>>::collect_binds(&self.0, out);
            }
        }
    };
}

direction!(
    /// `expr ASC`.
    Asc,
    " ASC"
);
direction!(
    /// `expr DESC`.
    Desc,
    " DESC"
);

impl<From, E: Expression + ValidIn<From, I>, I>
    KeyedBy<ByExpression, From, I, Keyed<E, NullIn<E, From, I>>> for E
{
    #[inline]
    fn keyed_by(self) -> Keyed<E, NullIn<E, From, I>> {
        Keyed(self, PhantomData)
    }
}

/// `NULLS LAST` on SQLite, where an ascending sort puts NULLs first.
/// MariaDB/MySQL have no `NULLS LAST`: [`nulls_last_key`] sorts first.
const NULLS_LAST: Part = Part::ByDialect(&[Part::Str(" NULLS LAST"), Part::Str(""), Part::Str("")]);
/// `NULLS FIRST` on SQLite, where a descending sort puts NULLs last.
const NULLS_FIRST: Part =
    Part::ByDialect(&[Part::Str(" NULLS FIRST"), Part::Str(""), Part::Str("")]);

/// On MariaDB/MySQL, which sort NULLs as the smallest value and have no
/// `NULLS LAST`: `(expr) IS NULL, ` before the term, so NULLs sort after
/// every value (`IS NULL DESC, ` to sort them first); nothing elsewhere.
/// The term's binds are then collected twice
/// ([`Backend::ORDER_KEY_REPEATS_TERM`]).
macro_rules! nulls_key {
    ($term:expr, $key:literal) => {
        Part::ByDialect(&[
            Part::Str(""),
            Part::Str(""),
            Part::Seq(&[Part::Paren(&$term), Part::Str($key)]),
        ])
    };
}

/// How an order term is written in `ORDER BY`: the term, then where its
/// NULLs go, so that both backends sort them as PostgreSQL does.
///
/// Implemented once, through the term's kind ([`OrderSqlBy`]).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be written as an ORDER BY term for {DB}",
    note = "`order` takes an expression, `expr.asc()`, `expr.desc()`, `selected::<N>()`, or a tuple of those"
)]
pub trait OrderSql<DB: Backend> {
    /// The term's SQL.
    const ORDER_FRAG: Part;
    /// The term's SQL when it cannot be NULL: without MariaDB's
    /// NULL-placing key.
    const PLAIN_FRAG: Part;
    /// Pushes the term's binds.
    fn collect_order_binds<'a>(&'a self, out: &mut Binds<'a>);
    /// Pushes the binds of [`PLAIN_FRAG`](Self::PLAIN_FRAG).
    fn collect_plain_binds<'a>(&'a self, out: &mut Binds<'a>);
}

// One blanket impl: a term is first classed by its type alone
// ([`OrderTermKind`]), so only one [`OrderSqlBy`] impl applies and rustc
// blames what fails inside it (a backend that cannot order by a position
// or a name) with that trait's own message.
impl<DB: Backend, T: OrderTermKind + OrderSqlBy<T::Kind, DB>> OrderSql<DB> for T {
    const ORDER_FRAG: Part = <T as OrderSqlBy<T::Kind, DB>>::ORDER_FRAG;
    const PLAIN_FRAG: Part = <T as OrderSqlBy<T::Kind, DB>>::PLAIN_FRAG;
    #[inline]
    fn collect_order_binds<'a>(&'a self, out: &mut Binds<'a>) {
        <T as OrderSqlBy<T::Kind, DB>>::collect_order_binds(self, out);
    }
    #[inline]
    fn collect_plain_binds<'a>(&'a self, out: &mut Binds<'a>) {
        <T as OrderSqlBy<T::Kind, DB>>::collect_plain_binds(self, out);
    }
}

/// [`OrderSql`] for terms of kind `Kind` ([`OrderTermKind`]).
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be written as an ORDER BY term for {DB}",
    note = "`order` takes an expression, `expr.asc()`, `expr.desc()`, `selected::<N>()`, or a tuple of those"
)]
pub trait OrderSqlBy<Kind, DB: Backend> {
    /// See [`OrderSql::ORDER_FRAG`].
    const ORDER_FRAG: Part;
    /// See [`OrderSql::PLAIN_FRAG`].
    const PLAIN_FRAG: Part = Self::ORDER_FRAG;
    /// See [`OrderSql::collect_order_binds`].
    fn collect_order_binds<'a>(&'a self, out: &mut Binds<'a>);
    /// See [`OrderSql::collect_plain_binds`].
    fn collect_plain_binds<'a>(&'a self, out: &mut Binds<'a>) {
        self.collect_order_binds(out);
    }
}

impl<DB: Backend, E: Expression + QueryFragment<DB>> OrderSqlBy<ByExpression, DB> for E {
    const ORDER_FRAG: Part = Part::Seq(&[nulls_key!(E::FRAG, " IS NULL, "), E::FRAG, NULLS_LAST]);
    const PLAIN_FRAG: Part = Part::Seq(&[E::FRAG, NULLS_LAST]);
    fn collect_order_binds<'a>(&'a self, out: &mut Binds<'a>) {
        if DB::ORDER_KEY_REPEATS_TERM {
            <Self as QueryFragment<DB>>::collect_binds(self, out);
        }
        <Self as QueryFragment<DB>>::collect_binds(self, out);
    }
    fn collect_plain_binds<'a>(&'a self, out: &mut Binds<'a>) {
        <Self as QueryFragment<DB>>::collect_binds(self, out);
    }
}

impl<DB: Backend, E: QueryFragment<DB>> OrderSqlBy<ByDirection, DB> for Asc<E> {
    const ORDER_FRAG: Part = Part::Seq(&[
        nulls_key!(E::FRAG, " IS NULL, "),
        <Self as QueryFragment<DB>>::FRAG,
        NULLS_LAST,
    ]);
    const PLAIN_FRAG: Part = Part::Seq(&[<Self as QueryFragment<DB>>::FRAG, NULLS_LAST]);
    fn collect_order_binds<'a>(&'a self, out: &mut Binds<'a>) {
        if DB::ORDER_KEY_REPEATS_TERM {
            <E as QueryFragment<DB>>::collect_binds(&self.0, out);
        }
        <Self as QueryFragment<DB>>::collect_binds(self, out);
    }
    fn collect_plain_binds<'a>(&'a self, out: &mut Binds<'a>) {
        <Self as QueryFragment<DB>>::collect_binds(self, out);
    }
}

impl<DB: Backend, E: QueryFragment<DB>> OrderSqlBy<ByDirection, DB> for Desc<E> {
    const ORDER_FRAG: Part = Part::Seq(&[
        nulls_key!(E::FRAG, " IS NULL DESC, "),
        <Self as QueryFragment<DB>>::FRAG,
        NULLS_FIRST,
    ]);
    const PLAIN_FRAG: Part = Part::Seq(&[<Self as QueryFragment<DB>>::FRAG, NULLS_FIRST]);
    fn collect_order_binds<'a>(&'a self, out: &mut Binds<'a>) {
        if DB::ORDER_KEY_REPEATS_TERM {
            <E as QueryFragment<DB>>::collect_binds(&self.0, out);
        }
        <Self as QueryFragment<DB>>::collect_binds(self, out);
    }
    fn collect_plain_binds<'a>(&'a self, out: &mut Binds<'a>) {
        <Self as QueryFragment<DB>>::collect_binds(self, out);
    }
}

/// Where NULLs go for a direction of [`SelectedColumn`].
#[diagnostic::on_unimplemented(message = "`{Self}` is not a sort direction")]
pub trait NullsPlacement {
    /// The clause, for SQLite.
    const NULLS: Part;
}
impl NullsPlacement for Unspecified {
    const NULLS: Part = NULLS_LAST;
}
impl NullsPlacement for Ascending {
    const NULLS: Part = NULLS_LAST;
}
impl NullsPlacement for Descending {
    const NULLS: Part = NULLS_FIRST;
}

impl<DB: OrdersNullsByPosition, const N: usize, D: SortDirection + NullsPlacement>
    OrderSqlBy<ByPosition, DB> for SelectedColumn<N, D>
{
    const ORDER_FRAG: Part = Part::Seq(&[<Self as QueryFragment<DB>>::FRAG, D::NULLS]);
    fn collect_order_binds<'a>(&'a self, out: &mut Binds<'a>) {
        <Self as QueryFragment<DB>>::collect_binds(self, out);
    }
}

/// Backends that can place NULLs as quarry promises when ordering by a
/// selected column's position (`ORDER BY 2 DESC NULLS FIRST`).
///
/// This is what makes `selected::<1>()` in `order` fail to compile for
/// MariaDB/MySQL, which has no `NULLS FIRST`/`NULLS LAST` and cannot test a
/// position for NULL: order by the expression itself there.
#[diagnostic::on_unimplemented(
    message = "ordering by a selected column's position is not supported on {Self}",
    label = "MariaDB/MySQL cannot place NULLs first or last for `ORDER BY` a position",
    note = "order by the selected expression itself: `.order(posts::views.desc())`"
)]
pub trait OrdersNullsByPosition: Backend {}
impl OrdersNullsByPosition for crate::backend::Sqlite {}
impl OrdersNullsByPosition for crate::backend::Pg {}

/// An order term written with [`OrderSql`]: what ORDER BY clauses and
/// boxed queries hold.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct Ordered<O>(pub O);

impl<DB: Backend, O: OrderSql<DB>> QueryFragment<DB> for Ordered<O> {
    const FRAG: Part = O::ORDER_FRAG;
    fn collect_binds<'a>(&'a self, out: &mut Binds<'a>) {
        self.0.collect_order_binds(out);
    }
}
