//! MariaDB and MySQL: the asynchronous backend over `mysql_async`
//! (feature `mysql`).
//!
//! The same query values that run on SQLite and PostgreSQL run here, with
//! [`RunQueryAsync`]'s `load_async`, `get_result_async`, `first_async` and
//! `execute_async`, on a [`Connection`], a [`PooledConnection`] or a
//! [`Pool`]. What MariaDB lacks (FULL JOIN, DISTINCT ON, `UPDATE ...
//! RETURNING`, ILIKE, arrays, PostgreSQL's JSON operators, row locks of
//! PostgreSQL's kinds, ordering by a selected column's position) does not
//! compile for this backend.
//!
//! Text comparisons follow the column's collation: under MariaDB's
//! default (`utf8mb4_general_ci` and the like) `name.eq("ada")` matches
//! `"Ada"`, and `LIKE` ignores case too. Declare text columns (or the
//! database) with `utf8mb4_nopad_bin` for the exact comparisons SQLite and
//! PostgreSQL make. A plain `_bin` collation such as `utf8mb4_bin` is not
//! enough: it tells case apart but is PAD SPACE, so trailing spaces are
//! ignored and `name.eq("a")` matches `"a "` (MariaDB 10.2 and later have
//! the `_nopad_bin` collations; `LIKE` pads under neither).
//!
//! `quarry::prelude` brings PostgreSQL's `RunQueryAsync`, whose methods
//! have the same names: import this module's by name after the prelude
//! (`use quarry::prelude::*; use quarry::mysql::RunQueryAsync;`), which
//! shadows the prelude's. Batch inserts, boxed queries and eager loads run
//! through [`BatchInsertMysql`], [`BoxedMysql`] and [`EagerMysql`],
//! called through the trait.
//!
//! ```no_run
//! use quarry::mysql::RunQueryAsync;
//! use quarry::query::QueryDsl;
//! use quarry::expression::ExpressionMethods;
//! # quarry::table! { users (id) { id -> Integer, name -> Text, } }
//! # async fn demo() -> Result<(), quarry::Error> {
//! let pool = quarry::mysql::Pool::connect("mysql://root@127.0.0.1:3306/app").await?;
//! let names: Vec<String> = users::table
//!     .select(users::name)
//!     .filter(users::id.eq_any([1, 2, 3]))
//!     .load_async(&pool)
//!     .await?;
//! # let _ = names; Ok(()) }
//! ```

mod decode;
mod run;
mod sql_value;

pub use crate::query::BatchInsertMysql;
pub use crate::query::BoxedMysql;
pub use crate::relations::EagerMysql;
pub use quarry_runtime::mysql::{
    Connection, IsolationLevel, Pool, PoolConfig, PoolStatus, PooledConnection, Row, ServerError,
    TransactionOptions, mysql_async,
};
pub use run::{ConnectionRef, Executor, QueryFuture, RunQueryAsync};
#[doc(hidden)]
pub use sql_value::decode_sql_value;

/// One column of a MariaDB/MySQL row, as
/// [`FromSql`](crate::deserialize::FromSql) receives it.
#[derive(Clone, Copy)]
pub struct RawValue<'a> {
    /// The row.
    pub row: &'a Row,
    /// The column's index, from 0.
    pub index: usize,
}

impl RawValue<'_> {
    /// Whether the value is SQL `NULL`.
    pub fn is_null(&self) -> bool {
        matches!(self.get(), mysql_async::Value::NULL)
    }
}
