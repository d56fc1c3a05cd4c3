//! What a batch INSERT runs on, on PostgreSQL: a pool like every other
//! statement, or a connection (a transaction's included).
//!
//! A batch of more than one statement runs in a transaction, which needs
//! one connection for all its statements, held mutably. So a batch takes
//! `&pool` (it checks a connection out for the batch, as
//! [`Pool::transaction`] does), `&router` (on the primary), or `&mut` a
//! connection: the caller's own, a pooled one, or a transaction's `tx`
//! (where the batch becomes a savepoint).

use std::future::Future;
use std::ops::{Deref, DerefMut};

use quarry_runtime::Error;
use quarry_runtime::postgres::{Connection, Pool, PooledConnection, Router};

/// A connection held for one batch: the caller's own, or one checked out
/// of a pool and returned when this is dropped.
#[derive(Debug)]
#[allow(clippy::large_enum_variant)] // lives in the batch's future only
pub enum BatchConnection<'a> {
    /// A connection the caller holds, mutably.
    Borrowed(&'a mut Connection),
    /// A connection checked out of a pool for the batch.
    Pooled(PooledConnection),
}

impl Deref for BatchConnection<'_> {
    type Target = Connection;

    fn deref(&self) -> &Connection {
        match self {
            BatchConnection::Borrowed(conn) => conn,
            BatchConnection::Pooled(conn) => conn,
        }
    }
}

impl DerefMut for BatchConnection<'_> {
    fn deref_mut(&mut self) -> &mut Connection {
        match self {
            BatchConnection::Borrowed(conn) => conn,
            BatchConnection::Pooled(conn) => conn,
        }
    }
}

/// What a batch INSERT's `execute_async` and `load_async` run on:
/// `&Pool`, `&Router`, `&mut Connection` (a transaction's `tx` too) or
/// `&mut PooledConnection`.
///
/// ```no_run
/// use quarry::prelude::*;
/// # quarry::table! { users (id) { id -> Integer, name -> Text, } }
/// # async fn demo(pool: &quarry::pg::Pool) -> Result<(), quarry::Error> {
/// let rows = vec![(users::id.eq(1), users::name.eq("Ada")), (users::id.eq(2), users::name.eq("Brian"))];
/// // On the pool, like any other statement:
/// let inserted = quarry::insert_into(users::table).values(rows).execute_async(pool).await?;
/// assert_eq!(inserted, 2);
///
/// // Inside a transaction, where it becomes a savepoint:
/// pool.transaction(async |tx| {
///     let rows = vec![(users::id.eq(3), users::name.eq("Cleo"))];
///     quarry::insert_into(users::table).values(rows).execute_async(tx).await?;
///     Ok::<_, quarry::Error>(())
/// })
/// .await?;
/// # Ok(()) }
/// ```
#[diagnostic::on_unimplemented(
    message = "a batch INSERT cannot run on `{Self}`",
    label = "expected `&pool`, `&router` or `&mut` a PostgreSQL connection",
    note = "a batch of several statements runs in one transaction on one connection: pass `&pool`, `&router`, `&mut conn` or a transaction's `tx`; SQLite connections use `execute` and `load`"
)]
pub trait BatchExecutor<'a>: Send {
    /// The connection the whole batch runs on.
    fn batch_connection(self) -> impl Future<Output = Result<BatchConnection<'a>, Error>> + Send;
}

impl<'a> BatchExecutor<'a> for &'a mut Connection {
    async fn batch_connection(self) -> Result<BatchConnection<'a>, Error> {
        Ok(BatchConnection::Borrowed(self))
    }
}

impl<'a> BatchExecutor<'a> for &'a mut PooledConnection {
    async fn batch_connection(self) -> Result<BatchConnection<'a>, Error> {
        Ok(BatchConnection::Borrowed(self))
    }
}

/// Checks a connection out of the pool for the batch; it goes back when
/// the batch is done (committed, when it took several statements).
impl<'a> BatchExecutor<'a> for &'a Pool {
    async fn batch_connection(self) -> Result<BatchConnection<'a>, Error> {
        self.get().await.map(BatchConnection::Pooled)
    }
}

/// On the primary, as every write.
impl<'a> BatchExecutor<'a> for &'a Router {
    async fn batch_connection(self) -> Result<BatchConnection<'a>, Error> {
        self.get().await.map(BatchConnection::Pooled)
    }
}
