//! MariaDB and MySQL over `mysql_async` (feature `mysql`).
//!
//! A [`Connection`] runs one statement at a time (the protocol has no
//! pipelining); its methods take `&self` and wait for each other. Statements
//! are prepared once per connection and kept in the driver's per-connection
//! statement cache, keyed by their SQL text ([`STATEMENT_CACHE_SIZE`]).
//! A [`Pool`] has the settings of the PostgreSQL pool: one [`PoolConfig`].
//!
//! Every connection sets `time_zone = '+00:00'`, so `TIMESTAMP` columns
//! read and write UTC, and adds `STRICT_ALL_TABLES` to `sql_mode`, so an
//! out-of-range or truncated value is an error rather than a warning.
//!
//! ```no_run
//! # async fn demo() -> quarry_runtime::Result<()> {
//! use quarry_runtime::Value;
//! use quarry_runtime::mysql::Pool;
//!
//! let pool = Pool::connect("mysql://root@127.0.0.1:3306/test").await?;
//! let conn = pool.get().await?;
//! let rows = conn.query_raw("SELECT ? + 1", &[Value::Int(41)]).await?;
//! assert_eq!(rows.len(), 1);
//! # Ok(()) }
//! ```

mod bind;
mod config;
mod connection;
mod error_map;
mod pool;
mod transaction;

pub use config::PoolConfig;
pub use connection::{Connection, STATEMENT_CACHE_SIZE};
pub use error_map::ServerError;
pub use mysql_async;
pub use mysql_async::Row;
pub use pool::{Pool, PoolStatus, PooledConnection};
pub use transaction::{IsolationLevel, TransactionOptions};

/// The system name in tracing spans and slow-statement reports.
pub(crate) const SYSTEM: &str = "mysql";
