//! quarry: SQL for Rust that the compiler checks.
//!
//! Declare tables with [`table!`], build queries from their columns, and
//! run them on SQLite or PostgreSQL. A column of a table that is not in the
//! query, a comparison of text with an integer, or a nullable column loaded
//! into a non-`Option` field does not compile. Each query's SQL text is
//! computed at build time; values are always bound parameters.
//!
//! ```
//! use quarry::prelude::*;
//!
//! quarry::table! {
//!     users (id) { id -> Integer, name -> Text, }
//! }
//!
//! fn main() -> Result<(), quarry::Error> {
//!     let mut db = quarry::sqlite::Connection::open_in_memory()?;
//!     db.execute_batch("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
//!                       INSERT INTO users VALUES (1, 'Ada');")?;
//!     let names: Vec<String> = users::table.select(users::name).filter(users::id.eq(1)).load(&mut db)?;
//!     assert_eq!(names, ["Ada"]);
//!     Ok(())
//! }
//! ```
//!
//! Where things are: [`prelude`] for the query methods
//! ([`QueryDsl`](query::QueryDsl), [`RunQueryDsl`](sqlite::RunQueryDsl) on
//! SQLite, [`RunQueryAsync`](pg::RunQueryAsync) on PostgreSQL); [`dsl`] for
//! aggregates and other SQL functions (`count_star`, `sum`, `avg`, ...);
//! [`insert_into`], [`update`] and [`delete`] for writes; [`sqlite`] and
//! [`pg`] for connections, pools and transactions. The repository's
//! `docs/guide/` goes through all of it in order, and has a table of
//! Diesel equivalents.
//!
//! | feature | adds |
//! |---|---|
//! | `chrono` | `Date`, `Time`, `Timestamp`, `Timestamptz` as chrono types |
//! | `uuid` | `Uuid` as `uuid::Uuid` |
//! | `serde_json` | `Json` as `serde_json::Value`, and `types::Json<T>` for `serde` types |
//! | `rust_decimal` | `Numeric` as `rust_decimal::Decimal` |
//! | `tls` | TLS for PostgreSQL connections (native-tls) |
// No unsafe code of ours. `deny`, not `forbid`, only so that the `smallbox!`
// expansion in `query::boxed` (a maintained crate's own unsafe, behind its
// `allow`) can store small boxed nodes inline.
#![deny(unsafe_code)]
// A typed DSL spells its state in types; and `is_null(self)` /
// `as_expression(self)` read as SQL, not as Rust conversions.
#![allow(clippy::type_complexity, clippy::wrong_self_convention)]
#![warn(missing_docs)]
// Without a backend feature quarry builds queries and prints their SQL
// only; the running machinery they share is then unused.
#![cfg_attr(
    not(any(feature = "sqlite", feature = "postgres")),
    allow(dead_code, unused_imports)
)]

pub mod backend;
mod computed;
pub mod debug_query;
pub mod deserialize;
pub mod dsl;
pub mod expression;
#[cfg(feature = "mysql")]
pub mod mysql;
mod optional;
pub mod pg;
pub mod query;
mod query_fragment;
pub mod query_source;
pub mod relations;
pub mod sql_text;
pub mod sql_types;
#[cfg(feature = "sqlite")]
pub mod sqlite;
mod tuples;
pub mod types;

#[cfg(feature = "mysql")]
pub use backend::Mysql;
pub use backend::{Backend, Pg, Sqlite};
pub use computed::{Computed, ComputedBody};
pub use debug_query::{DebugQuery, debug_query};
pub use expression::not;
pub use optional::OptionalExtension;
/// SQL text that the compiler checks, without a database: the query the
/// DSL would build, so it runs on SQLite and PostgreSQL alike.
///
/// `{expr}` is a parameter, as in `format!` (a captured name, any Rust
/// expression, or `name = expr` after the text); it is bound with the SQL
/// type of the column it is compared with. Tables and columns are the
/// `table!` declarations in scope; with several tables in FROM, columns are
/// qualified. A table used twice needs an alias (it becomes
/// [`alias!`](crate::alias!)). Reads SELECT (joins, WHERE, GROUP BY,
/// HAVING, ORDER BY, LIMIT, OFFSET, DISTINCT, subqueries, one CTE, UNION /
/// INTERSECT / EXCEPT, CASE, CAST) and INSERT, UPDATE and DELETE with
/// RETURNING; anything else is a compile error that says so.
///
/// ```
/// # quarry::table! { posts (id) { id -> Integer, title -> Text, views -> Integer, } }
/// use quarry::prelude::*;
/// let min = 10;
/// let query = quarry::sql!("SELECT title FROM posts WHERE views > {min} ORDER BY id");
/// let dsl = posts::table.filter(posts::views.gt(min)).select(posts::title).order(posts::id);
/// assert_eq!(quarry::debug_query::<Sqlite, _>(query).sql(), quarry::debug_query::<Sqlite, _>(dsl).sql());
/// ```
///
/// A column the table does not have is an error on the literal:
///
/// ```compile_fail
/// # quarry::table! { posts (id) { id -> Integer, title -> Text, views -> Integer, } }
/// // error: column `titel` (line 1, column 8) does not exist in `posts`; did you mean `title`?
/// let query = quarry::sql!("SELECT titel FROM posts");
/// ```
pub use quarry_macros::sql;
/// Declares one or more tables: a module per table with a `table` value,
/// one value per column, `all_columns` and `star`.
///
/// # Grammar
///
/// ```text
/// table!  := item*
/// item    := attr* name [ "(" key, ... ")" ] "{" entry, ... [","] "}"
/// entry   := attr* column "->" type [ "references" other "(" col ")" [ "as" name ] ]
///          | "foreign" "key" "(" col, ... ")" "references" other "(" col, ... ")" [ "as" name ]
/// type    := SmallInt | Integer | BigInt | Float | Double | Numeric | Text | Bool | Binary
///          | Date | Time | Timestamp | Timestamptz | Uuid | Json
///          | "Nullable<" type ">" | "Array<" type ">" | a::path::To<SqlType>
/// attr    := "///" doc comment | "#[sql_name = "..."]"
/// ```
///
/// A complete declaration, with every part of the grammar:
///
/// ```
/// quarry::table! {
///     /// Doc comments pass through to the generated modules.
///     #[sql_name = "app_users"] // the table's name in SQL, when it differs
///     users (id) {
///         id -> Integer,
///         name -> Text,
///         /// `Nullable<T>`: loads as `Option<_>`.
///         #[sql_name = "e_mail"]
///         email -> Nullable<Text>,
///         r#type -> Text, // a Rust keyword as a column name
///     }
///
///     posts (id) {
///         id -> Integer,
///         // A reference: `posts.inner_join(users)` follows it. Two references to the
///         // same table need names (`as editor`), used as `posts::editor` in joins.
///         author_id -> Integer references users(id) as author,
///         editor_id -> Nullable<Integer> references users(id) as editor,
///         title -> Text,
///     }
///
///     // A composite primary key: `find((order_id, line_no))` takes a tuple.
///     order_lines (order_id, line_no) {
///         order_id -> Integer,
///         line_no -> SmallInt,
///         product_id -> Integer,
///         variant -> Text,
///         // A composite foreign key is declared at the table level and needs a name.
///         foreign key (product_id, variant) references product_variants(product_id, variant) as product_variant,
///     }
///
///     product_variants (product_id, variant) {
///         product_id -> Integer,
///         variant -> Text,
///     }
///
///     // No primary key (a view, a log): `find` is not available.
///     audit_log {
///         at -> BigInt,
///         message -> Text,
///     }
/// }
///
/// use quarry::prelude::*;
///
/// fn main() {
///     let q = users::table.select(users::email).filter(users::r#type.eq("admin"));
///     assert_eq!(
///         quarry::debug_query::<quarry::Sqlite, _>(q).sql(),
///         r#"SELECT "app_users"."e_mail" FROM "app_users" WHERE "app_users"."type" = ?"#
///     );
///     let q = posts::table.inner_join(posts::editor).select((posts::title, users::name));
///     assert_eq!(
///         quarry::debug_query::<quarry::Pg, _>(q).sql(),
///         r#"SELECT "posts"."title", "app_users"."name" FROM "posts" INNER JOIN "app_users" ON "posts"."editor_id" = "app_users"."id""#
///     );
/// }
/// ```
///
/// `Array<T>` columns exist on PostgreSQL only; a query that uses one does
/// not compile for SQLite:
///
/// ```
/// quarry::table! {
///     articles (id) {
///         id -> Integer,
///         tags -> Array<Text>,
///         scores -> Nullable<Array<Nullable<Integer>>>,
///     }
/// }
/// # use quarry::prelude::*;
/// let _ = articles::table.select(articles::tags);
/// ```
///
/// Each table module has `table`, the columns, `all_columns` (a tuple, the
/// default selection) and `star` (`table.*`); `quarry print-schema` writes
/// these declarations from a live database.
///
/// A type name `table!` does not know is a compile error on that name,
/// suggesting the SQL type meant (`String` → `Text`); every mistake in one
/// call is reported at once.
pub use quarry_macros::table;
pub use quarry_macros::{
    AsChangeset, Identifiable, Insertable, Queryable, Related, Selectable, SqlEnum, SqlNewtype,
    SqlType,
};
/// Migrations: the folder format, the applied-migrations table and the
/// runner behind `quarry migration run` and [`embed_migrations!`].
pub use quarry_migrate as migrate;

/// Compiles a migrations folder (relative to the crate's `Cargo.toml`) into
/// the binary, with each `up.sql`'s checksum computed at build time. The
/// files go in through `include_str!`, so editing one rebuilds the crate;
/// a new migration folder is noticed at the next rebuild (a `build.rs` with
/// `println!("cargo:rerun-if-changed=migrations");` makes that automatic).
///
/// ```
/// const MIGRATIONS: quarry::migrate::EmbeddedMigrations =
///     quarry::embed_migrations!("tests/migrations");
///
/// let mut conn = quarry::sqlite::Connection::open_in_memory()?;
/// let applied = MIGRATIONS.run_pending(&mut conn)?;
/// assert_eq!(applied.len(), 2);
/// // On PostgreSQL: `MIGRATIONS.run_pending_async(&pool).await?` with a `quarry::pg::Pool`;
/// // on MariaDB/MySQL: `MIGRATIONS.run_pending_mysql(&pool).await?` with a `quarry::mysql::Pool`.
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub use quarry_macros::embed_migrations;
pub use quarry_runtime::{
    Error, ParamType, Result, SlowQuery, TypedSql, Value, clear_slow_query_hook,
    set_slow_query_hook,
};
pub use quarry_runtime::{ScopeGuard, Scoped, StatementCount, StatementReport, StatementScope};
pub use query::{Alias, AliasName};
pub use query::{delete, excluded, exists, insert_into, select, update};
pub use query_fragment::{Binds, QueryFragment, StaticSql};

/// Everything a query needs in scope: `use quarry::prelude::*;`.
pub mod prelude {
    pub use crate::backend::{Pg, Sqlite};
    pub use crate::expression::{BoolExpressionMethods, ExpressionMethods, TextExpressionMethods};
    pub use crate::optional::OptionalExtension;
    #[cfg(feature = "postgres")]
    pub use crate::pg::RunQueryAsync;
    pub use crate::pg::{PgQueryDsl, PgTextExpressionMethods};
    pub use crate::query::{AsQuery, FindDsl, JoinOnDsl, LabelMethods, QueryDsl, SetOperationDsl};
    pub use crate::relations::{BelongingToDsl, GroupedByDsl};
    #[cfg(feature = "sqlite")]
    pub use crate::sqlite::RunQueryDsl;
    pub use crate::{
        AsChangeset, Identifiable, Insertable, Queryable, Related, Selectable, SqlEnum, SqlNewtype,
        Value, exists, not, select,
    };
}

// The documentation's shared setup: the `__doc_setup!` macro.
mod doc_setup;

/// Items the macros' generated code uses. Not part of the public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::backend::Backend;
    pub use crate::backend::check_field;
    pub use crate::computed::computed_over;
    pub use crate::deserialize::{FromRow, RowReader};
    pub use crate::expression::declare_function::{ArgsGrouping, ArgsValidIn};
    pub use crate::expression::grouping::{
        And, B0, B1, ByKey, CombineAll, Constant, Determined, Determines, Exact, False, Group,
        GroupHas, GroupedId, Grouping, IdEnd, IdEq, NoGroup, Or, RowValue, True,
    };
    pub use crate::expression::{AsExpression, Expression, TypeIn, ValidIn};
    pub use crate::expression::{arithmetic, negate};
    pub use crate::pg::SupportsArrays;
    pub use crate::query::joined_once::{
        AMarker, Digits, End, JoinedKind, NewIn, NoRefs, RefTo, X0, X1, X2, X3, X4, X5, X6, X7, X8,
        X9, XA, XB, XC, XD, XE, XF,
    };
    pub use crate::query::query_dsl::{FindKey, key_and, key_eq};
    pub use crate::query::{
        AsChangeset, Assign, Insertable, InsertableRow, IntoUpdateTarget, ValuesClause, Where,
        WriteTarget, assert_primary_key, assign_field, check_bind, key_field, set_if_some,
        set_if_some_nullable, where_clause,
    };
    pub use crate::query::{
        AsSelect, Backward, Forward, JoinTarget, JoinedOnce, JoinsTo, OnScope, OneOf, Selection,
        check_reference,
    };
    pub use crate::query_fragment::{Binds, QueryFragment, sql_of};
    pub use crate::query_source::{Column, HasPrimaryKey, Locate, Table};
    pub use crate::relations::{ChildOf, FieldOf, Reference, Related};
    pub use crate::sql_text::Part;
    pub use crate::sql_types::{self, Nullability, SqlType};
    pub use quarry_macros::sql_unknown_column;
    pub use quarry_runtime::{Error, Value};
    #[cfg(feature = "rust_decimal")]
    pub use rust_decimal::Decimal;

    /// The statement a table or query builds, for `const_sql!`.
    pub fn into_statement<Q: crate::query::AsQuery>(q: Q) -> Q::Query {
        q.as_query()
    }
}

/// The guide's chapters, compiled and run as doctests.
#[cfg(doctest)]
pub mod guide;

/// The README's examples, compiled and run as doctests. One runs on
/// PostgreSQL, so they need its feature (CI's full-feature run).
#[cfg(all(doctest, feature = "postgres"))]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
