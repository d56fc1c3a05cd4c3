//! Pool settings: the PostgreSQL pool's, one type for both.

pub use crate::config::PoolConfig;
