//! SQLite: a [`Connection`] over `rusqlite` with bundled SQLite.
//!
//! The connection speaks SQL text and [`Value`](crate::Value) binds:
//!
//! - [`Connection::query_static`] and [`Connection::execute_static`] are the
//!   hot path for SQL known at compile time. Their prepared statements live
//!   in a bounded LRU cache keyed by the address of the `&'static str`, so a
//!   cached statement runs without copying or hashing its SQL text.
//! - [`Connection::query_iter`] reads a query's rows one at a time
//!   ([`RowIter`]), for results too large to hold.
//! - [`Connection::query_raw`], [`Connection::execute`] and
//!   [`Connection::execute_batch`] take SQL built at run time.
//! - [`Connection::transaction`] runs a closure in a transaction, nested
//!   calls in savepoints; writers sharing a file use
//!   [`Connection::transaction_immediate`], retried with
//!   [`Connection::transaction_with_retry`].
//! - A lock held by another connection is waited for up to the busy timeout
//!   ([`DEFAULT_BUSY_TIMEOUT`]), then fails with the retryable
//!   [`Error::Busy`](crate::Error::Busy).
//!
//! Every statement runs inside a `quarry.statement` `tracing` span and is
//! reported to the slow-query hook (see [`crate::set_slow_query_hook`]).
//! Constraint violations come back as their own [`Error`](crate::Error)
//! variants.
//!
//! # Binding values
//!
//! | [`Value`](crate::Value) | SQLite value |
//! | --- | --- |
//! | `Null` | `NULL` |
//! | `Bool` | `INTEGER` 0 or 1 |
//! | `SmallInt`, `Int`, `BigInt` | `INTEGER` |
//! | `Float`, `Double` | `REAL`; NaN is refused (SQLite would store NULL) |
//! | `Text`, `Blob` | `TEXT`, `BLOB` |
//! | `Json` | `TEXT`, the document serialized |
//! | `Date` | `TEXT` `YYYY-MM-DD`, years 0 to 9999 (others are refused) |
//! | `Time` | `TEXT` `HH:MM:SS` or `HH:MM:SS.SSS` |
//! | `Timestamp` | `TEXT` `YYYY-MM-DD HH:MM:SS` or `YYYY-MM-DD HH:MM:SS.SSS` |
//! | `Timestamptz` | `TEXT` RFC 3339 in UTC, `YYYY-MM-DDTHH:MM:SS.SSS+00:00` |
//! | `Uuid` | `BLOB` of 16 bytes |
//! | `Numeric` | `INTEGER` when whole and in `i64`, else `REAL` when an `f64` is exactly it, else refused |
//! | `List` | `TEXT`, a JSON array, read with `json_each(?)` |
//!
//! A whole second has no fraction, as in the text SQLite's own
//! `CURRENT_TIMESTAMP`, `CURRENT_TIME`, `datetime()` and `time()` write, so
//! a value loaded from such a column is equal to it when bound again.
//! Other fractional seconds have three digits, or six or nine when the
//! value has sub-millisecond precision, so no precision is lost. A shorter
//! text is a prefix of the longer ones it comes before (`12:00:00` <
//! `12:00:00.5`), the UTC offset is written `+00:00` (`+` sorts before
//! `.`), and years have four digits (others are an
//! [`Error::Bind`](crate::Error::Bind)), so such texts sort in time order.
//!
//! A `List` binds as one JSON array, so one SQL text serves lists of every
//! length: `x IN (SELECT value FROM json_each(?))`. JSON has no bytes, so a
//! list cannot hold `Blob` or `Uuid` items (that is an
//! [`Error::Bind`](crate::Error::Bind)), nor non-finite floats.

mod bind;
mod connection;
mod error_map;
mod exact_number;
mod row;
mod row_iter;
// The statement cache keeps prepared statements next to the connection they
// borrow from, in a self-referential struct built with `self_cell`. Its one
// `unsafe` line asserts that the pair may be sent to another thread, which
// keeps `Connection: Send`; see the module for the safety argument.
#[allow(unsafe_code)]
mod statement_cache;
mod transaction;

pub use connection::{Connection, DEFAULT_BUSY_TIMEOUT, DEFAULT_STATEMENT_CACHE_CAPACITY};
pub use row::Row;
pub use row_iter::RowIter;
pub use transaction::TransactionMode;

/// The `rusqlite` crate this backend is built on, for the raw escape hatch
/// ([`Connection::raw`]).
pub use rusqlite;
/// A borrowed SQLite value, as read from a [`Row`].
pub use rusqlite::types::ValueRef;
