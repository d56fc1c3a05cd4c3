//! A list of a table's columns by bare name: the column list of
//! `INSERT ... SELECT` and the conflict target of an upsert.

use crate::query_source::Column;
use crate::sql_text::Part;
use crate::sql_types::{SameSqlType, SqlType};

use super::{ColumnOf, FitsNullability};

/// A column of table `T`, or a tuple of them: `"a", "b"`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a column of `{T}` or a tuple of them",
    note = "name the written table's columns: `table::a` or `(table::a, table::b)`"
)]
pub trait ColumnList<T> {
    /// The names, separated by `, `.
    const NAMES: Part;
    /// The SQL types of the columns, nested like the list.
    type SqlType;
}

impl<T, C: Column + ColumnOf<T>> ColumnList<T> for C {
    const NAMES: Part = Part::Ident(C::NAME);
    type SqlType = C::SqlType;
}

/// A row of SQL type `Self` can be written to columns of SQL types
/// `Target`: the same types, nullability aside, and no NULL into a
/// `NOT NULL` column.
///
/// This is what makes `insert_into(t).from_select(t::id, users::table.select(users::name))`
/// fail to compile.
#[diagnostic::on_unimplemented(
    message = "rows of SQL type `{Self}` cannot be written to columns of SQL type `{Target}`",
    note = "the query must select one expression per column, in order, each of the column's type"
)]
pub trait RowFits<Target> {}

impl<S: SqlType, T: SqlType> RowFits<T> for S
where
    S::NotNull: SameSqlType<T::NotNull>,
    S::Nullability: FitsNullability<T::Nullability>,
{
}

macro_rules! column_tuples {
    ($($C:ident $S:ident),+) => {
        impl<T, $($C: ColumnList<T>),+> ColumnList<T> for ($($C,)+) {
            const NAMES: Part = Part::List(&[$($C::NAMES),+]);
            type SqlType = ($($C::SqlType,)+);
        }

        impl<$($C, $S: RowFits<$C>),+> RowFits<($($C,)+)> for ($($S,)+) {}
    };
}

macro_rules! all_column_tuples {
    ($($C:ident $S:ident),+) => {
        all_column_tuples!(@step [] $($C $S),+);
    };
    (@step [$($done:tt)*] $C:ident $S:ident $(, $($rest:tt)*)?) => {
        column_tuples!($($done)* $C $S);
        all_column_tuples!(@step [$($done)* $C $S,] $($($rest)*)?);
    };
    (@step [$($done:tt)*]) => {};
}

all_column_tuples!(
    C0 S0, C1 S1, C2 S2, C3 S3, C4 S4, C5 S5, C6 S6, C7 S7, C8 S8, C9 S9, C10 S10, C11 S11,
    C12 S12, C13 S13, C14 S14, C15 S15
);
