//! PostgreSQL: the asynchronous backend (tokio-postgres, pooled by deadpool).
//!
//! The connection, the pool and the run methods need the `postgres` Cargo
//! feature; the PostgreSQL-only query methods (`ilike`, `distinct_on`, row
//! locks, JSON operators, arrays) are always there, since building a query
//! and printing its SQL needs no driver.
//!
//! The same query values that run on SQLite run here, with
//! [`RunQueryAsync`]'s `load_async`, `get_result_async`, `first_async` and
//! `execute_async`. They take a [`Connection`], a [`PooledConnection`] or a
//! [`Pool`] (which runs the statement on a connection it shares between
//! statements, pipelined: [`Pool::shared`]): see
//! [`Executor`]. Statements are prepared once per connection, cached by
//! their SQL text, and queries started concurrently on one connection are
//! pipelined.
//!
#![cfg_attr(feature = "postgres", doc = "```no_run")]
#![cfg_attr(not(feature = "postgres"), doc = "```ignore")]
//! use quarry::prelude::*;
//! # quarry::table! { users (id) { id -> Integer, name -> Text, } }
//! # async fn demo() -> Result<(), quarry::Error> {
//! let pool = quarry::pg::Pool::connect("postgres://postgres@127.0.0.1:5432/app").await?;
//! let names: Vec<String> = users::table
//!     .select(users::name)
//!     .filter(users::id.eq_any([1, 2, 3]))
//!     .load_async(&pool)
//!     .await?;
//!
//! let conn = pool.get().await?;
//! let first: (i32, String) = users::table.order(users::id).first_async(&conn).await?;
//! # let _ = (names, first); Ok(()) }
//! ```

mod array;
mod array_ops;
#[cfg(feature = "postgres")]
mod batch_executor;
#[cfg(feature = "postgres")]
mod copy_in;
#[cfg(feature = "postgres")]
mod decode;
mod distinct_on;
mod ilike;
mod json_ops;
#[cfg(feature = "postgres")]
mod load_stream;
mod locking;
mod query_dsl;
#[cfg(feature = "postgres")]
mod run;
#[cfg(feature = "postgres")]
mod sql_value;

#[cfg(feature = "postgres")]
pub use array::ArrayElement;
pub use array::SupportsArrays;
pub use array_ops::{
    AnyElement, AnyElementMethods, ArrayContainedBy, ArrayContains, ArrayLength, ArrayOp,
    ArrayOperator, ArrayOverlaps, ElementOf, IsArray, PgArrayExpressionMethods, SameElement,
};
pub use distinct_on::{DistinctOn, SupportsDistinctOn};
pub use ilike::{ILike, NotILike, PgTextExpressionMethods, SupportsIlike};
pub use json_ops::{
    Contains, Everywhere, Get, GetText, HasJsonOperator, HasKey, IsJson, JsonExpressionMethods,
    JsonOp, JsonOperator, JsonPath, JsonPathDialect, JsonPathKind, JsonPathMethods, JsonPathOp,
    Only, PgOnly, SupportsJsonArrows, SupportsJsonOperators,
};
pub use locking::{
    ForKeyShare, ForNoKeyUpdate, ForShare, ForUpdate, LockMode, LockWait, Locked, LocksRows,
    NoWait, SkipLocked, SupportsRowLocks, Wait,
};
pub use query_dsl::PgQueryDsl;

// The driver: connections, pools, running and decoding.
#[cfg(feature = "postgres")]
pub use batch_executor::{BatchConnection, BatchExecutor};
#[cfg(feature = "postgres")]
pub use copy_in::CopyTarget;
#[cfg(feature = "postgres")]
pub use load_stream::LoadStream;
/// The TLS library of the `tls` feature, for [`Connection::connect_tls`] and
/// [`Pool::with_tls`].
#[cfg(feature = "tls")]
pub use quarry_runtime::postgres::rustls;
#[cfg(feature = "postgres")]
pub use quarry_runtime::postgres::tokio_postgres;
#[cfg(feature = "postgres")]
pub use quarry_runtime::postgres::{
    ConnectOptions, Connection, IsolationLevel, Pool, PoolConfig, PoolStatus, PooledConnection,
    Reads, Router, RouterConfig, Row, RowStream, SharedConnection, StatementMode,
    TransactionOptions,
};
#[cfg(feature = "postgres")]
pub use run::{ConnectionRef, Executor, QueryFuture, RunQueryAsync};
#[cfg(feature = "postgres")]
#[doc(hidden)]
pub use sql_value::{decode_sql_element, decode_sql_value};

/// One column of a PostgreSQL row, as [`FromSql`](crate::deserialize::FromSql)
/// receives it: the row and the column's index.
#[cfg(feature = "postgres")]
#[derive(Clone, Copy)]
pub struct RawValue<'a> {
    /// The row.
    pub row: &'a Row,
    /// The column's index, from 0.
    pub index: usize,
}

#[cfg(feature = "postgres")]
impl RawValue<'_> {
    /// Whether the value is SQL `NULL`, whatever its type.
    pub fn is_null(&self) -> bool {
        decode::is_null(*self)
    }
}

#[cfg(feature = "postgres")]
impl std::fmt::Debug for RawValue<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ty = self.row.columns().get(self.index).map(|c| c.type_());
        f.debug_struct("RawValue")
            .field("index", &self.index)
            .field("type", &ty)
            .finish()
    }
}
