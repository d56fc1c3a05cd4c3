//! quarry-runtime: connections, bind values, statement caches, transactions,
//! pools and instrumentation. It speaks SQL text and bind values and knows
//! nothing of quarry's DSL.
#![deny(unsafe_code)]
#![warn(missing_docs)]

mod error;
mod error_text;
mod instrument;
mod retry;
mod statement_count;
mod value;

#[cfg(feature = "mysql")]
pub mod mysql;
pub mod postgres;
pub mod sqlite;

pub use error::{BoxError, Error, Result, Retryable};
pub use instrument::{SlowQuery, clear_slow_query_hook, set_slow_query_hook};
pub use retry::RetryPolicy;
pub use statement_count::{
    DEFAULT_THRESHOLD, ScopeGuard, Scoped, StatementCount, StatementReport, StatementScope,
};
#[doc(hidden)]
pub use statement_count::{with_caller, with_caller_async};
pub use value::{ParamType, TypedSql, Value};
