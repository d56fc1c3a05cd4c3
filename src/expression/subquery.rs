//! Subqueries in expressions: `expr IN (subquery)`, `NOT EXISTS`, and a
//! scalar subquery typed by its single column.

use crate::backend::Backend;
use crate::expression::grouping::{Constant, Grouping};
use crate::expression::{Expression, ValidIn, operand, precedence};
use crate::query::{AsQuery, Query};
use crate::query_fragment::Binds;
use crate::query_fragment::QueryFragment;
use crate::sql_text::Part;
use crate::sql_types::{Bool, NotNull, Nullability, SameSqlType, SqlType};

/// A subquery's row type that is one column of SQL type `ST` (nullability
/// aside).
#[diagnostic::on_unimplemented(
    message = "a subquery here must select one column of SQL type `{ST}`, but its rows are `{Self}`"
)]
pub trait OneColumnOf<ST> {}

impl<T, ST> OneColumnOf<ST> for T
where
    T: SqlType,
    ST: SqlType,
    T::NotNull: SameSqlType<ST::NotNull>,
{
}

/// `expr IN (subquery)`, or `expr NOT IN (subquery)` when `NEGATED`.
#[derive(Debug, Clone)]
pub struct InSubquery<E, Q, const NEGATED: bool> {
    pub(crate) expr: E,
    pub(crate) query: Q,
}

impl<E: Expression, Q, const NEGATED: bool> Expression for InSubquery<E, Q, NEGATED> {
    type SqlType = <<E::SqlType as SqlType>::Nullability as Nullability>::Apply<Bool>;
    const PRECEDENCE: u8 = precedence::COMPARISON;
}

/// The subquery is checked on its own; only `expr`, and the outer table
/// of a correlated subquery, use the outer FROM clause.
impl<From, E: ValidIn<From, I>, I, QI, Q, const NEGATED: bool> ValidIn<From, (I, QI)>
    for InSubquery<E, Q, NEGATED>
where
    Q: Correlation<From, QI>,
{
    type Nullability = E::Nullability;
}

impl<M, E, I, Q, const NEGATED: bool> Grouping<M, (I,)> for InSubquery<E, Q, NEGATED>
where
    E: Grouping<M, I>,
{
    type Kind = E::Kind;
}

impl<DB, E, Q, const NEGATED: bool> QueryFragment<DB> for InSubquery<E, Q, NEGATED>
where
    DB: Backend,
    E: QueryFragment<DB> + Expression,
    Q: QueryFragment<DB>,
{
    const FRAG: Part = Part::Seq(&[
        operand!(E, precedence::COMPARISON + 1),
        Part::Str(if NEGATED { " NOT IN " } else { " IN " }),
        Part::Paren(&Q::FRAG),
    ]);
    fn collect_binds<'a>(&'a self, out: &mut Binds<'a>) {
        self.expr.collect_binds(out);
        self.query.collect_binds(out);
    }
}

/// Whether a subquery may appear in a query whose FROM clause is `From`:
/// always for an uncorrelated one; a correlated one
/// ([`correlated_with`](crate::query::QueryDsl::correlated_with)) needs its
/// outer table in `From`.
#[diagnostic::on_unimplemented(
    message = "this correlated subquery refers to a table that is not in the outer query",
    label = "its outer table must be in the FROM clause `{From}`"
)]
pub trait Correlation<From, Idx> {}

/// `(subquery)` as a value: its single column, `NULL` when it returns no
/// row.
#[derive(Debug, Clone)]
pub struct ScalarSubquery<Q>(pub(crate) Q);

/// The rows of a subquery used as one value: one column, of any SQL type.
///
/// This is what makes `scalar(posts::table.select((posts::id, posts::views)))`
/// fail to compile.
#[diagnostic::on_unimplemented(
    message = "a scalar subquery must select exactly one column, and this one selects `{Self}`",
    label = "select one column here",
    note = "select one expression, such as `posts::views` or `max(posts::views)`"
)]
pub trait OneColumn {}
#[diagnostic::do_not_recommend]
impl<T: SqlType> OneColumn for T {}

/// The SQL type of a scalar subquery whose rows are `Self`: one column,
/// made nullable. A row of several columns, which [`scalar`] rejects in a
/// message of its own, has a placeholder type, so that the mistake is
/// reported once.
#[doc(hidden)]
pub trait ScalarRow {
    /// The subquery's type as a value.
    type Nullable: SqlType;
}
impl<T: SqlType> ScalarRow for T {
    type Nullable = T::Nullable;
}

/// A subquery used as one value: `(SELECT ...)`. Its query must select one
/// column; the value is `NULL` when it returns no row.
pub fn scalar<Q>(query: Q) -> ScalarSubquery<Q::Query>
where
    Q: AsQuery,
    Q::Query: Query,
    <Q::Query as Query>::SqlType: OneColumn,
{
    ScalarSubquery(query.as_query())
}

impl<Q> Expression for ScalarSubquery<Q>
where
    Q: Query,
    Q::SqlType: ScalarRow,
{
    type SqlType = <Q::SqlType as ScalarRow>::Nullable;
}

impl<From, I, Q: Correlation<From, I>> ValidIn<From, (I,)> for ScalarSubquery<Q> {
    type Nullability = NotNull;
}

impl<M, Q> Grouping<M, ((),)> for ScalarSubquery<Q> {
    type Kind = Constant;
}

impl<DB: Backend, Q: QueryFragment<DB>> QueryFragment<DB> for ScalarSubquery<Q> {
    const FRAG: Part = Part::Paren(&Q::FRAG);
    fn collect_binds<'a>(&'a self, out: &mut Binds<'a>) {
        self.0.collect_binds(out);
    }
}

/// `NOT EXISTS (query)`: written like [`exists`](crate::exists), with
/// `SELECT 1` when the query selects every column.
pub fn not_exists<Q>(
    query: Q,
) -> crate::expression::Not<crate::query::Exists<<Q::Query as crate::query::ExistsQuery>::Out>>
where
    Q: AsQuery,
    Q::Query: crate::query::ExistsQuery,
{
    crate::expression::Not(crate::query::exists(query))
}

/// What `eq_any` and `ne_all` accept for a left side of SQL type `ST`: a
/// list of Rust values, or a subquery selecting one column of that type.
/// `Kind` tells them apart and is inferred.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is neither a list of SQL `{ST}` values nor a subquery selecting one `{ST}` column",
    label = "expected values or a one-column subquery of SQL type `{ST}`"
)]
pub trait InList<ST, Kind> {
    /// The `IN` node for left side `E`.
    type Node<E, const NEGATED: bool>;
    /// Builds it.
    fn in_list<E, const NEGATED: bool>(self, expr: E) -> Self::Node<E, NEGATED>;
}

/// `Kind` of a list of Rust values of type `T`.
pub struct ValueList<T>(core::marker::PhantomData<T>);
/// `Kind` of a subquery.
pub struct Subquery;

impl<I, T, ST> InList<ST, ValueList<T>> for I
where
    I: IntoIterator<Item = T>,
    ST: SqlType,
    T: crate::types::BindValue<ST::NotNull>,
{
    type Node<E, const NEGATED: bool> = crate::expression::EqAny<E, T, NEGATED>;
    fn in_list<E, const NEGATED: bool>(self, expr: E) -> Self::Node<E, NEGATED> {
        crate::expression::EqAny {
            expr,
            values: self.into_iter().collect(),
            marker: core::marker::PhantomData,
        }
    }
}

impl<Q, ST> InList<ST, Subquery> for Q
where
    Q: AsQuery,
    Q::Query: Query,
    <Q::Query as Query>::SqlType: OneColumnOf<ST>,
{
    type Node<E, const NEGATED: bool> = InSubquery<E, Q::Query, NEGATED>;
    fn in_list<E, const NEGATED: bool>(self, expr: E) -> Self::Node<E, NEGATED> {
        InSubquery {
            expr,
            query: self.as_query(),
        }
    }
}

crate::__impl_arithmetic_ops!([Q,] ScalarSubquery<Q>);
crate::__impl_arithmetic_ops!([E, Q, const NEGATED: bool,] InSubquery<E, Q, NEGATED>);
