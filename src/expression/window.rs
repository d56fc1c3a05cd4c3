//! Window functions: `row_number()`, `rank()` and aggregates, each
//! `.over(window().partition_by(...).order_by(...))`.
//!
//! ```
//! # quarry::table! { posts (id) { id -> Integer, author_id -> Integer, views -> Integer, } }
//! use quarry::expression::{OverDsl, row_number, window};
//! use quarry::prelude::*;
//! const SQL: &str = quarry::const_sql!(
//!     Sqlite,
//!     posts::table.select(
//!         row_number().over(window().partition_by(posts::author_id).order_by(posts::views.desc()))
//!     )
//! );
//! assert_eq!(
//!     SQL,
//!     r#"SELECT ROW_NUMBER() OVER (PARTITION BY "posts"."author_id" ORDER BY "posts"."views" DESC NULLS FIRST) FROM "posts""#
//! );
//! ```
//!
//! A window function has the grouping kind
//! [`WindowFunction`](crate::expression::grouping::WindowFunction), so
//! `filter` rejects it (SQL computes windows after WHERE). The partition
//! and order expressions are checked against the query's FROM clause.
//! Inside a grouped query, the window's expressions are not checked
//! against `group_by`.

use crate::backend::Backend;
use crate::expression::grouping::{Grouping, WindowFunction};
use crate::expression::{Aggregate, Expression, OrderTerm, ValidIn};
use crate::query::{CountStar, Selection};
use crate::query_fragment::Binds;
use crate::query_fragment::QueryFragment;
use crate::sql_text::Part;
use crate::sql_types::{BigInt, NotNull, SqlType};

/// `ROW_NUMBER()`: the row's position in its partition, from 1.
#[derive(Debug, Clone, Copy)]
pub struct RowNumber;
/// `RANK()`: the row's rank in its partition, with gaps after ties.
#[derive(Debug, Clone, Copy)]
pub struct Rank;

/// `ROW_NUMBER()`; use it with [`OverDsl::over`]. `BigInt`.
pub fn row_number() -> RowNumber {
    RowNumber
}

/// `RANK()`; use it with [`OverDsl::over`]. `BigInt`.
pub fn rank() -> Rank {
    Rank
}

/// A function that can be computed over a window: `row_number()`,
/// `rank()`, and the aggregates.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be computed over a window",
    note = "`over` takes `row_number()`, `rank()` or an aggregate such as `sum(x)`"
)]
pub trait WindowFn {
    /// The result's SQL type.
    type SqlType: SqlType;
}

/// A window function's SQL, split where `OVER (...)` goes.
#[diagnostic::on_unimplemented(message = "`{Self}` is not a window function")]
pub trait WindowFnSql<DB: Backend> {
    /// The SQL before `OVER`.
    const BEFORE: Part;
    /// The SQL after the window (PostgreSQL's cast of `SUM`, `AVG`).
    const AFTER: Part;
    /// Pushes the function's bind values.
    fn collect_binds<'a>(&'a self, out: &mut Binds<'a>);
}

macro_rules! ranking {
    ($($name:ident $sql:literal),*) => {$(
        impl WindowFn for $name {
            type SqlType = BigInt;
        }
        impl<From> ValidIn<From, ()> for $name {
            type Nullability = NotNull;
        }
        impl<DB: Backend> WindowFnSql<DB> for $name {
            const BEFORE: Part = Part::Str($sql);
            const AFTER: Part = Part::Str("");
            fn collect_binds<'a>(&'a self, _out: &mut Binds<'a>) {}
        }
        impl OverDsl for $name {}
    )*};
}
ranking!(RowNumber "ROW_NUMBER()", Rank "RANK()");

impl WindowFn for CountStar {
    type SqlType = BigInt;
}
impl<DB: Backend> WindowFnSql<DB> for CountStar {
    const BEFORE: Part = <CountStar as QueryFragment<DB>>::FRAG;
    const AFTER: Part = Part::Str("");
    fn collect_binds<'a>(&'a self, _out: &mut Binds<'a>) {}
}
impl OverDsl for CountStar {}

impl<F, E> WindowFn for Aggregate<F, E>
where
    Aggregate<F, E>: Expression,
{
    type SqlType = <Aggregate<F, E> as Expression>::SqlType;
}

/// `OVER` goes right after the aggregate's own `)`, inside PostgreSQL's
/// `CAST(SUM(x) ... AS BIGINT)`.
impl<DB, F, E> WindowFnSql<DB> for Aggregate<F, E>
where
    DB: Backend,
    E: QueryFragment<DB> + Expression,
    F: crate::expression::AggregateFn<E::SqlType>,
{
    const BEFORE: Part = Part::Seq(&[
        Part::ByDialect(&[
            Part::Str(F::OPEN[0]),
            Part::Str(F::OPEN[1]),
            Part::Str(F::OPEN[2]),
        ]),
        E::FRAG,
        Part::ByDialect(&[
            Part::Str(F::CLOSE[0].split_at(1).0),
            Part::Str(F::CLOSE[1].split_at(1).0),
            Part::Str(F::CLOSE[2].split_at(1).0),
        ]),
    ]);
    const AFTER: Part = Part::ByDialect(&[
        Part::Str(F::CLOSE[0].split_at(1).1),
        Part::Str(F::CLOSE[1].split_at(1).1),
        Part::Str(F::CLOSE[2].split_at(1).1),
    ]);
    fn collect_binds<'a>(&'a self, out: &mut Binds<'a>) {
        QueryFragment::<DB>::collect_binds(self, out);
    }
}
impl<F, E> OverDsl for Aggregate<F, E> {}

/// `.over(window)`, on window functions and aggregates.
#[diagnostic::on_unimplemented(
    message = "`.over(...)` needs an aggregate or window function, and `{Self}` is not one"
)]
pub trait OverDsl: Sized {
    /// `self OVER (window)`.
    fn over<P, O>(self, window: Window<P, O>) -> Over<Self, Window<P, O>> {
        Over {
            function: self,
            window,
        }
    }
}

/// No `PARTITION BY`: the whole result is one partition.
#[derive(Debug, Clone, Copy)]
pub struct NoPartition;
/// `PARTITION BY exprs`.
#[derive(Debug, Clone, Copy)]
pub struct PartitionBy<P>(P);
/// No `ORDER BY` in the window.
#[derive(Debug, Clone, Copy)]
pub struct NoWindowOrder;
/// `ORDER BY terms` in the window.
#[derive(Debug, Clone, Copy)]
pub struct WindowOrder<O>(O);

/// A window: `(PARTITION BY ... ORDER BY ...)`.
#[derive(Debug, Clone, Copy)]
pub struct Window<P, O> {
    partition: P,
    order: O,
}

/// An empty window, `OVER ()`; add [`Window::partition_by`] and
/// [`Window::order_by`].
pub fn window() -> Window<NoPartition, NoWindowOrder> {
    Window {
        partition: NoPartition,
        order: NoWindowOrder,
    }
}

impl<O> Window<NoPartition, O> {
    /// `PARTITION BY exprs`: an expression or a tuple of them.
    pub fn partition_by<P>(self, exprs: P) -> Window<PartitionBy<P>, O> {
        Window {
            partition: PartitionBy(exprs),
            order: self.order,
        }
    }
}

impl<P> Window<P, NoWindowOrder> {
    /// `ORDER BY terms`: as `order` takes them (`x`, `x.desc()`, tuples).
    pub fn order_by<O, K>(self, terms: O) -> Window<P, WindowOrder<O>>
    where
        O: crate::query::OrderFits<crate::query::NoPositions, K>,
    {
        Window {
            partition: self.partition,
            order: WindowOrder(terms),
        }
    }
}

/// A window whose expressions are all in the FROM clause `From`.
///
/// This is what makes
/// `users::table.select(row_number().over(window().order_by(posts::id)))`
/// fail to compile.
#[diagnostic::on_unimplemented(
    message = "this window uses a column whose table is not in the FROM clause `{From}`",
    label = "not in the FROM clause"
)]
pub trait WindowIn<From, Idx> {}
impl<From> WindowIn<From, ()> for NoPartition {}
impl<From> WindowIn<From, ()> for NoWindowOrder {}
impl<From, P: Selection<From, I>, I> WindowIn<From, I> for PartitionBy<P> {}
impl<From, O: OrderTerm<From, I>, I> WindowIn<From, I> for WindowOrder<O> {}
impl<From, P, O, IP, IO> WindowIn<From, (IP, IO)> for Window<P, O>
where
    P: WindowIn<From, IP>,
    O: WindowIn<From, IO>,
{
}

/// Whether a window clause has any text.
#[diagnostic::on_unimplemented(message = "`{Self}` is not a window definition")]
pub trait WindowClause {
    /// `false` for [`NoPartition`] and [`NoWindowOrder`].
    const PRESENT: bool;
}
impl WindowClause for NoPartition {
    const PRESENT: bool = false;
}
impl WindowClause for NoWindowOrder {
    const PRESENT: bool = false;
}
impl<P> WindowClause for PartitionBy<P> {
    const PRESENT: bool = true;
}
impl<O> WindowClause for WindowOrder<O> {
    const PRESENT: bool = true;
}

/// `function OVER (window)`.
#[derive(Debug, Clone, Copy)]
pub struct Over<F, W> {
    function: F,
    window: W,
}

impl<F: WindowFn, W> Expression for Over<F, W> {
    type SqlType = F::SqlType;
}

impl<From, F, W, IF, IW> ValidIn<From, (IF, IW)> for Over<F, W>
where
    F: ValidIn<From, IF>,
    W: WindowIn<From, IW>,
{
    type Nullability = F::Nullability;
}

/// Per row, computed over other rows: usable in `select` and `order`, not
/// in `filter`.
impl<M, F, W> Grouping<M, ()> for Over<F, W> {
    type Kind = WindowFunction;
}

impl<DB: Backend> QueryFragment<DB> for NoPartition {
    const FRAG: Part = Part::Str("");
    fn collect_binds<'a>(&'a self, _out: &mut Binds<'a>) {}
}
impl<DB: Backend> QueryFragment<DB> for NoWindowOrder {
    const FRAG: Part = Part::Str("");
    fn collect_binds<'a>(&'a self, _out: &mut Binds<'a>) {}
}
impl<DB: Backend, P: QueryFragment<DB>> QueryFragment<DB> for PartitionBy<P> {
    const FRAG: Part = Part::Seq(&[Part::Str("PARTITION BY "), P::FRAG]);
    fn collect_binds<'a>(&'a self, out: &mut Binds<'a>) {
        self.0.collect_binds(out);
    }
}
impl<DB: Backend, O: crate::expression::OrderSql<DB>> QueryFragment<DB> for WindowOrder<O> {
    const FRAG: Part = Part::Seq(&[Part::Str("ORDER BY "), O::ORDER_FRAG]);
    fn collect_binds<'a>(&'a self, out: &mut Binds<'a>) {
        self.0.collect_order_binds(out);
    }
}
impl<DB, P, O> QueryFragment<DB> for Window<P, O>
where
    DB: Backend,
    P: QueryFragment<DB> + WindowClause,
    O: QueryFragment<DB> + WindowClause,
{
    const FRAG: Part = Part::Seq(&[
        P::FRAG,
        Part::Str(if P::PRESENT && O::PRESENT { " " } else { "" }),
        O::FRAG,
    ]);
    fn collect_binds<'a>(&'a self, out: &mut Binds<'a>) {
        self.partition.collect_binds(out);
        self.order.collect_binds(out);
    }
}
impl<DB, F, W> QueryFragment<DB> for Over<F, W>
where
    DB: Backend,
    F: WindowFnSql<DB>,
    W: QueryFragment<DB>,
{
    const FRAG: Part = Part::Seq(&[
        F::BEFORE,
        Part::Str(" OVER ("),
        W::FRAG,
        Part::Str(")"),
        F::AFTER,
    ]);
    fn collect_binds<'a>(&'a self, out: &mut Binds<'a>) {
        self.function.collect_binds(out);
        self.window.collect_binds(out);
    }
}

crate::__impl_arithmetic_ops!([F, W,] Over<F, W>);
