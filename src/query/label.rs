//! `expr AS "total"`: a name for a selected expression, and `ORDER BY
//! "total"`.
//!
//! [`label!`](crate::label) declares a name, `.as_(name)` gives it to a
//! selected expression, and the name orders the query: `name.desc()`.
//! Whether the query's SELECT list has that name is checked by type when
//! the term is added (`order`, `then_order_by`) and again when `select`
//! replaces the selection. A name changes the SQL text only: the row type
//! is the expression's.
//!
//! PostgreSQL and SQLite take the bare name (`ORDER BY "total" DESC`, with
//! `NULLS FIRST` written out on SQLite). MariaDB/MySQL do not compile: the
//! `IS NULL` key that places NULLs there would be `"total" IS NULL`, and
//! MariaDB refuses a name inside an expression when it names an aggregate
//! (error 1247) or also names a column of the FROM clause (error 1052).

use core::marker::PhantomData;

use crate::backend::Backend;
use crate::expression::grouping::{Constant, Grouping};
use crate::expression::{Expression, KeyedBy, NullsPlacement, OrderSqlBy, TypeIn, ValidIn};
use crate::query::order_position::NamedTerm;
use crate::query::select_clause::{OtherSelection, SelectKind, SelectionBy};
use crate::query::{Ascending, Descending, Selected, SortDirection, Unspecified};
use crate::query_fragment::{Binds, QueryFragment};
use crate::sql_text::Part;

/// A name that [`label!`](crate::label) declared, for a selected
/// expression.
#[diagnostic::on_unimplemented(message = "`{Self}` is not a name declared with `quarry::label!`")]
pub trait LabelName: Copy + Default + 'static {
    /// The name, as written in SQL (quoted by the dialect).
    const NAME: &'static str;
}

/// The name `N` of a selected expression, made by
/// [`label!`](crate::label): give it to an expression with
/// [`as_`](LabelMethods::as_), order by it with `asc()`/`desc()` (or as it
/// is). `D` is the direction it orders in.
pub struct Label<N, D = Unspecified>(PhantomData<(N, D)>);

impl<N, D> Clone for Label<N, D> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<N, D> Copy for Label<N, D> {}
impl<N, D> Default for Label<N, D> {
    fn default() -> Self {
        Label(PhantomData)
    }
}
impl<N: LabelName, D: SortDirection> core::fmt::Debug for Label<N, D> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Label({}{})", N::NAME, D::SQL)
    }
}

impl<N: LabelName> Label<N> {
    #[doc(hidden)]
    pub const NEW: Self = Label(PhantomData);

    /// `ORDER BY "name" ASC`.
    ///
    /// ```
    /// use quarry::prelude::*;
    /// quarry::table! { posts (id) { id -> Integer, views -> Integer, } }
    /// let score = quarry::label!(score);
    /// let q = posts::table.select((posts::id, (posts::views * 2).as_(score))).order(score.asc());
    /// assert_eq!(
    ///     quarry::debug_query::<Pg, _>(q).sql(),
    ///     r#"SELECT "posts"."id", "posts"."views" * $1 AS "score" FROM "posts" ORDER BY "score" ASC"#
    /// );
    /// ```
    pub fn asc(self) -> Label<N, Ascending> {
        Label(PhantomData)
    }

    /// `ORDER BY "name" DESC`; NULLs first, as PostgreSQL sorts them.
    ///
    /// ```
    /// use quarry::prelude::*;
    /// use quarry::dsl::sum;
    /// quarry::table! { posts (id) { id -> Integer, author_id -> Integer, views -> Integer, } }
    /// let total = quarry::label!(total);
    /// let q = posts::table
    ///     .group_by(posts::author_id)
    ///     .select((posts::author_id, sum(posts::views).as_(total)))
    ///     .order(total.desc());
    /// assert_eq!(
    ///     quarry::debug_query::<Sqlite, _>(q).sql(),
    ///     r#"SELECT "posts"."author_id", SUM("posts"."views") AS "total" FROM "posts" GROUP BY "posts"."author_id" ORDER BY "total" DESC NULLS FIRST"#
    /// );
    /// ```
    pub fn desc(self) -> Label<N, Descending> {
        Label(PhantomData)
    }
}

/// Declares a name for a selected expression and evaluates to it:
/// `let total = quarry::label!(total);`. Give it to an expression with
/// `.as_(total)` (`SUM(..) AS "total"`), and order by it with `total`,
/// `total.asc()` or `total.desc()`: that compiles only where the query's
/// SELECT list has an expression named `total`.
///
/// ```
/// # quarry::__doc_setup!();
/// # fn main() -> Result<(), quarry::Error> {
/// use quarry::prelude::*;
/// use quarry::dsl::count_star;
/// # let mut db = db();
/// let n = quarry::label!(n);
/// let rows: Vec<(i32, i64)> = posts::table
///     .group_by(posts::author_id)
///     .select((posts::author_id, count_star().as_(n)))
///     .order((n.desc(), posts::author_id))
///     .load(&mut db)?;
/// assert_eq!(rows[0], (1, 2));
/// # Ok(()) }
/// ```
#[macro_export]
macro_rules! label {
    ($name:ident) => {{
        #[allow(non_camel_case_types)]
        #[derive(Debug, Clone, Copy, Default)]
        struct $name;
        impl $crate::query::LabelName for $name {
            const NAME: &'static str = stringify!($name);
        }
        $crate::query::Label::<$name>::NEW
    }};
}

/// The selected expression `E` under the name `N`: `expr AS "name"`. Made
/// by [`as_`](LabelMethods::as_). It is a selection, not an expression, so
/// it appears in `select` only; its rows are `E`'s.
#[derive(Debug, Clone, Copy)]
pub struct Labelled<E, N> {
    expr: E,
    name: PhantomData<N>,
}

/// [`as_`](LabelMethods::as_) on every expression.
pub trait LabelMethods: Expression + Sized {
    /// Names the expression in the SELECT list: `expr AS "name"`, for
    /// ordering by the name. `name` comes from [`label!`](crate::label).
    ///
    /// ```
    /// use quarry::prelude::*;
    /// use quarry::dsl::sum;
    /// quarry::table! { orders (id) { id -> Integer, customer -> Text, amount -> Integer, } }
    /// let total = quarry::label!(total);
    /// let q = orders::table
    ///     .group_by(orders::customer)
    ///     .select((orders::customer, sum(orders::amount).as_(total)))
    ///     .order_by(total.desc());
    /// assert_eq!(
    ///     quarry::debug_query::<Pg, _>(q).sql(),
    ///     r#"SELECT "orders"."customer", CAST(SUM("orders"."amount") AS BIGINT) AS "total" FROM "orders" GROUP BY "orders"."customer" ORDER BY "total" DESC"#
    /// );
    /// ```
    #[doc(alias = "AS")]
    #[doc(alias = "alias")]
    fn as_<N: LabelName>(self, name: Label<N>) -> Labelled<Self, N> {
        let _ = name;
        Labelled {
            expr: self,
            name: PhantomData,
        }
    }
}

impl<E: Expression> LabelMethods for E {}

impl<E, N> SelectKind for Labelled<E, N> {
    type Kind = OtherSelection;
}

impl<From, I, E, N> SelectionBy<OtherSelection, From, I> for Labelled<E, N>
where
    E: Expression + ValidIn<From, I>,
{
    type SqlType = TypeIn<E, From, I>;
}

impl<M, I, E: Grouping<M, I>, N> Grouping<M, I> for Labelled<E, N> {
    type Kind = E::Kind;
}

impl<DB: Backend, E: QueryFragment<DB>, N: LabelName> QueryFragment<DB> for Labelled<E, N> {
    const FRAG: Part = Part::Seq(&[E::FRAG, Part::Str(" AS "), Part::Ident(N::NAME)]);
    fn collect_binds<'a>(&'a self, out: &mut Binds<'a>) {
        self.expr.collect_binds(out);
    }
}

/// A selection (`Selected<S>`, or a part of one) that has an expression
/// named `N`; `I` is where, inferred.
///
/// This is what makes `.order(total.desc())` fail to compile unless the
/// query selects something `.as_(total)`.
#[diagnostic::on_unimplemented(
    message = "`{N}` is not a name in this query's SELECT list",
    label = "this query selects `{Self}`",
    note = "name a selected expression with `.as_({N})`, then order by `{N}`; a boxed query and a window's ORDER BY have no names"
)]
pub trait SelectsLabel<N, I> {}

/// `I` of the expression that has the name.
pub struct ThisOne;
/// `I` of the name in a tuple's field `.K`, where it is at `I`.
pub struct InField<const K: usize, I>(PhantomData<I>);

#[diagnostic::do_not_recommend]
impl<E, N> SelectsLabel<N, ThisOne> for Labelled<E, N> {}
#[diagnostic::do_not_recommend]
impl<S: SelectsLabel<N, I>, N, I> SelectsLabel<N, I> for Selected<S> {}

macro_rules! label_in_tuple {
    ($($k:tt $T:ident),+) => {
        label_in_tuple!(@each [$($T),+] $($k $T),+);
    };
    (@each $all:tt $($k:tt $T:ident),+) => {
        $(label_in_tuple!(@one $all $k $T);)+
    };
    (@one [$($all:ident),+] $k:tt $T:ident) => {
        #[diagnostic::do_not_recommend]
        impl<N, I, $($all),+> SelectsLabel<N, InField<$k, I>> for ($($all,)+)
        where
            $T: SelectsLabel<N, I>,
        {
        }
    };
}

label_in_tuple!(0 A0);
label_in_tuple!(0 A0, 1 A1);
label_in_tuple!(0 A0, 1 A1, 2 A2);
label_in_tuple!(0 A0, 1 A1, 2 A2, 3 A3);
label_in_tuple!(0 A0, 1 A1, 2 A2, 3 A3, 4 A4);
label_in_tuple!(0 A0, 1 A1, 2 A2, 3 A3, 4 A4, 5 A5);
label_in_tuple!(0 A0, 1 A1, 2 A2, 3 A3, 4 A4, 5 A5, 6 A6);
label_in_tuple!(0 A0, 1 A1, 2 A2, 3 A3, 4 A4, 5 A5, 6 A6, 7 A7);
label_in_tuple!(0 A0, 1 A1, 2 A2, 3 A3, 4 A4, 5 A5, 6 A6, 7 A7, 8 A8);
label_in_tuple!(0 A0, 1 A1, 2 A2, 3 A3, 4 A4, 5 A5, 6 A6, 7 A7, 8 A8, 9 A9);
label_in_tuple!(0 A0, 1 A1, 2 A2, 3 A3, 4 A4, 5 A5, 6 A6, 7 A7, 8 A8, 9 A9, 10 A10);
label_in_tuple!(0 A0, 1 A1, 2 A2, 3 A3, 4 A4, 5 A5, 6 A6, 7 A7, 8 A8, 9 A9, 10 A10, 11 A11);
label_in_tuple!(
    0 A0, 1 A1, 2 A2, 3 A3, 4 A4, 5 A5, 6 A6, 7 A7, 8 A8, 9 A9, 10 A10, 11 A11, 12 A12
);
label_in_tuple!(
    0 A0, 1 A1, 2 A2, 3 A3, 4 A4, 5 A5, 6 A6, 7 A7, 8 A8, 9 A9, 10 A10, 11 A11, 12 A12, 13 A13
);
label_in_tuple!(
    0 A0, 1 A1, 2 A2, 3 A3, 4 A4, 5 A5, 6 A6, 7 A7, 8 A8, 9 A9, 10 A10, 11 A11, 12 A12, 13 A13,
    14 A14
);
label_in_tuple!(
    0 A0, 1 A1, 2 A2, 3 A3, 4 A4, 5 A5, 6 A6, 7 A7, 8 A8, 9 A9, 10 A10, 11 A11, 12 A12, 13 A13,
    14 A14, 15 A15
);

/// A name is checked against the selection by
/// [`OrderFits`](crate::query::OrderFits), not against the FROM clause.
impl<From, N, D> KeyedBy<crate::query::order_position::NamedTerm, From, (), Self> for Label<N, D> {
    #[inline]
    fn keyed_by(self) -> Self {
        self
    }
}

/// The named expression was checked by `select` (and `group_by`).
impl<M, N, D> Grouping<M, ()> for Label<N, D> {
    type Kind = Constant;
}

impl<DB: OrdersNullsByLabel, N: LabelName, D: SortDirection + NullsPlacement>
    OrderSqlBy<NamedTerm, DB> for Label<N, D>
{
    const ORDER_FRAG: Part = Part::Seq(&[Part::Ident(N::NAME), Part::Str(D::SQL), D::NULLS]);
    fn collect_order_binds<'a>(&'a self, _out: &mut Binds<'a>) {}
}

/// Backends that can order by a selected expression's name and place its
/// NULLs as quarry promises (`ORDER BY "total" DESC NULLS FIRST`).
///
/// This is what makes `.order(total.desc())` fail to compile for
/// MariaDB/MySQL, which has no `NULLS FIRST`/`NULLS LAST` and refuses
/// `total IS NULL` when `total` names an aggregate: order by the
/// expression itself there.
#[diagnostic::on_unimplemented(
    message = "ordering by a selected expression's name is not supported on {Self}",
    label = "MariaDB/MySQL cannot place NULLs first or last for `ORDER BY` a name",
    note = "order by the expression itself: `.order(sum(orders::amount).desc())`"
)]
pub trait OrdersNullsByLabel: Backend {}
impl OrdersNullsByLabel for crate::backend::Sqlite {}
impl OrdersNullsByLabel for crate::backend::Pg {}
