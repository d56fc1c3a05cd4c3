//! Derived tables: a subquery in FROM, `(SELECT ...) AS name`.
//!
//! The derived table's shape is declared with [`table!`](crate::table) like
//! any table, so the outer query selects, filters, groups and joins its
//! columns with their types, and the subquery must return rows of exactly
//! that shape. The subquery's columns are named after the declared ones:
//! PostgreSQL names them in the alias, `AS name(a, b)`; SQLite has no such
//! syntax, so there the subquery is a CTE inside the derived table,
//! `(WITH quarry_derived(a, b) AS (...) SELECT * FROM quarry_derived) AS
//! name`. The CTE has a name of its own: under the table's name, a
//! subquery reading the table of that name (the latest `posts` as `posts`)
//! would read itself.

use core::marker::PhantomData;

use crate::backend::Backend;
use crate::query::{AsQuery, OuterScope, Query};
use crate::query_fragment::Binds;
use crate::query_fragment::QueryFragment;
use crate::query_source::{Here, Position, QuerySource, SourceSql, Table};
use crate::sql_text::Part;
use crate::sql_types::{NotNull, Nullability};

/// Subquery `Q` in FROM under the name of table `T`, whose columns are the
/// subquery's. Make one with [`derived`].
#[derive(Debug, Clone, Copy)]
pub struct Derived<T, Q> {
    query: Q,
    table: PhantomData<T>,
}

/// `(query) AS table`: a derived table, read through `table`'s columns.
/// `table` is declared with `table!` and describes the rows of `query`;
/// the two row types must be the same.
///
/// ```
/// use quarry::prelude::*;
/// use quarry::expression::count_star;
/// quarry::table! {
///     posts (id) { id -> Integer, author_id -> Integer, }
///     post_counts (author_id) { author_id -> Integer, n -> BigInt, }
/// }
/// let counts = quarry::query::derived(
///     post_counts::table,
///     posts::table.group_by(posts::author_id).select((posts::author_id, count_star())),
/// );
/// let q = counts.filter(post_counts::n.gt(1_i64)).select(post_counts::author_id);
/// assert_eq!(
///     quarry::debug_query::<Pg, _>(q).sql(),
///     r#"SELECT "post_counts"."author_id" FROM (SELECT "posts"."author_id", COUNT(*) FROM "posts" GROUP BY "posts"."author_id") AS "post_counts"("author_id", "n") WHERE "post_counts"."n" > $1"#
/// );
/// ```
pub fn derived<T, Q>(table: T, query: Q) -> Derived<T, Q::Query>
where
    T: Table,
    Q: AsQuery,
    Q::Query: Query,
    <Q::Query as Query>::SqlType: RowsOf<T::RowSqlType>,
{
    let _ = table;
    Derived {
        query: query.as_query(),
        table: PhantomData,
    }
}

/// A subquery's row type that is the declared row type `Table`.
#[diagnostic::on_unimplemented(
    message = "the subquery returns rows of `{Self}`, but its derived table declares `{Table}`",
    label = "the subquery's rows do not match the derived table's columns",
    note = "select the derived table's columns in order, with the same SQL types"
)]
pub trait RowsOf<Table> {}
impl<T> RowsOf<T> for T {}

/// The derived table's columns are those of `T`.
impl<T: Table, Q> Position<T, Here> for Derived<T, Q> {
    type Nullability = NotNull;
}

/// The derived table itself, for the check that a join adds it once.
impl<T: Table, Q> Position<Derived<T, Q>, Here> for Derived<T, Q> {
    type Nullability = NotNull;
}

/// A subquery reading a derived table is uncorrelated: it may appear in
/// any query, as `scalar(..)`, `eq_any(..)` or `exists(..)`. (The derived
/// table's own subquery cannot use the outer query's columns; that would
/// be a `LATERAL` join.)
impl<From, T, Q> OuterScope<From, ()> for Derived<T, Q> {}

impl<T: Table, Q> QuerySource for Derived<T, Q> {
    const DEFAULT_SELECT: Part = Part::Columns(T::NAME, T::COLUMN_NAMES);
    type DefaultRow<N: Nullability> = N::ApplyRow<T::RowSqlType>;
}

/// The name of the CTE that names a derived table's columns on SQLite. It
/// is seen only inside the derived table, so nested ones do not clash.
const CTE_NAME: &str = "quarry_derived";

impl<DB: Backend, T: Table, Q: QueryFragment<DB>> SourceSql<DB> for Derived<T, Q> {
    const SOURCE: Part = Part::ByDialect(&[
        // SQLite
        Part::Seq(&[
            Part::Str("(WITH "),
            Part::Ident(CTE_NAME),
            Part::Paren(&Part::Columns("", T::COLUMN_NAMES)),
            Part::Str(" AS "),
            Part::Paren(&Q::FRAG),
            Part::Str(" SELECT * FROM "),
            Part::Ident(CTE_NAME),
            Part::Str(") AS "),
            Part::Ident(T::NAME),
        ]),
        // PostgreSQL
        Part::Seq(&[
            Part::Paren(&Q::FRAG),
            Part::Str(" AS "),
            Part::Ident(T::NAME),
            Part::Paren(&Part::Columns("", T::COLUMN_NAMES)),
        ]),
        // MariaDB/MySQL: no column list after a derived table's alias
        // (MariaDB 10.11), so named by a CTE as on SQLite.
        Part::Seq(&[
            Part::Str("(WITH "),
            Part::Ident(CTE_NAME),
            Part::Paren(&Part::Columns("", T::COLUMN_NAMES)),
            Part::Str(" AS "),
            Part::Paren(&Q::FRAG),
            Part::Str(" SELECT * FROM "),
            Part::Ident(CTE_NAME),
            Part::Str(") AS "),
            Part::Ident(T::NAME),
        ]),
    ]);
    fn collect_source_binds<'a>(&'a self, out: &mut Binds<'a>) {
        self.query.collect_binds(out);
    }
}
