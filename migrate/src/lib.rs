//! quarry's migrations: the folder format, the applied-migrations table,
//! checksums, locking and the runner. The `quarry migration` commands and
//! `quarry::embed_migrations!` both use it.
//!
//! A migrations folder holds one folder per migration, named
//! `YYYYMMDDHHMMSS_name` (Diesel's `YYYY-MM-DD-HHMMSS_name` works too), each
//! with `up.sql`, `down.sql` and optionally a `metadata.toml` — Diesel's
//! layout, so a Diesel project's folder works unchanged.
//!
//! The table `__quarry_migrations` records each applied migration's
//! version, name, the SHA-256 of its `up.sql` and when it ran. Running after
//! an applied `up.sql` was edited is an error that names the folder.
//!
//! Each migration runs in its own transaction, so one that fails leaves the
//! database as it was before it. PostgreSQL refuses some statements inside
//! a transaction: `CREATE INDEX CONCURRENTLY`, `DROP INDEX CONCURRENTLY`,
//! `ALTER TYPE ... ADD VALUE` before PostgreSQL 12, `CREATE DATABASE`,
//! `VACUUM`, `ALTER SYSTEM`, `REINDEX ... CONCURRENTLY`. A migration that
//! needs one opts out with a `metadata.toml` beside its SQL:
//!
//! ```toml
//! run_in_transaction = false
//! ```
//!
//! Its file then runs as one simple query; PostgreSQL still runs a
//! multi-statement query as one implicit transaction, so give such a
//! statement a migration of its own. On SQLite `VACUUM` is the usual case.
//!
//! MariaDB's DDL is not transactional: a migration that fails half way
//! leaves the statements before the failing one applied (see [`mysql`]).
//!
//! Concurrent runners never apply a migration twice: on PostgreSQL a run
//! holds an advisory lock ([`postgres::LOCK_KEY`]), on MariaDB a named lock
//! (`GET_LOCK`), on SQLite each migration's transaction starts with
//! `BEGIN IMMEDIATE`.
//!
//! ```
//! # let dir = tempfile::tempdir()?;
//! # let one = dir.path().join("20240101120000_create_users");
//! # std::fs::create_dir(&one)?;
//! # std::fs::write(one.join("up.sql"), "CREATE TABLE users (id INTEGER PRIMARY KEY);")?;
//! # std::fs::write(one.join("down.sql"), "DROP TABLE users;")?;
//! let migrations = quarry_migrate::load_folder(dir.path())?;
//! let conn = rusqlite::Connection::open_in_memory()?;
//! quarry_migrate::sqlite::run_pending(&conn, &migrations)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! | feature | adds |
//! |---|---|
//! | `sqlite` (default) | [`sqlite`]: runs on a `rusqlite::Connection` |
//! | `postgres` (default) | [`postgres`]: runs on a `tokio_postgres::Client` |
//! | `mysql` (default) | [`mysql`]: runs on a `mysql_async::Conn` (MariaDB, MySQL) |
//! | `runtime` | [`EmbeddedMigrations::run_pending`] and `run_pending_async` on quarry's connection and pool |

#![forbid(unsafe_code)]
// Without a backend only the folder reader and checksums are used (by
// `embed_migrations!` at build time).
#![cfg_attr(
    not(any(feature = "sqlite", feature = "postgres", feature = "mysql")),
    allow(dead_code)
)]

mod checksum;
mod embedded;
mod error;
mod folder;
mod history;
mod metadata;
mod migration;
#[cfg(feature = "mysql")]
pub mod mysql;
mod plan;
#[cfg(feature = "postgres")]
pub mod postgres;
#[cfg(feature = "sqlite")]
pub mod sqlite;
mod version;

pub use checksum::checksum;
#[doc(hidden)]
pub use embedded::EmbeddedMigration;
pub use embedded::EmbeddedMigrations;
pub use error::{BoxError, Error};
pub use folder::load_folder;
pub use history::{Applied, TABLE};
pub use migration::Migration;
pub use plan::{Count, Status, statuses, verify};
