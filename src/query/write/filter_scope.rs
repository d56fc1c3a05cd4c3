//! The scope of an UPDATE's or a DELETE's `filter`: the one table the
//! statement writes. A condition that names a column of another table gets
//! a message in the statement's terms, not the SELECT wording ("not in
//! this query's FROM clause").

use crate::query::Condition;
use crate::query_source::{Here, Position, Table};
use crate::sql_types::NotNull;

/// `(Updated, T)`: the table `T` as the scope of `update(T).filter(..)`.
#[derive(Debug, Clone, Copy)]
pub struct Updated;

/// `(DeletedFrom, T)`: the table `T` as the scope of
/// `delete(T).filter(..)`.
#[derive(Debug, Clone, Copy)]
pub struct DeletedFrom;

// A column of `T` is found in the scope; any other fails `Locate`, which
// `UpdateCondition` words. A tuple rather than a struct of its own, so that
// it cannot be a table.
impl<T: Table> Position<T, Here> for (Updated, T) {
    type Nullability = NotNull;
}

impl<T: Table> Position<T, Here> for (DeletedFrom, T) {
    type Nullability = NotNull;
}

/// `P` is a condition on the columns of `T`, the table an UPDATE changes.
///
/// A column of another table fails `Locate` for `(Updated, T)`, and rustc
/// words an error whose failing type is the one this bound is on in this
/// trait's terms: this is what makes
/// `update(posts::table).filter(comments::body.eq(""))` say which table
/// the UPDATE changes. (The column is named on the `help` line.)
#[diagnostic::on_unimplemented(
    message = "this filter reads a column that is not a column of `{T}`, the table this UPDATE changes",
    label = "an UPDATE's `filter` reads only `{T}`",
    note = "to filter by another table, compare with a subquery: `eq_any(..)` or `exists(..)`"
)]
pub trait UpdateCondition<T, P, I> {}
// For any `S` rather than `(Updated, T)`: rustc then shows no impl of it
// beside the error, which is about the condition.
impl<S, T, P, I> UpdateCondition<T, P, I> for S where P: Condition<S, I> {}

/// `P` is a condition on the columns of `T`, the table a DELETE removes
/// rows from. See [`UpdateCondition`].
#[diagnostic::on_unimplemented(
    message = "this filter reads a column that is not a column of `{T}`, the table this DELETE removes rows from",
    label = "a DELETE's `filter` reads only `{T}`",
    note = "to filter by another table, compare with a subquery: `eq_any(..)` or `exists(..)`"
)]
pub trait DeleteCondition<T, P, I> {}
impl<S, T, P, I> DeleteCondition<T, P, I> for S where P: Condition<S, I> {}
