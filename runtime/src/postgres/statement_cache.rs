//! Prepared statements of one connection, keyed by their static SQL text
//! and parameter types.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::sync::OnceCell;
use tokio_postgres::{Client, Statement};

use super::bind;
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

/// One slot: prepared at most once even when many queries of the same text
/// start at the same time on a pipelined connection.
type Slot = Arc<OnceCell<Statement>>;

/// The statements prepared on one connection.
///
/// The key is where the query's `&'static str` and its parameter types
/// are ([`Key`]), so a hit hashes four words and clones two `Arc`s but
/// allocates nothing. The lock is held only to look up or insert a slot,
/// never across an `.await`.
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

    /// The statement for `sql`, prepared on `client` with its parameter
    /// types on first use; `params` is the number of values bound to it.
    pub(crate) async fn get(
        &self,
        client: &Client,
        sql: TypedSql,
        params: usize,
    ) -> Result<Statement, tokio_postgres::Error> {
        let slot = Arc::clone(self.lock().entry(key(&sql)).or_default());
        if let Some(statement) = slot.get() {
            return Ok(statement.clone());
        }
        slot.get_or_try_init(|| async {
            if sql.types.is_empty() {
                client.prepare(sql.sql).await
            } else {
                let types = bind::declared(sql.types, params);
                client.prepare_typed(sql.sql, &types).await
            }
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
