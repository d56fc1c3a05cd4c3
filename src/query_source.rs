//! Tables, columns, and where a table sits in a FROM clause.

use crate::expression::Expression;
use crate::sql_types::NotNull;

/// A table declared with [`table!`](crate::table).
#[diagnostic::on_unimplemented(message = "`{Self}` is not a table declared with `table!`")]
pub trait Table: Copy + Default + 'static {
    /// The table's SQL name.
    const NAME: &'static str;
    /// Every column, in declaration order: the default selection. Tables
    /// wider than 16 columns nest tuples of at most 16.
    type AllColumns: Copy;
    /// The value of `AllColumns`.
    const ALL_COLUMNS: Self::AllColumns;
    /// Where `AllColumns` sit in the table: `Here` for each column, nested
    /// like `AllColumns`.
    type AllColumnsIdx;
}

/// A table with a primary key, which `find` looks up.
#[diagnostic::on_unimplemented(
    message = "table `{Self}` has no primary key, so `find` is not available",
    note = "declare the key after the table's name: `{Self} (id) {{ ... }}`"
)]
pub trait HasPrimaryKey: Table {
    /// The key column, or a tuple of columns for a composite key.
    type PrimaryKey: Copy + Default;
}

/// A column of table `Table`.
pub trait Column: Expression + Copy + Default + 'static {
    /// The table the column belongs to.
    type Table: Table;
    /// The column's SQL name.
    const NAME: &'static str;
}

/// Table `T` found in the FROM clause `Self`, at position `Idx`, for a use
/// of `Col` (a column of `T`, named in the error when `T` is missing).
///
/// `Idx` is inferred: [`Here`] for the table itself, and for a join, the
/// path to the side that holds `T`. Because rustc infers it, checking
/// membership needs no impl per pair of tables.
#[diagnostic::on_unimplemented(
    message = "`{Col}` cannot be used here: `{T}` is not in this query's FROM clause",
    label = "`{T}` must be joined to this query first"
)]
pub trait Locate<T, Idx, Col> {
    /// [`IsNull`](crate::sql_types::IsNull) when `T` sits on the optional
    /// side of an outer join.
    type Nullability: crate::sql_types::Nullability;
}

/// The position of a table that is the FROM clause itself.
#[derive(Debug, Clone, Copy)]
pub struct Here;

impl<T: Table, Col> Locate<T, Here, Col> for T {
    type Nullability = NotNull;
}

/// A query without a FROM clause, as in `SELECT EXISTS (...)`.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoFrom;
