//! Transactions: commit, rollback, savepoints, panics and cancellation.

mod pg_common;

use std::panic::AssertUnwindSafe;
use std::time::Duration;

use futures_util::FutureExt;
use quarry_runtime::postgres::{Connection, IsolationLevel, Pool, PoolConfig, TransactionOptions};
use quarry_runtime::{Error, Value};

const INSERT: &str = "INSERT INTO t (v) VALUES ($1)";
const VALUES: &str = "SELECT v FROM t ORDER BY v";
/// NULL unless the session's current transaction has written something.
const XID: &str = "SELECT pg_current_xact_id_if_assigned()::text";

async fn values(conn: &Connection) -> Vec<i32> {
    conn.query_static(VALUES, &[])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

/// Whether `conn` is inside a transaction that has written something.
async fn open_write_transaction(conn: &Connection) -> bool {
    conn.query_static(XID, &[]).await.unwrap()[0]
        .get::<_, Option<&str>>(0)
        .is_some()
}

async fn setup(name: &str) -> Option<(pg_common::TestDb, Connection)> {
    let db = pg_common::setup(name).await?;
    let conn = db.connect().await;
    conn.batch_execute("CREATE TABLE t (v int4 PRIMARY KEY)")
        .await
        .unwrap();
    Some((db, conn))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commit_on_ok() {
    let Some((db, mut conn)) = setup("tx_commit").await else {
        return;
    };
    let out = conn
        .transaction(async |tx| {
            assert!(tx.in_transaction());
            tx.execute_static(INSERT, &[Value::Int(1)]).await?;
            tx.execute_static(INSERT, &[Value::Int(2)]).await?;
            Ok::<_, Error>("done")
        })
        .await
        .unwrap();
    assert_eq!(out, "done");
    assert!(!conn.in_transaction());
    // Visible from another connection: committed.
    assert_eq!(values(&db.connect().await).await, [1, 2]);
    db.teardown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rollback_on_err() {
    let Some((db, mut conn)) = setup("tx_rollback").await else {
        return;
    };
    #[derive(Debug)]
    enum AppError {
        Db(Error),
        Refused,
    }
    impl From<Error> for AppError {
        fn from(e: Error) -> Self {
            AppError::Db(e)
        }
    }
    let err = conn
        .transaction(async |tx| {
            tx.execute_static(INSERT, &[Value::Int(1)]).await?;
            Err::<(), _>(AppError::Refused)
        })
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Refused));
    assert!(values(&conn).await.is_empty());

    // A failing statement: its error comes back, everything is rolled back.
    let err = conn
        .transaction(async |tx| {
            tx.execute_static(INSERT, &[Value::Int(5)]).await?;
            tx.execute_static(INSERT, &[Value::Int(5)]).await?;
            Ok::<_, AppError>(())
        })
        .await
        .unwrap_err();
    assert!(
        matches!(err, AppError::Db(Error::UniqueViolation { .. })),
        "{err:?}"
    );
    assert!(values(&conn).await.is_empty());
    assert!(!open_write_transaction(&conn).await);
    db.teardown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ok_after_a_failed_statement_does_not_commit_silently() {
    let Some((db, mut conn)) = setup("tx_aborted_ok").await else {
        return;
    };
    let err = conn
        .transaction(async |tx| {
            tx.execute_static(INSERT, &[Value::Int(1)]).await?;
            // Ignored: PostgreSQL has aborted the transaction anyway.
            let _ = tx.execute_static(INSERT, &[Value::Int(1)]).await;
            Ok::<_, Error>(())
        })
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Postgres(_)), "{err:?}");
    assert!(err.to_string().contains("PostgreSQL"), "{err}");
    assert!(values(&conn).await.is_empty());
    // The connection is usable and the next transaction commits.
    conn.transaction(async |tx| tx.execute_static(INSERT, &[Value::Int(2)]).await)
        .await
        .unwrap();
    assert_eq!(values(&conn).await, [2]);
    db.teardown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nested_transactions_are_savepoints() {
    let Some((db, mut conn)) = setup("tx_nested").await else {
        return;
    };
    conn.transaction(async |tx| {
        tx.execute_static(INSERT, &[Value::Int(1)]).await?;
        // The inner level fails: only its work is undone.
        let inner = tx
            .transaction(async |tx2| {
                tx2.execute_static(INSERT, &[Value::Int(2)]).await?;
                tx2.execute_static(INSERT, &[Value::Int(1)]).await?; // duplicate
                Ok::<_, Error>(())
            })
            .await;
        assert!(
            matches!(inner, Err(Error::UniqueViolation { .. })),
            "{inner:?}"
        );
        assert!(tx.in_transaction());
        // The outer level goes on and commits, with a committed inner level.
        tx.transaction(async |tx2| {
            tx2.execute_static(INSERT, &[Value::Int(3)]).await?;
            tx2.transaction(async |tx3| tx3.execute_static(INSERT, &[Value::Int(4)]).await)
                .await?;
            Ok::<_, Error>(())
        })
        .await?;
        Ok::<_, Error>(())
    })
    .await
    .unwrap();
    assert_eq!(values(&db.connect().await).await, [1, 3, 4]);

    // Options belong to the outermost level only.
    let err = conn
        .transaction(async |tx| {
            tx.transaction_with(TransactionOptions::default().read_only(true), async |_| {
                Ok::<_, Error>(())
            })
            .await
        })
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err:?}");
    db.teardown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transaction_options() {
    let Some((db, mut conn)) = setup("tx_options").await else {
        return;
    };
    let options = TransactionOptions::default()
        .isolation(IsolationLevel::Serializable)
        .read_only(true);
    let (isolation, read_only) = conn
        .transaction_with(options, async |tx| {
            let rows = tx
                .query_static("SELECT current_setting('transaction_isolation'), current_setting('transaction_read_only')", &[])
                .await?;
            Ok::<_, Error>((rows[0].get::<_, String>(0), rows[0].get::<_, String>(1)))
        })
        .await
        .unwrap();
    assert_eq!(
        (isolation.as_str(), read_only.as_str()),
        ("serializable", "on")
    );
    let err = conn
        .transaction_with(options, async |tx| {
            tx.execute_static(INSERT, &[Value::Int(1)]).await
        })
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Postgres(_)), "{err:?}");
    db.teardown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn panic_inside_rolls_back() {
    let Some((db, mut conn)) = setup("tx_panic").await else {
        return;
    };
    let caught = AssertUnwindSafe(conn.transaction(async |tx| {
        tx.execute_static(INSERT, &[Value::Int(1)]).await?;
        tx.transaction(async |tx2| {
            tx2.execute_static(INSERT, &[Value::Int(2)]).await?;
            if tx2.in_transaction() {
                panic!("boom");
            }
            Ok::<_, Error>(())
        })
        .await
    }))
    .catch_unwind()
    .await;
    assert!(caught.is_err());
    assert!(!conn.in_transaction());
    assert!(!open_write_transaction(&conn).await);
    assert!(values(&conn).await.is_empty());
    // Still a good connection.
    conn.transaction(async |tx| tx.execute_static(INSERT, &[Value::Int(3)]).await)
        .await
        .unwrap();
    assert_eq!(values(&db.connect().await).await, [3]);
    db.teardown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancellation_rolls_back() {
    let Some((db, mut conn)) = setup("tx_cancel").await else {
        return;
    };
    let timed_out = tokio::time::timeout(
        Duration::from_millis(200),
        conn.transaction(async |tx| {
            tx.execute_static(INSERT, &[Value::Int(1)]).await?;
            tx.batch_execute("SELECT pg_sleep(1)").await?;
            tx.execute_static(INSERT, &[Value::Int(2)]).await?;
            Ok::<_, Error>(())
        }),
    )
    .await;
    assert!(timed_out.is_err(), "the transaction should have timed out");
    assert!(!conn.in_transaction());
    // The rollback was queued behind the sleep, before this query.
    assert!(!open_write_transaction(&conn).await);
    assert!(values(&conn).await.is_empty());

    // Dropped before its first poll: nothing happens at all.
    drop(conn.transaction(async |tx| tx.execute_static(INSERT, &[Value::Int(9)]).await));
    assert!(values(&conn).await.is_empty());
    db.teardown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pool_never_hands_out_an_open_transaction() {
    let Some(db) = pg_common::setup("tx_pool").await else {
        return;
    };
    let pool = db.pool(PoolConfig::default().max_size(1)).await;
    pool.get()
        .await
        .unwrap()
        .batch_execute("CREATE TABLE t (v int4 PRIMARY KEY)")
        .await
        .unwrap();

    async fn check(pool: &Pool) {
        let conn = pool.get().await.unwrap();
        assert!(!conn.in_transaction());
        assert!(!open_write_transaction(&conn).await);
        assert!(values(&conn).await.is_empty());
    }

    // Err.
    let result = pool
        .transaction(async |tx| {
            tx.execute_static(INSERT, &[Value::Int(1)]).await?;
            Err::<(), _>(Error::NotFound)
        })
        .await;
    assert!(matches!(result, Err(Error::NotFound)));
    check(&pool).await;

    // Panic.
    let caught = AssertUnwindSafe(pool.transaction(async |tx| {
        tx.execute_static(INSERT, &[Value::Int(1)]).await?;
        panic!("boom");
        #[allow(unreachable_code)]
        Ok::<_, Error>(())
    }))
    .catch_unwind()
    .await;
    assert!(caught.is_err());
    check(&pool).await;

    // Cancellation.
    let timed_out = tokio::time::timeout(
        Duration::from_millis(100),
        pool.transaction(async |tx| {
            tx.execute_static(INSERT, &[Value::Int(1)]).await?;
            tx.batch_execute("SELECT pg_sleep(0.5)").await
        }),
    )
    .await;
    assert!(timed_out.is_err());
    check(&pool).await;

    // The one connection survived all of it.
    assert_eq!(pool.status().size, 1);
    db.teardown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transactions_run_in_spawned_tasks() {
    let Some((db, conn)) = setup("tx_spawn").await else {
        return;
    };
    drop(conn);
    let pool = db.pool(PoolConfig::default().max_size(4)).await;
    let tasks: Vec<_> = (0..4)
        .map(|i| {
            let pool = pool.clone();
            tokio::spawn(async move {
                let label = format!("task {i}");
                let label = &label; // the closure borrows from the task
                pool.transaction(async |tx| {
                    tx.execute_static(INSERT, &[Value::Int(i)]).await?;
                    tx.query_static("SELECT $1::text", &[Value::Text(label)])
                        .await?;
                    Ok::<_, Error>(())
                })
                .await
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(values(&pool.get().await.unwrap()).await, [0, 1, 2, 3]);
    db.teardown().await;
}
