//! PostgreSQL: connections, pools, transactions and bind values over
//! tokio-postgres.
//!
//! - [`Connection`] wraps one tokio-postgres client. Its query methods take
//!   `&self`, so queries started concurrently on one connection are
//!   pipelined. Statements whose SQL is a `&'static str` are prepared once
//!   per connection and cached by that text.
//! - [`Pool`] hands out [`PooledConnection`]s, which dereference to
//!   [`Connection`]: one code path serves pooled and unpooled connections.
//! - [`Router`] pools a primary and its read replicas: writes and
//!   transactions on the primary, [`Router::read`] on a replica.
//! - Behind PgBouncer in transaction pooling mode, add
//!   `quarry_statements=unnamed` to the URL ([`StatementMode::Unnamed`]).
//!   Statements run on `&Pool` outside a transaction share its connections
//!   instead ([`Pool::shared`], [`SharedConnection`]): pipelined, with no
//!   checkout per statement.
//! - [`Connection::transaction`] runs an async closure in a transaction (a
//!   savepoint when nested) and rolls it back on `Err`, on panic and on
//!   cancellation.
//! - A statement given as a [`TypedSql`](crate::TypedSql) is prepared
//!   with its parameters' declared types; a plain `&str` leaves them to the
//!   server to infer. Each [`Value`](crate::Value) is converted by its
//!   placeholder's type; a [`Value::List`](crate::Value::List) binds to an
//!   array, as in `id = ANY($1)`.
//! - [`RowStream`] reads a query's rows as they arrive, and
//!   [`Connection::copy_in`] bulk-loads rows with `COPY ... FROM STDIN
//!   BINARY`.
//! - Constraint violations, serialization failures and lost connections
//!   become their own [`Error`](crate::Error) variants.
//!
//! Every statement runs inside a `quarry.statement` `tracing` span carrying
//! its SQL text, row count and duration.
//!
//! # Faults
//!
//! - [`PoolConfig::statement_timeout`], [`Connection::set_statement_timeout`]
//!   and [`with_statement_timeout`] bound statements, measured by quarry,
//!   so a network that silently stops answering fails with
//!   [`Error::Timeout`](crate::Error::Timeout) too;
//!   [`PoolConfig::connect_timeout`] bounds opening connections.
//! - A statement whose future is dropped mid-flight (by a timeout, a
//!   `select!`, an aborted task) is cancelled on the server with a cancel
//!   request; the connection runs nothing else until the request was
//!   delivered, and a pool checks it before handing it out again.
//! - [`Connection::transaction_with_retry`] is the way to retry
//!   serialization failures and deadlocks; see
//!   [`Connection::transaction`] for why a transaction dropped after
//!   `COMMIT` was sent has an unknown outcome.
//!
//! # Bind values stay out of logs
//!
//! quarry's spans and errors never hold bind values: spans carry the SQL
//! text with its placeholders, and errors the server's primary message
//! without its `DETAIL`. tokio-postgres, however, logs every statement with
//! its parameters at `DEBUG` level (through the `log` crate, which
//! `tracing-subscriber` picks up by default). Silence it with one
//! `EnvFilter` directive:
//!
//! ```text
//! RUST_LOG=debug,tokio_postgres=info
//! ```
//!
//! or in code, `EnvFilter::new("debug,tokio_postgres=info")`.
//!
//! ```no_run
//! # async fn demo() -> quarry_runtime::Result<()> {
//! use quarry_runtime::Value;
//! use quarry_runtime::postgres::Pool;
//!
//! let pool = Pool::connect("postgres://postgres@localhost/app").await?;
//! let conn = pool.get().await?;
//! let rows = conn
//!     .query_static("SELECT name FROM users WHERE id = ANY($1)", &[Value::List(vec![Value::Int(1), Value::Int(2)])])
//!     .await?;
//! for row in rows {
//!     let name: &str = row.get(0);
//!     println!("{name}");
//! }
//! # Ok(()) }
//! ```

mod bind;
mod cancel;
mod config;
mod connection;
mod copy;
mod error_map;
mod in_flight;
mod pool;
mod router;
mod row_stream;
mod shared;
mod statement_cache;
mod tls;
mod transaction;
mod unnamed;

pub use config::{ConnectOptions, PoolConfig, STATEMENTS_PARAM, StatementMode};
pub use connection::Connection;
pub use in_flight::with_statement_timeout;
pub use pool::{Pool, PoolStatus, PooledConnection};
pub use router::{Reads, Router, RouterConfig};
pub use row_stream::RowStream;
/// The TLS library of the `tls` feature, for [`Connection::connect_tls`] and
/// [`Pool::with_tls`].
#[cfg(feature = "tls")]
pub use rustls;
pub use shared::SharedConnection;
pub use tokio_postgres;
pub use tokio_postgres::Row;
pub use transaction::{IsolationLevel, TransactionOptions};
