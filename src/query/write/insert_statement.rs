//! `INSERT INTO ... VALUES ...` and `INSERT INTO ... SELECT ...`.

use core::marker::PhantomData;

use crate::backend::Backend;
use crate::expression::{Compare, Expression, ValidIn, op};
use crate::query::{AsQuery, Query};
use crate::query_fragment::Binds;
use crate::query_fragment::QueryFragment;
use crate::query_source::{Column, NoFrom, Table};
use crate::sql_text::Part;
use crate::sql_types::{SameSqlType, SqlType};

use super::{
    Assign, Batch, ColumnList, ColumnOf, FitsNullability, NoConflict, NoReturning, Returnable,
    Returning, RowFits,
};

/// `insert_into(table)`: choose what to insert with
/// [`values`](InsertInto::values) or
/// [`from_select`](InsertInto::from_select).
#[derive(Debug, Clone, Copy)]
#[must_use = "an INSERT needs `.values(...)` or `.from_select(...)`"]
pub struct InsertInto<T> {
    table: T,
}

/// `INSERT INTO table`: the start of an insert.
///
/// ```
/// # quarry::table! { users (id) { id -> Integer, name -> Text, } }
/// use quarry::prelude::*;
/// let mut db = quarry::sqlite::Connection::open_in_memory()?;
/// db.execute_batch("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")?;
/// let n = quarry::insert_into(users::table)
///     .values((users::id.eq(1), users::name.eq("Ada")))
///     .execute(&mut db)?;
/// assert_eq!(n, 1);
/// # Ok::<(), quarry::Error>(())
/// ```
#[doc(alias = "insert")]
pub fn insert_into<T: Table>(table: T) -> InsertInto<T> {
    InsertInto { table }
}

/// The values of one row: the columns it names and its `VALUES` entry.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be written as a row of `VALUES` for {DB}",
    note = "rows come from `column.eq(value)`, tuples of them, and `#[derive(Insertable)]`"
)]
pub trait InsertRow<DB: Backend> {
    /// The column names, bare: `"a", "b"`.
    const COLUMNS: Part;
    /// The values, without parentheses: `?, ?`.
    const ROW: Part;
    /// Pushes the row's binds, in placeholder order.
    fn collect_row_binds<'a>(&'a self, out: &mut Binds<'a>);
}

impl<DB: Backend, C: Column, E: QueryFragment<DB>> InsertRow<DB> for Assign<C, E> {
    const COLUMNS: Part = Part::Ident(C::NAME);
    const ROW: Part = E::FRAG;
    fn collect_row_binds<'a>(&'a self, out: &mut Binds<'a>) {
        self.value.collect_binds(out);
    }
}

/// One row that can be inserted into table `T`: `column.eq(value)`, a tuple
/// of them, or `&row` of a `#[derive(Insertable)]` struct. Batches are
/// made of these.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be inserted into `{T}` as a row",
    label = "expected `column.eq(value)`, a tuple of them, or `&row` of a `#[derive(Insertable)]` struct"
)]
pub trait InsertableRow<T, I> {
    /// The row's values.
    type Row;
    /// Converts it.
    fn into_row(self) -> Self::Row;
}

/// What [`InsertInto::values`] takes: one row (`column.eq(value)`, a tuple
/// of them, `&row` of a `#[derive(Insertable)]` struct), or many (`&rows`
/// as a slice, `&Vec`, or array; a `Vec` of tuples).
///
/// This is what makes `insert_into(users::table).values(posts::title.eq("x"))`
/// fail to compile.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be inserted into `{T}`",
    label = "expected `column.eq(value)`, a tuple of them, `&row`, or `&rows`",
    note = "insert `&row` or `&rows` of a struct with `#[derive(Insertable)]` and `#[quarry(table = ...)]`, or `column.eq(value)` assignments of the table's columns"
)]
pub trait Insertable<T, I> {
    /// The `VALUES` clause: [`ValuesClause`] for one row, [`Batch`] for
    /// many.
    type Values;
    /// Converts it.
    fn into_values(self) -> Self::Values;
}

/// `(columns) VALUES (row)`: one row.
#[derive(Debug, Clone, Copy)]
pub struct ValuesClause<V>(pub(crate) V);

impl<V> ValuesClause<V> {
    /// Wraps one row; for the derive.
    #[doc(hidden)]
    pub fn new(row: V) -> Self {
        ValuesClause(row)
    }
}

impl<T, C, E, I> InsertableRow<T, I> for Compare<C, E, op::Eq>
where
    C: Column + ColumnOf<T>,
    E: Expression + ValidIn<NoFrom, I>,
    <E::SqlType as SqlType>::Nullability: FitsNullability<<C::SqlType as SqlType>::Nullability>,
    // `eq` compares numbers of different types; a column is written only
    // with its own.
    <E::SqlType as SqlType>::NotNull: SameSqlType<<C::SqlType as SqlType>::NotNull>,
{
    type Row = Assign<C, E>;
    fn into_row(self) -> Assign<C, E> {
        Assign::new(self.right)
    }
}

impl<T, C, E, I> Insertable<T, I> for Compare<C, E, op::Eq>
where
    Self: InsertableRow<T, I>,
{
    type Values = ValuesClause<<Self as InsertableRow<T, I>>::Row>;
    fn into_values(self) -> Self::Values {
        ValuesClause(self.into_row())
    }
}

macro_rules! row_tuples {
    ($($T:ident $I:ident $idx:tt),+) => {
        impl<DB: Backend, $($T: InsertRow<DB>),+> InsertRow<DB> for ($($T,)+) {
            const COLUMNS: Part = Part::List(&[$($T::COLUMNS),+]);
            const ROW: Part = Part::List(&[$($T::ROW),+]);
            fn collect_row_binds<'a>(&'a self, out: &mut Binds<'a>) {
                $(self.$idx.collect_row_binds(out);)+
            }
        }

        impl<Tbl, $($T: InsertableRow<Tbl, $I>, $I),+> InsertableRow<Tbl, ($($I,)+)> for ($($T,)+) {
            type Row = ($($T::Row,)+);
            fn into_row(self) -> Self::Row {
                ($(self.$idx.into_row(),)+)
            }
        }

        impl<Tbl, $($T: InsertableRow<Tbl, $I>, $I),+> Insertable<Tbl, ($($I,)+)> for ($($T,)+) {
            type Values = ValuesClause<($($T::Row,)+)>;
            fn into_values(self) -> Self::Values {
                ValuesClause(self.into_row())
            }
        }
    };
}

macro_rules! all_row_tuples {
    ($($T:ident $I:ident $idx:tt),+) => {
        all_row_tuples!(@step [] $($T $I $idx),+);
    };
    (@step [$($done:tt)*] $T:ident $I:ident $idx:tt $(, $($rest:tt)*)?) => {
        row_tuples!($($done)* $T $I $idx);
        all_row_tuples!(@step [$($done)* $T $I $idx,] $($($rest)*)?);
    };
    (@step [$($done:tt)*]) => {};
}

all_row_tuples!(
    A0 I0 0, A1 I1 1, A2 I2 2, A3 I3 3, A4 I4 4, A5 I5 5, A6 I6 6, A7 I7 7, A8 I8 8, A9 I9 9,
    A10 I10 10, A11 I11 11, A12 I12 12, A13 I13 13, A14 I14 14, A15 I15 15
);

impl<'a, T, I, R> Insertable<T, I> for &'a [R]
where
    &'a R: InsertableRow<T, I>,
{
    type Values = Batch<<&'a R as InsertableRow<T, I>>::Row>;
    fn into_values(self) -> Self::Values {
        Batch::new(self.iter().map(InsertableRow::into_row).collect())
    }
}

impl<'a, T, I, R> Insertable<T, I> for &'a Vec<R>
where
    &'a R: InsertableRow<T, I>,
{
    type Values = Batch<<&'a R as InsertableRow<T, I>>::Row>;
    fn into_values(self) -> Self::Values {
        self.as_slice().into_values()
    }
}

impl<'a, T, I, R, const N: usize> Insertable<T, I> for &'a [R; N]
where
    &'a R: InsertableRow<T, I>,
{
    type Values = Batch<<&'a R as InsertableRow<T, I>>::Row>;
    fn into_values(self) -> Self::Values {
        self.as_slice().into_values()
    }
}

impl<T, I, R> Insertable<T, I> for Vec<R>
where
    R: InsertableRow<T, I>,
{
    type Values = Batch<R::Row>;
    fn into_values(self) -> Self::Values {
        Batch::new(self.into_iter().map(InsertableRow::into_row).collect())
    }
}

/// `(columns) SELECT ...`: the rows of a query.
#[derive(Debug, Clone, Copy)]
pub struct FromSelect<Cols, Q> {
    columns: PhantomData<Cols>,
    query: Q,
}

impl<T: Table> InsertInto<T> {
    /// The row or rows to insert: `column.eq(value)` or a tuple of them,
    /// `&row` of a `#[derive(Insertable)]` struct, or `&rows` (a slice,
    /// `&Vec` or array of them; a `Vec` of tuples).
    ///
    /// Many rows are inserted with multi-row `VALUES` lists, split into
    /// statements under the backend's bind limit, all in one transaction.
    pub fn values<V, I>(self, values: V) -> InsertStatement<T, V::Values>
    where
        V: Insertable<T, I>,
    {
        InsertStatement {
            table: self.table,
            body: values.into_values(),
            on_conflict: NoConflict,
            returning: NoReturning,
        }
    }

    /// `INSERT INTO table (columns) SELECT ...`: inserts the rows of
    /// `query` into `columns`. The query must select one expression per
    /// column, of the column's type; a nullable one only into a nullable
    /// column.
    #[doc(alias = "insert select")]
    pub fn from_select<Cols, Q>(
        self,
        columns: Cols,
        query: Q,
    ) -> InsertStatement<T, FromSelect<Cols, Q::Query>>
    where
        Cols: ColumnList<T>,
        Q: AsQuery,
        Q::Query: Query,
        <Q::Query as Query>::SqlType: RowFits<Cols::SqlType>,
    {
        let _ = columns;
        InsertStatement {
            table: self.table,
            body: FromSelect {
                columns: PhantomData,
                query: query.as_query(),
            },
            on_conflict: NoConflict,
            returning: NoReturning,
        }
    }
}

/// An INSERT statement: into table `T`, the rows `B` ([`ValuesClause`],
/// [`Batch`] or [`FromSelect`]), an upsert clause `OC` and a RETURNING
/// clause `R`.
#[derive(Debug, Clone)]
#[must_use = "a statement does nothing until it is executed"]
pub struct InsertStatement<T, B, OC = NoConflict, R = NoReturning> {
    pub(crate) table: T,
    pub(crate) body: B,
    pub(crate) on_conflict: OC,
    pub(crate) returning: R,
}

impl<T, B, OC> InsertStatement<T, B, OC, NoReturning> {
    /// `RETURNING ...`: the inserted rows' columns (or expressions of
    /// them, or `Struct::as_select()`), loaded with `get_result` or `load`.
    pub fn returning<S, I>(self, selection: S) -> InsertStatement<T, B, OC, Returning<S, I>>
    where
        S: Returnable<T, I>,
    {
        InsertStatement {
            table: self.table,
            body: self.body,
            on_conflict: self.on_conflict,
            returning: Returning::new(selection),
        }
    }
}

/// What follows `INSERT INTO "table"`: the columns and rows.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be written as the rows of a single INSERT for {DB}",
    note = "a batch of rows runs with its own `execute` / `execute_async`"
)]
pub trait InsertBody<T, DB: Backend> {
    /// The SQL.
    const FRAG: Part;
    /// The binds.
    fn collect_body_binds<'a>(&'a self, out: &mut Binds<'a>);
}

impl<T, DB: Backend, V: InsertRow<DB>> InsertBody<T, DB> for ValuesClause<V> {
    const FRAG: Part = Part::Seq(&[
        Part::Str(" ("),
        V::COLUMNS,
        Part::Str(") VALUES ("),
        V::ROW,
        Part::Str(")"),
    ]);
    fn collect_body_binds<'a>(&'a self, out: &mut Binds<'a>) {
        self.0.collect_row_binds(out);
    }
}

impl<T, DB: Backend, Cols: ColumnList<T>, Q: QueryFragment<DB>> InsertBody<T, DB>
    for FromSelect<Cols, Q>
{
    const FRAG: Part = Part::Seq(&[Part::Str(" ("), Cols::NAMES, Part::Str(") "), Q::FRAG]);
    fn collect_body_binds<'a>(&'a self, out: &mut Binds<'a>) {
        self.query.collect_binds(out);
    }
}

impl<DB, T, B, OC, R> QueryFragment<DB> for InsertStatement<T, B, OC, R>
where
    DB: Backend,
    T: Table,
    B: InsertBody<T, DB>,
    OC: QueryFragment<DB>,
    R: QueryFragment<DB>,
{
    const FRAG: Part = Part::Seq(&[
        Part::Str("INSERT INTO "),
        Part::Ident(T::NAME),
        B::FRAG,
        OC::FRAG,
        R::FRAG,
    ]);
    fn collect_binds<'a>(&'a self, out: &mut Binds<'a>) {
        self.body.collect_body_binds(out);
        self.on_conflict.collect_binds(out);
        self.returning.collect_binds(out);
    }
}

impl<T, B, OC, S, I> Query for InsertStatement<T, B, OC, Returning<S, I>>
where
    S: Returnable<T, I>,
{
    type SqlType = S::SqlType;
}

impl<T, B, OC, R> AsQuery for InsertStatement<T, B, OC, R> {
    type Query = Self;
    fn as_query(self) -> Self {
        self
    }
}
