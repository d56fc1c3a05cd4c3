//! quarry-runtime: connections, bind values, statement caches, transactions,
//! pools and instrumentation. It speaks SQL text and bind values and knows
//! nothing of quarry's DSL.
#![deny(unsafe_code)]
#![warn(missing_docs)]
// Without a backend feature only the shared types are compiled; the helpers
// the backends share are then unused.
#![cfg_attr(not(any(feature = "sqlite", feature = "postgres")), allow(dead_code))]

#[cfg(any(feature = "postgres", feature = "mysql"))]
mod config;
mod driver_error;
mod error;
mod error_text;
mod instrument;
mod retry;
mod statement_count;
mod value;

// One module per backend, each behind its Cargo feature (the pattern is in
// docs/decisions.md, "Cargo features per backend").
#[cfg(feature = "mysql")]
pub mod mysql;
#[cfg(feature = "postgres")]
pub mod postgres;
#[cfg(feature = "sqlite")]
pub mod sqlite;

#[cfg(any(feature = "postgres", feature = "mysql"))]
pub use config::PoolConfig;
pub use driver_error::DriverError;
pub use error::{BoxError, Error, Result, Retryable};
pub use instrument::{SlowQuery, clear_slow_query_hook, set_slow_query_hook};
pub use retry::RetryPolicy;
pub use statement_count::{
    DEFAULT_THRESHOLD, ScopeGuard, Scoped, StatementCount, StatementReport, StatementScope,
};
#[doc(hidden)]
pub use statement_count::{with_caller, with_caller_async};
pub use value::{ParamType, TypedSql, Value};
