//! `transaction_with_retry` under real SERIALIZABLE conflicts: concurrent
//! tasks read a counter and write it back plus one, the pattern that loses
//! updates without serializable isolation. Every conflict must be retried
//! and no increment lost. Run with `--nocapture` to see how many conflicts
//! were retried.
//!
//! The tasks are concurrent futures on one Tokio task, each on its own
//! pooled connection.

mod pg_common;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use quarry_runtime::postgres::{IsolationLevel, Pool, PoolConfig, TransactionOptions};
use quarry_runtime::{Error, ParamType, RetryPolicy, TypedSql, Value};

const TASKS: i64 = 8;
const INCREMENTS: i64 = 50;

/// Runs `TASKS` tasks of `INCREMENTS` read-then-write increments each on
/// `pool`, against `{schema}.counter`; returns (final value, attempts).
async fn increment_concurrently(pool: &Pool, schema: &str) -> (i64, u64) {
    let read: &'static str =
        Box::leak(format!("SELECT n FROM {schema}.counter WHERE id = 1").into_boxed_str());
    let write: &'static str =
        Box::leak(format!("UPDATE {schema}.counter SET n = $1 WHERE id = 1").into_boxed_str());
    let attempts = Arc::new(AtomicU64::new(0));
    let options = TransactionOptions::default().isolation(IsolationLevel::Serializable);
    // Eight writers on one row conflict most of the time: enough attempts
    // that none gives up, short pauses that spread them out.
    let policy = RetryPolicy::default()
        .max_attempts(200)
        .initial_backoff(Duration::from_millis(1))
        .max_backoff(Duration::from_millis(50));
    // Concurrent futures on one task, each with its own connection: the
    // conflicts are the server's. (A spawned task cannot hold the
    // transaction's async closure: rustc cannot yet prove its future
    // `Send` for every borrow of the connection.)
    let tasks: Vec<_> = (0..TASKS)
        .map(|_| {
            let pool = pool.clone();
            let attempts = Arc::clone(&attempts);
            async move {
                let mut conn = pool.get().await?;
                for _ in 0..INCREMENTS {
                    conn.transaction_with_retry(options, policy, async |tx| {
                        attempts.fetch_add(1, Ordering::Relaxed);
                        let rows = tx.query_static(read, &[]).await?;
                        let n: i64 = rows[0].get(0);
                        tx.execute_static(
                            TypedSql::new(write, &[ParamType::BigInt]),
                            &[Value::BigInt(n + 1)],
                        )
                        .await?;
                        Ok::<_, Error>(())
                    })
                    .await?;
                }
                Ok::<_, Error>(())
            }
        })
        .collect();
    for done in futures_util::future::join_all(tasks).await {
        done.unwrap();
    }
    let conn = pool.get().await.unwrap();
    let rows = conn.query_static(read, &[]).await.unwrap();
    (rows[0].get(0), attempts.load(Ordering::Relaxed))
}

async fn counter_table(db: &pg_common::TestDb) {
    db.admin
        .batch_execute(&format!(
            "CREATE TABLE {s}.counter (id int PRIMARY KEY, n bigint NOT NULL); \
             INSERT INTO {s}.counter VALUES (1, 0)",
            s = db.schema
        ))
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serializable_conflicts_are_retried_without_lost_updates() {
    let Some(db) = pg_common::setup("retry_counter").await else {
        return;
    };
    counter_table(&db).await;
    let pool = db
        .pool(PoolConfig::default().max_size(TASKS as usize))
        .await;
    let (n, attempts) = increment_concurrently(&pool, &db.schema).await;
    let retried = attempts - (TASKS * INCREMENTS) as u64;
    println!(
        "SERIALIZABLE: {TASKS} tasks x {INCREMENTS} increments: counter = {n}, \
         {attempts} attempts, {retried} serialization conflicts retried"
    );
    assert_eq!(n, TASKS * INCREMENTS, "an increment was lost");
    assert!(retried > 0, "no conflict happened: the test proves nothing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retries_work_through_pgbouncer_in_transaction_mode() {
    let Some(db) = pg_common::setup("retry_bouncer").await else {
        return;
    };
    let url = std::env::var("QUARRY_PGBOUNCER_URL").unwrap_or_else(|_| {
        "postgres://postgres@127.0.0.1:6543/test?quarry_statements=unnamed".to_owned()
    });
    let pool = match Pool::with_config(&url, PoolConfig::default().max_size(TASKS as usize)).await {
        Ok(pool) => pool,
        Err(e) if std::env::var_os("CI").is_none() => {
            println!(
                "skipped: PgBouncer unreachable at {url} (run scripts/pgbouncer.sh start): {e}"
            );
            return;
        }
        Err(e) => panic!("PgBouncer unreachable at {url} and CI is set: {e:?}"),
    };
    counter_table(&db).await;
    let (n, attempts) = increment_concurrently(&pool, &db.schema).await;
    let retried = attempts - (TASKS * INCREMENTS) as u64;
    println!(
        "SERIALIZABLE through PgBouncer: counter = {n}, {retried} serialization conflicts retried"
    );
    assert_eq!(n, TASKS * INCREMENTS, "an increment was lost");
}
