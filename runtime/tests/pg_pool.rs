//! `postgres::Pool`: checkout, limits, lifetimes, health checks and recovery
//! from lost connections.

mod pg_common;

use std::time::Duration;

use quarry_runtime::postgres::{Connection, Pool, PoolConfig};
use quarry_runtime::{Error, Value};

async fn backend_pid(conn: &Connection) -> i32 {
    conn.query_static("SELECT pg_backend_pid()", &[])
        .await
        .unwrap()[0]
        .get(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pooled_connections_are_connections() {
    let Some(db) = pg_common::setup("pool_basic").await else {
        return;
    };
    let pool = db.pool(PoolConfig::default().max_size(2)).await;
    pool.ping().await.unwrap();

    // One code path: a `PooledConnection` is used as a `&Connection`.
    async fn count(conn: &Connection) -> i64 {
        conn.query_static(
            "SELECT count(*) FROM pg_class WHERE relname = $1",
            &[Value::Text("x")],
        )
        .await
        .unwrap()[0]
            .get(0)
    }
    let conn = pool.get().await.unwrap();
    assert_eq!(count(&conn).await, 0);
    let pid = backend_pid(&conn).await;
    let cached = conn.cached_statements();
    drop(conn);

    // The same physical connection comes back, with its statement cache.
    let conn = pool.get().await.unwrap();
    assert_eq!(backend_pid(&conn).await, pid);
    assert_eq!(conn.cached_statements(), cached);
    // A second physical connection has its own cache.
    let other = pool.get().await.unwrap();
    assert_ne!(backend_pid(&other).await, pid);
    assert_eq!(other.cached_statements(), 1);
    let status = pool.status();
    assert_eq!((status.size, status.available, status.max_size), (2, 0, 2));
    drop((conn, other));

    // The search_path from the URL applies to every pooled connection.
    let conn = pool.get().await.unwrap();
    let rows = conn
        .query_raw("SELECT current_schema()", &[])
        .await
        .unwrap();
    assert_eq!(rows[0].get::<_, &str>(0), db.schema);
    drop(conn);

    pool.close();
    assert!(matches!(pool.get().await, Err(Error::Config(_))));
    db.teardown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exhausted_pool_times_out() {
    let Some(db) = pg_common::setup("pool_timeout").await else {
        return;
    };
    let wait = Duration::from_millis(100);
    let pool = db
        .pool(PoolConfig::default().max_size(1).wait_timeout(Some(wait)))
        .await;
    let held = pool.get().await.unwrap();
    match pool.get().await {
        Err(Error::PoolTimeout { setting, waited }) => {
            assert_eq!(setting, "wait_timeout");
            assert!(waited > Duration::ZERO);
        }
        other => panic!("expected a pool timeout, got {other:?}"),
    }
    // A connection returned in time is handed to the waiter.
    let waiter = tokio::spawn({
        let pool = pool.clone();
        async move { pool.get().await.map(|_| ()) }
    });
    tokio::time::sleep(Duration::from_millis(20)).await;
    drop(held);
    waiter.await.unwrap().unwrap();
    db.teardown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn max_lifetime_retires_connections() {
    let Some(db) = pg_common::setup("pool_lifetime").await else {
        return;
    };
    let pool = db
        .pool(
            PoolConfig::default()
                .max_size(1)
                .max_lifetime(Some(Duration::from_millis(150)))
                .idle_timeout(None),
        )
        .await;
    let first = backend_pid(&pool.get().await.unwrap()).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let second = backend_pid(&pool.get().await.unwrap()).await;
    assert_ne!(first, second, "an expired connection was reused");
    db.teardown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_timeout_retires_connections() {
    let Some(db) = pg_common::setup("pool_idle").await else {
        return;
    };
    let pool = db
        .pool(
            PoolConfig::default()
                .max_size(2)
                .idle_timeout(Some(Duration::from_millis(100))),
        )
        .await;
    let conn = pool.get().await.unwrap();
    let first = backend_pid(&conn).await;
    // Busy for longer than the idle timeout: not idle, so kept.
    tokio::time::sleep(Duration::from_millis(250)).await;
    drop(conn);
    let conn = pool.get().await.unwrap();
    assert_eq!(backend_pid(&conn).await, first);
    drop(conn);

    // Idle for long: the background task closes it.
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(pool.status().size, 0, "idle connection still open");
    let second = backend_pid(&pool.get().await.unwrap()).await;
    assert_ne!(first, second);
    db.teardown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_on_checkout_replaces_dead_connections() {
    let Some(db) = pg_common::setup("pool_preping").await else {
        return;
    };
    let pool = db
        .pool(PoolConfig::default().max_size(3).test_on_checkout(true))
        .await;
    // Three connections in the pool.
    let conns = [
        pool.get().await.unwrap(),
        pool.get().await.unwrap(),
        pool.get().await.unwrap(),
    ];
    let mut old = Vec::new();
    for conn in &conns {
        old.push(backend_pid(conn).await);
    }
    drop(conns);
    assert_eq!(db.terminate_backends().await, 3);

    // Every checkout succeeds, on a new backend.
    let conns = [
        pool.get().await.unwrap(),
        pool.get().await.unwrap(),
        pool.get().await.unwrap(),
    ];
    for conn in &conns {
        assert!(!old.contains(&backend_pid(conn).await));
    }
    db.teardown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recovers_after_every_backend_is_terminated() {
    let Some(db) = pg_common::setup("pool_recovery").await else {
        return;
    };
    // No pre-ping: the pool must notice closed connections by itself.
    let pool = db.pool(PoolConfig::default().max_size(4)).await;
    let conns = [pool.get().await.unwrap(), pool.get().await.unwrap()];
    for conn in &conns {
        backend_pid(conn).await;
    }
    drop(conns);
    assert_eq!(db.terminate_backends().await, 2);
    // The backends have exited; let the clients read the end of their
    // sockets.
    tokio::time::sleep(Duration::from_millis(100)).await;

    let conn = pool.get().await.unwrap();
    conn.query_static("SELECT 1", &[]).await.unwrap();
    assert!(!conn.is_closed());
    db.teardown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lost_connection_is_not_returned_healthy() {
    let Some(db) = pg_common::setup("pool_lost").await else {
        return;
    };
    let pool = db.pool(PoolConfig::default().max_size(1)).await;
    let conn = pool.get().await.unwrap();
    let pid = backend_pid(&conn).await;
    // Terminated while checked out: the next statement fails...
    db.terminate_backends().await;
    let err = conn.query_static("SELECT 1", &[]).await.unwrap_err();
    assert!(matches!(err, Error::ConnectionLost { .. }), "{err:?}");
    drop(conn);
    // ...and the pool replaces the connection instead of handing it out.
    let conn = pool.get().await.unwrap();
    assert_ne!(backend_pid(&conn).await, pid);
    assert_eq!(pool.status().size, 1);
    db.teardown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pool_errors() {
    let err = Pool::with_config(
        "postgres://postgres@127.0.0.1:1/test",
        PoolConfig::default(),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, Error::Connect { .. }), "{err:?}");
    let err = Pool::with_config("not a url", PoolConfig::default())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err:?}");
    let err = Pool::with_config(&pg_common::base_url(), PoolConfig::default().max_size(0))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err:?}");
}
