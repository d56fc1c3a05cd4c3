//! [`StatementMode::Unnamed`](super::StatementMode::Unnamed): every statement as the protocol's unnamed
//! statement, for proxies that pool transactions (PgBouncer's
//! `pool_mode = transaction`).
//!
//! Such a proxy hands the client a server session per transaction: outside
//! a transaction block, each `Sync` may end on a different server. A named
//! prepared statement then exists on one server and is executed on
//! another. The unnamed statement lives from `Parse` to the next `Parse`,
//! within one `Sync`, so it never needs the session to last.
//!
//! A statement whose parameter types are all declared runs in one round
//! trip (`Parse`/`Bind`/`Describe`/`Execute`/`Sync`). One with a type to
//! infer needs the server's inference first: the connection prepares it
//! inside a transaction (its own `BEGIN` ... `ROLLBACK`, or the caller's
//! transaction), reads the parameter types and closes the statement
//! before that transaction ends, so the `Close` reaches the server that
//! holds it. Constant SQL remembers the learned types.

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::{Mutex, MutexGuard, PoisonError};

use tokio_postgres::RowStream;
use tokio_postgres::types::Type;

use super::bind::{self, PgParam};
use super::connection::{Connection, Fail};
use super::in_flight::STATE_MUST_ROLL_BACK;
use crate::value::{ParamType, TypedSql, Value};

/// The parameter types the server inferred for statements of constant
/// text, per connection.
#[derive(Debug, Default)]
pub(crate) struct LearnedTypes {
    types: Mutex<HashMap<TypedSql, Vec<Type>>>,
}

impl LearnedTypes {
    fn lock(&self) -> MutexGuard<'_, HashMap<TypedSql, Vec<Type>>> {
        self.types.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Forgets every learned type.
    pub(crate) fn clear(&self) {
        self.lock().clear();
    }
}

/// Marks the connection for a check if dropped between its own `BEGIN` and
/// the reply to its `ROLLBACK`.
struct Learning<'c> {
    conn: &'c Connection,
    done: bool,
}

impl Drop for Learning<'_> {
    fn drop(&mut self) {
        if !self.done {
            self.conn
                .state
                .store(STATE_MUST_ROLL_BACK, Ordering::Relaxed);
        }
    }
}

impl Connection {
    /// Starts `sql` as an unnamed statement. `key` is the constant SQL
    /// whose inferred types may be remembered.
    pub(crate) async fn start_unnamed(
        &self,
        sql: &str,
        key: Option<TypedSql>,
        types: &[ParamType],
        params: &[Value<'_>],
    ) -> Result<RowStream, Fail> {
        if params.is_empty() {
            let none: [(PgParam<'_>, Type); 0] = [];
            return Ok(self.client.query_typed_raw(sql, none).await?);
        }
        let declared = match bind::all_declared(types, params.len()) {
            Some(declared) => declared,
            None => {
                let known = key.and_then(|key| self.learned.lock().get(&key).cloned());
                match known {
                    Some(learned) => learned,
                    None => {
                        let learned = self.learn_types(sql, types, params.len()).await?;
                        if let Some(key) = key {
                            self.learned.lock().insert(key, learned.clone());
                        }
                        learned
                    }
                }
            }
        };
        let binds = bind::convert(&declared, params)?;
        Ok(self
            .client
            .query_typed_raw(sql, binds.into_iter().zip(declared))
            .await?)
    }

    /// The parameter types of `sql` as the server infers them, from a
    /// statement prepared and closed inside one transaction.
    async fn learn_types(
        &self,
        sql: &str,
        types: &[ParamType],
        params: usize,
    ) -> Result<Vec<Type>, Fail> {
        let declared = bind::declared(types, params);
        if self.depth > 0 {
            // The caller's transaction keeps the server session until the
            // statement's `Close`, sent when it drops here.
            let statement = self.client.prepare_typed(sql, &declared).await?;
            return Ok(statement.params().to_vec());
        }
        let mut learning = Learning {
            conn: self,
            done: false,
        };
        self.client.batch_execute("BEGIN").await?;
        let prepared = self
            .client
            .prepare_typed(sql, &declared)
            .await
            .map(|statement| statement.params().to_vec());
        // The statement was dropped above: its `Close` is queued before
        // the `ROLLBACK`, inside the transaction.
        let ended = self.client.batch_execute("ROLLBACK").await;
        learning.done = ended.is_ok();
        let learned = prepared?;
        ended?;
        Ok(learned)
    }
}
