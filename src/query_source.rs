//! Tables, columns, and where a table sits in a FROM clause.

use core::marker::PhantomData;

use crate::backend::Backend;
use crate::expression::Expression;
use crate::query::select_clause::{OtherSelection, SelectKind, SelectionBy};
use crate::query_fragment::Binds;
use crate::query_fragment::QueryFragment;
use crate::sql_text::Part;
use crate::sql_types::{NotNull, Nullability};

/// A table declared with [`table!`](crate::table).
#[diagnostic::on_unimplemented(message = "`{Self}` is not a table declared with `table!`")]
pub trait Table: Copy + Default + 'static {
    /// The table's SQL name.
    const NAME: &'static str;
    /// The SQL names of every column, in declaration order.
    const COLUMN_NAMES: &'static [&'static str];
    /// Every column, in declaration order. Tables wider than 16 columns nest
    /// tuples of at most 16.
    type AllColumns: Copy;
    /// The value of `AllColumns`.
    const ALL_COLUMNS: Self::AllColumns;
    /// The SQL type of a row of every column, nested like `AllColumns`.
    type RowSqlType;
    /// The table's identity, a hash of its SQL name as a type, for the
    /// check that a join does not add a table twice.
    #[doc(hidden)]
    type Id;
    /// The identities of the other tables its references point at, for the
    /// check that a join by table name is not between two tables that
    /// reference each other.
    #[doc(hidden)]
    type References;
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
#[diagnostic::on_unimplemented(message = "`{Self}` is not a column declared with `table!`")]
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

// One blanket impl, so that a missing table is reported as `Locate` with
// its message, not as a list of every way a source can hold a table.
#[diagnostic::do_not_recommend]
impl<S, T, Idx, Col> Locate<T, Idx, Col> for S
where
    S: Position<T, Idx>,
{
    type Nullability = S::Nullability;
}

/// The impls behind [`Locate`]: a table or alias is at [`Here`] in itself;
/// a join delegates to its sides.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{T}` is not in this query's FROM clause",
    label = "`{T}` must be joined to this query first"
)]
pub trait Position<T, Idx> {
    /// See [`Locate::Nullability`].
    type Nullability: crate::sql_types::Nullability;
}

/// The position of a table that is the FROM clause itself.
#[derive(Debug, Clone, Copy)]
pub struct Here;

impl<T: Table> Position<T, Here> for T {
    type Nullability = NotNull;
}

/// Something that can stand in a FROM clause or be joined: a table, an
/// alias, or a join.
#[diagnostic::on_unimplemented(message = "`{Self}` cannot be used in a FROM clause")]
pub trait QuerySource {
    /// What `SELECT` lists when the query selects nothing itself: every
    /// column of every table, each table's columns together.
    const DEFAULT_SELECT: Part;
    /// The SQL type of a row of the default selection, with `N` added to
    /// every table's nullability (outer joins make whole tables optional).
    type DefaultRow<N: Nullability>;
}

/// A source's SQL for backend `DB`, without ` FROM `: `"users"`,
/// `"users" AS "boss"`, or a join with its conditions.
#[diagnostic::on_unimplemented(message = "`{Self}` cannot be written as SQL for {DB}")]
pub trait SourceSql<DB: Backend> {
    /// The source's SQL.
    const SOURCE: Part;
    /// ` FROM ` and the source, or nothing for a query without FROM.
    const FROM: Part = Part::Seq(&[Part::Str(" FROM "), Self::SOURCE]);
    /// The binds of the source (join conditions).
    fn collect_source_binds<'a>(&'a self, out: &mut Binds<'a>);
}

impl<T: Table> QuerySource for T {
    const DEFAULT_SELECT: Part = Part::Columns(T::NAME, T::COLUMN_NAMES);
    type DefaultRow<N: Nullability> = N::ApplyRow<T::RowSqlType>;
}

/// Every column of table (or alias) `T`: `posts::star`. On the optional side
/// of an outer join it loads as `Option<Row>`, `None` when no row matched.
pub struct Star<T>(PhantomData<T>);

impl<T> Star<T> {
    #[doc(hidden)]
    pub const NEW: Self = Star(PhantomData);
}

impl<T> Clone for Star<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Star<T> {}
impl<T> Default for Star<T> {
    fn default() -> Self {
        Star(PhantomData)
    }
}
impl<T> core::fmt::Debug for Star<T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Star")
    }
}

impl<T> SelectKind for Star<T> {
    type Kind = OtherSelection;
}

impl<From, I, T> SelectionBy<OtherSelection, From, I> for Star<T>
where
    T: QuerySource,
    From: Locate<T, I, Star<T>>,
{
    type SqlType = T::DefaultRow<From::Nullability>;
}

impl<T> crate::expression::grouping::Grouping<crate::expression::grouping::NoGroup, ()>
    for Star<T>
{
    type Kind = crate::expression::grouping::RowValue;
}

impl<DB: Backend, T: QuerySource> QueryFragment<DB> for Star<T> {
    const FRAG: Part = T::DEFAULT_SELECT;
    fn collect_binds<'a>(&'a self, _out: &mut Binds<'a>) {}
}

/// A query without a FROM clause, as in `SELECT EXISTS (...)`.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoFrom;
