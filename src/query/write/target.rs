//! What UPDATE and DELETE write: a table, a filtered table, or one row by
//! its primary key.

use crate::expression::{Bound, Compare, op};
use crate::query::{
    DefaultSelect, NoDistinct, NoLimit, NoOffset, NoOrder, NoWhere, SelectStatement,
};
use crate::query_source::{Column, HasPrimaryKey, Table};

/// The rows an UPDATE or DELETE writes: a table (every row), a table with
/// `filter` calls (`users::table.filter(...)`), or `&row` of a struct with
/// `#[derive(Identifiable)]` (the row with its primary key).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the target of an UPDATE or DELETE",
    label = "expected a table, `table.filter(...)`, or `&row`",
    note = "a filtered table must not select, order or limit; `&row` needs `#[derive(Identifiable)]` on the row's struct"
)]
pub trait IntoUpdateTarget {
    /// The table written.
    type Table: Table;
    /// The WHERE clause.
    type Where;
    /// Splits it.
    fn into_update_target(self) -> (Self::Table, Self::Where);
}

impl<T: Table> IntoUpdateTarget for T {
    type Table = T;
    type Where = NoWhere;
    fn into_update_target(self) -> (T, NoWhere) {
        (self, NoWhere)
    }
}

impl<T: Table, W> IntoUpdateTarget
    for SelectStatement<T, DefaultSelect, (), W, NoOrder, NoLimit, NoOffset, NoDistinct>
{
    type Table = T;
    type Where = W;
    fn into_update_target(self) -> (T, W) {
        (self.from, self.where_clause)
    }
}

/// Columns `Self` are the primary key of table `T`, in its order.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not the primary key of `{T}`",
    note = "`#[quarry(primary_key(...))]` lists the key's columns in the order `table!` declares them"
)]
pub trait PrimaryKeyOf<T> {}

impl<T: HasPrimaryKey> PrimaryKeyOf<T> for T::PrimaryKey {}

/// Checks that the derive's key columns are `T`'s primary key.
#[doc(hidden)]
pub fn assert_primary_key<T: HasPrimaryKey, K: PrimaryKeyOf<T>>() {}

/// `"table"."key" = ?` for one key field of `&row`; for the derive.
#[doc(hidden)]
pub fn key_field<C: Column, V>(column: C, value: V) -> Compare<C, Bound<C::SqlType, V>, op::Eq> {
    Compare {
        left: column,
        right: Bound::new(value),
        op: op::Eq,
    }
}

/// `WHERE predicate`, for the derive.
#[doc(hidden)]
pub fn where_clause<P>(predicate: P) -> crate::query::Where<P> {
    crate::query::Where(predicate)
}
