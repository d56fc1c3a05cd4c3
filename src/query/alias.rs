//! Aliases: the same table twice in one query, and self-joins.

use core::marker::PhantomData;

use crate::backend::Backend;
use crate::expression::{Expression, ValidIn};
use crate::query_fragment::Binds;
use crate::query_fragment::QueryFragment;
use crate::query_source::{Column, Here, Locate, Position, QuerySource, SourceSql, Star, Table};
use crate::sql_text::Part;
use crate::sql_types::{NotNull, Nullability};

/// The name of an alias and the table it stands for. [`alias!`](crate::alias)
/// declares one.
#[diagnostic::on_unimplemented(message = "`{Self}` is not an alias declared with `alias!`")]
pub trait AliasName: Copy + Default + 'static {
    /// The alias's SQL name.
    const NAME: &'static str;
    /// The aliased table.
    type Table: Table;
}

/// Table `N::Table` under the name `N::NAME`: `"employees" AS "boss"`.
/// Its columns are `boss.field(employees::name)`; they are checked against
/// the FROM clause like a table's.
pub struct Alias<N>(PhantomData<N>);

impl<N> Clone for Alias<N> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<N> Copy for Alias<N> {}
impl<N> Default for Alias<N> {
    fn default() -> Self {
        Alias(PhantomData)
    }
}
impl<N: AliasName> core::fmt::Debug for Alias<N> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Alias({} AS {})", <N::Table as Table>::NAME, N::NAME)
    }
}

impl<N: AliasName> Alias<N> {
    #[doc(hidden)]
    pub const NEW: Self = Alias(PhantomData);

    /// Column `column` of the aliased table, under the alias.
    pub fn field<C>(self, column: C) -> Aliased<N, C>
    where
        C: Column<Table = N::Table>,
    {
        let _ = column;
        Aliased(PhantomData)
    }

    /// Every column of the aliased table, under the alias.
    pub fn star(self) -> Star<Self> {
        Star::NEW
    }
}

impl<N: AliasName> Position<Alias<N>, Here> for Alias<N> {
    type Nullability = NotNull;
}

impl<N: AliasName> QuerySource for Alias<N> {
    const DEFAULT_SELECT: Part = Part::Columns(N::NAME, <N::Table as Table>::COLUMN_NAMES);
    type DefaultRow<M: Nullability> = M::ApplyRow<<N::Table as Table>::RowSqlType>;
}

impl<DB: Backend, N: AliasName> SourceSql<DB> for Alias<N> {
    const SOURCE: Part = Part::Seq(&[
        Part::Ident(<N::Table as Table>::NAME),
        Part::Str(" AS "),
        Part::Ident(N::NAME),
    ]);
    fn collect_source_binds<'a>(&'a self, _out: &mut Binds<'a>) {}
}

/// Column `C` read through alias `N`: `"boss"."name"`.
pub struct Aliased<N, C>(PhantomData<(N, C)>);

impl<N, C> Clone for Aliased<N, C> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<N, C> Copy for Aliased<N, C> {}
impl<N, C> Default for Aliased<N, C> {
    fn default() -> Self {
        Aliased(PhantomData)
    }
}

impl<N, C: Expression> Expression for Aliased<N, C> {
    type SqlType = C::SqlType;
}

impl<From, I, N: AliasName, C> ValidIn<From, I> for Aliased<N, C>
where
    From: Locate<Alias<N>, I, Aliased<N, C>>,
{
    type Nullability = From::Nullability;
}

impl<N, C> crate::expression::grouping::Grouping<crate::expression::grouping::NoGroup, ()>
    for Aliased<N, C>
{
    type Kind = crate::expression::grouping::RowValue;
}

crate::__impl_grouped_exactly!([N, C,] Aliased<N, C>);

impl<DB: Backend, N: AliasName, C: Column> QueryFragment<DB> for Aliased<N, C> {
    const FRAG: Part = Part::Seq(&[Part::Ident(N::NAME), Part::Str("."), Part::Ident(C::NAME)]);
    fn collect_binds<'a>(&'a self, _out: &mut Binds<'a>) {}
}

/// Declares an alias of a table and evaluates to it:
/// `let boss = quarry::alias!(employees as boss);`. Each use declares a
/// distinct alias, so the same table can appear twice in one query.
///
/// ```
/// use quarry::prelude::*;
/// quarry::table! { employees (id) { id -> Integer, name -> Text, manager_id -> Nullable<Integer>, } }
/// let boss = quarry::alias!(employees as boss);
/// let q = employees::table
///     .left_join(boss.on(employees::manager_id.eq(boss.field(employees::id))))
///     .select((employees::name, boss.field(employees::name)));
/// assert_eq!(
///     quarry::debug_query::<Sqlite, _>(q).sql(),
///     r#"SELECT "employees"."name", "boss"."name" FROM "employees" LEFT JOIN "employees" AS "boss" ON "employees"."manager_id" = "boss"."id""#
/// );
/// ```
#[macro_export]
macro_rules! alias {
    ($table:ident as $name:ident) => {{
        #[allow(non_camel_case_types)]
        #[derive(Debug, Clone, Copy, Default)]
        struct $name;
        impl $crate::query::AliasName for $name {
            const NAME: &'static str = stringify!($name);
            type Table = $table::table;
        }
        $crate::query::Alias::<$name>::NEW
    }};
}

crate::__impl_arithmetic_ops!([N, C,] Aliased<N, C>);
