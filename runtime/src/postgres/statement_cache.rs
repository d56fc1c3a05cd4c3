//! Prepared statements of one connection, keyed by their static SQL text
//! and parameter types.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::sync::OnceCell;
use tokio_postgres::{Client, Statement};

use super::bind;
use super::in_flight::mentions_transaction_control;
use crate::value::TypedSql;

/// A cache key: the addresses and lengths of a [`TypedSql`]'s text and
/// types. Both are `&'static`, so one address and length always hold the
/// same text: a hit hashes four words, never the text. (Two copies of one
/// text at two addresses get a statement each, which is only a waste.)
type Key = (usize, usize, usize, usize);

fn key(sql: &TypedSql) -> Key {
    (
        sql.sql.as_ptr() as usize,
        sql.sql.len(),
        sql.types.as_ptr() as usize,
        sql.types.len(),
    )
}

/// A prepared statement and what its text says about transactions, read
/// once when it was prepared rather than at every run.
#[derive(Clone)]
pub(crate) struct Prepared {
    pub(crate) statement: Statement,
    /// The text mentions `BEGIN` or `START`: it may begin a transaction
    /// (see `in_flight::mentions_transaction_control`).
    pub(crate) may_begin: bool,
}

/// One slot: prepared at most once even when many queries of the same text
/// start at the same time on a pipelined connection.
type Slot = Arc<OnceCell<Prepared>>;

/// The statements prepared on one connection.
///
/// The key is where the query's `&'static str` and its parameter types
/// are ([`Key`]), so a hit hashes four words and clones one `Arc` (the
/// statement's) but allocates nothing. The lock is held only to look up
/// or insert a slot, never across an `.await`.
#[derive(Default)]
pub(crate) struct StatementCache {
    slots: Mutex<Slots>,
}

type Slots = HashMap<Key, Slot, hashlink::DefaultHashBuilder>;

impl StatementCache {
    fn lock(&self) -> MutexGuard<'_, Slots> {
        // The map stays consistent whatever panicked while it was locked.
        self.slots.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The statement for `sql` if it is prepared: one lock, one hash of
    /// four words, one `Arc` cloned.
    pub(crate) fn hit(&self, sql: &TypedSql) -> Option<Prepared> {
        self.lock()
            .get(&key(sql))
            .and_then(|slot| slot.get().cloned())
    }

    /// The statement for `sql`, prepared on `client` with its parameter
    /// types on first use; `params` is the number of values bound to it.
    pub(crate) async fn get(
        &self,
        client: &Client,
        sql: TypedSql,
        params: usize,
    ) -> Result<Prepared, tokio_postgres::Error> {
        match self.hit(&sql) {
            Some(prepared) => Ok(prepared),
            None => self.prepare(client, sql, params).await,
        }
    }

    /// Prepares `sql` on `client` and keeps it, unless a query of the same
    /// text started at the same time does first (then its statement).
    /// Its future is large: callers box it, off their common path.
    pub(crate) async fn prepare(
        &self,
        client: &Client,
        sql: TypedSql,
        params: usize,
    ) -> Result<Prepared, tokio_postgres::Error> {
        let slot = Arc::clone(self.lock().entry(key(&sql)).or_default());
        slot.get_or_try_init(|| async {
            let statement = if sql.types.is_empty() {
                client.prepare(sql.sql).await?
            } else {
                let types = bind::declared(sql.types, params);
                client.prepare_typed(sql.sql, &types).await?
            };
            Ok(Prepared {
                statement,
                may_begin: mentions_transaction_control(sql.sql),
            })
        })
        .await
        .cloned()
    }

    /// Forgets `sql`'s statement, to prepare it again on next use.
    pub(crate) fn evict(&self, sql: &TypedSql) {
        self.lock().remove(&key(sql));
    }

    /// How many statements are prepared.
    pub(crate) fn len(&self) -> usize {
        self.lock()
            .values()
            .filter(|slot| slot.initialized())
            .count()
    }

    /// Forgets every statement.
    pub(crate) fn clear(&self) {
        self.lock().clear();
    }
}

impl std::fmt::Debug for StatementCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StatementCache")
            .field("len", &self.len())
            .finish()
    }
}
