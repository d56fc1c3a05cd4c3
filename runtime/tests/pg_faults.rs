//! Faults against a real server: a network that stops answering, statements
//! abandoned mid-flight, transactions cancelled around `COMMIT`, and
//! connections returned inside a transaction (issue #14).
//!
//! Timings are asserted only as upper bounds derived from the configured
//! timeouts (plus 20%); each test prints what it measured.

mod pg_common;

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use quarry_runtime::postgres::{Connection, PoolConfig, tokio_postgres, with_statement_timeout};
use quarry_runtime::{Error, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A TCP proxy to the test server that stops forwarding bytes, in both
/// directions and on every connection, once `stall` is set.
struct Proxy {
    port: u16,
    stall: Arc<AtomicBool>,
}

impl Proxy {
    async fn start(upstream: String) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let stall = Arc::new(AtomicBool::new(false));
        let flag = stall.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let Ok(server) = TcpStream::connect(&upstream).await else {
                    continue;
                };
                let (cr, cw) = client.into_split();
                let (sr, sw) = server.into_split();
                tokio::spawn(pipe(cr, sw, flag.clone()));
                tokio::spawn(pipe(sr, cw, flag.clone()));
            }
        });
        Proxy { port, stall }
    }

    /// `url` with its host and port replaced by the proxy's.
    fn url(&self, url: &str) -> String {
        url.replacen("127.0.0.1:5432", &format!("127.0.0.1:{}", self.port), 1)
    }
}

async fn pipe(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    stall: Arc<AtomicBool>,
) {
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        while stall.load(Ordering::Relaxed) {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let n = match from.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        // Bytes read just as the switch flips are held back too.
        while stall.load(Ordering::Relaxed) {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        if to.write_all(&buf[..n]).await.is_err() {
            return;
        }
    }
}

/// The upstream address of the test server, from its URL.
fn upstream() -> Option<String> {
    let base = pg_common::base_url();
    base.contains("127.0.0.1:5432")
        .then(|| "127.0.0.1:5432".to_owned())
}

async fn backend_pid(conn: &Connection) -> i32 {
    conn.query_raw("SELECT pg_backend_pid()", &[])
        .await
        .unwrap()[0]
        .get(0)
}

/// Whether the server says `conn` is outside any transaction block: in
/// the simple query protocol, `now()` (the transaction's start) equals
/// `statement_timestamp()` only then. (In the extended protocol `Bind`
/// restarts the statement clock, so the test would always say no.)
async fn server_idle(conn: &Connection) -> bool {
    let messages = conn
        .client()
        .simple_query("SELECT now() = statement_timestamp()")
        .await
        .unwrap();
    messages.iter().any(
        |m| matches!(m, tokio_postgres::SimpleQueryMessage::Row(row) if row.get(0) == Some("t")),
    )
}

/// Whether the caller waited for the timeout rather than failing at once.
/// Only a bound from below: the typed `Error::Timeout` already says that
/// quarry's timer ended the wait, and a loaded machine only makes it
/// longer (timings belong to benchmarks, not to these assertions).
fn waited(elapsed: Duration, limit: Duration) -> bool {
    elapsed >= limit / 2
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn statement_timeout_on_a_silent_network() {
    let Some(db) = pg_common::setup("fault_silent").await else {
        return;
    };
    let Some(upstream) = upstream() else {
        println!("skipped: the proxy test needs the server at 127.0.0.1:5432");
        return db.teardown().await;
    };
    let proxy = Proxy::start(upstream).await;
    let timeout = Duration::from_millis(500);
    let config = PoolConfig::default()
        .max_size(1)
        .statement_timeout(Some(timeout))
        .connect_timeout(Some(Duration::from_secs(2)));
    let pool = quarry_runtime::postgres::Pool::with_config(&proxy.url(&db.url), config)
        .await
        .unwrap();
    let conn = pool.get().await.unwrap();
    let pid = backend_pid(&conn).await;

    proxy.stall.store(true, Ordering::Relaxed);
    let started = Instant::now();
    let err = conn.query_raw("SELECT 1", &[]).await.unwrap_err();
    let elapsed = started.elapsed();
    println!("statement_timeout {timeout:?}: typed error after {elapsed:?}");
    assert!(
        matches!(err, Error::Timeout { setting: "statement_timeout", after } if after == timeout),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "the statement did not finish within `statement_timeout` (500ms)"
    );
    assert!(waited(elapsed, timeout), "{elapsed:?}");
    assert!(conn.is_closed());
    drop(conn);

    // The pool does not hand that connection out again.
    proxy.stall.store(false, Ordering::Relaxed);
    let conn = pool.get().await.unwrap();
    assert_ne!(backend_pid(&conn).await, pid);
    drop(conn);

    // A per-scope override, shorter than the pool's.
    let conn = pool.get().await.unwrap();
    let short = Duration::from_millis(100);
    let started = Instant::now();
    let err = with_statement_timeout(Some(short), conn.execute("SELECT pg_sleep(2)", &[]))
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    println!("with_statement_timeout {short:?}: typed error after {elapsed:?}");
    assert!(
        matches!(err, Error::Timeout { after, .. } if after == short),
        "{err:?}"
    );
    assert!(waited(elapsed, short), "{elapsed:?}");
    drop(conn);
    db.teardown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connect_timeout_on_a_silent_network() {
    let Some(db) = pg_common::setup("fault_connect").await else {
        return;
    };
    let Some(upstream) = upstream() else {
        return db.teardown().await;
    };
    let proxy = Proxy::start(upstream).await;
    proxy.stall.store(true, Ordering::Relaxed);
    let timeout = Duration::from_millis(300);
    let started = Instant::now();
    let err = quarry_runtime::postgres::Pool::with_config(
        &proxy.url(&db.url),
        PoolConfig::default().connect_timeout(Some(timeout)),
    )
    .await
    .unwrap_err();
    let elapsed = started.elapsed();
    println!("connect_timeout {timeout:?}: typed error after {elapsed:?}");
    assert!(
        matches!(err, Error::Timeout { setting: "connect_timeout", after } if after == timeout),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "no connection was opened within `connect_timeout` (300ms)"
    );
    assert!(waited(elapsed, timeout), "{elapsed:?}");
    db.teardown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn abandoned_statement_is_cancelled_on_the_server() {
    let Some(db) = pg_common::setup("fault_cancel").await else {
        return;
    };
    let pool = db.pool(PoolConfig::default().max_size(1)).await;
    let conn = pool.get().await.unwrap();
    let pid = backend_pid(&conn).await;
    let abandoned = tokio::time::timeout(
        Duration::from_millis(200),
        conn.execute("SELECT pg_sleep(5)", &[]),
    )
    .await;
    assert!(abandoned.is_err(), "pg_sleep(5) finished within 200 ms?");
    drop(conn);

    // The next caller does not wait for someone else's cancelled statement.
    let started = Instant::now();
    let conn = pool.get().await.unwrap();
    let rows = conn.query_raw("SELECT 1", &[]).await.unwrap();
    let elapsed = started.elapsed();
    println!("next get()+query after an abandoned pg_sleep(5): {elapsed:?}");
    assert_eq!(rows.len(), 1);
    // Well before the abandoned pg_sleep(5) would have ended.
    assert!(elapsed < Duration::from_secs(4), "{elapsed:?}");
    // A new connection: the old one had a cancel request sent on it, which
    // the server could act on during the next borrower's statement.
    assert_ne!(backend_pid(&conn).await, pid);

    // Cancelled on the server: gone well before its 5 s. The cancel request
    // runs in the background (over TLS it takes a handshake too), so give
    // the server a moment to act on it.
    let mut sleeping = 1;
    for _ in 0..20 {
        sleeping = db
            .admin
            .query_raw(
                "SELECT count(*) FROM pg_stat_activity \
                 WHERE application_name = $1 AND query LIKE '%pg_sleep(5)%' AND state = 'active'",
                &[Value::Text(&db.app)],
            )
            .await
            .unwrap()[0]
            .get::<_, i64>(0);
        if sleeping == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        sleeping, 0,
        "pg_sleep(5) still runs 2 s after it was abandoned"
    );
    drop(conn);
    db.teardown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelled_transactions_commit_only_after_commit_was_sent() {
    let Some(db) = pg_common::setup("fault_tx_cancel").await else {
        return;
    };
    let pool = db.pool(PoolConfig::default().max_size(2)).await;
    pool.get()
        .await
        .unwrap()
        .batch_execute("CREATE TABLE applied (id int4 PRIMARY KEY)")
        .await
        .unwrap();

    const RUNS: i32 = 500;
    // The ids whose closure returned Ok: COMMIT is queued in the same poll.
    let commit_sent = Arc::new(Mutex::new(HashSet::new()));
    let mut finished_ok = HashSet::new();
    let mut cancelled = HashSet::new();
    let mut failed = 0;
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for id in 0..RUNS {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let wait = Duration::from_micros((seed >> 33) % 4_001);
        let sent = commit_sent.clone();
        let outcome = tokio::time::timeout(
            wait,
            pool.transaction(async |tx| {
                tx.execute("INSERT INTO applied VALUES ($1)", &[Value::Int(id)])
                    .await?;
                sent.lock().unwrap().insert(id);
                Ok::<_, Error>(())
            }),
        )
        .await;
        match outcome {
            Ok(Ok(())) => {
                finished_ok.insert(id);
            }
            Ok(Err(e)) => {
                println!("transaction {id} failed: {e}");
                failed += 1;
            }
            Err(_) => {
                cancelled.insert(id);
            }
        }
    }

    // Every pooled connection is idle and outside a transaction.
    for _ in 0..2 {
        let conn = pool.get().await.unwrap();
        assert!(server_idle(&conn).await);
    }
    let committed: HashSet<i32> = pool
        .get()
        .await
        .unwrap()
        .query_raw("SELECT id FROM applied", &[])
        .await
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    let sent = commit_sent.lock().unwrap().clone();
    let cancelled_after_commit: HashSet<i32> = cancelled.intersection(&sent).copied().collect();
    let cancelled_committed = cancelled.intersection(&committed).count();
    println!(
        "{RUNS} transactions: {} finished Ok, {failed} failed, {} cancelled; \
         of the cancelled, {} had COMMIT sent and {cancelled_committed} committed; \
         {} rows committed in all, every one with COMMIT sent",
        finished_ok.len(),
        cancelled.len(),
        cancelled_after_commit.len(),
        committed.len(),
    );
    // Nothing committed whose COMMIT was not sent...
    assert!(
        committed.is_subset(&sent),
        "{:?}",
        committed.difference(&sent)
    );
    // ...and everything reported Ok committed.
    assert!(finished_ok.is_subset(&committed));
    assert!(!cancelled.is_empty());
    db.teardown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connection_returned_inside_a_raw_transaction_is_rolled_back() {
    let Some(db) = pg_common::setup("fault_raw_tx").await else {
        return;
    };
    let pool = db.pool(PoolConfig::default().max_size(1)).await;
    let conn = pool.get().await.unwrap();
    let pid = backend_pid(&conn).await;
    conn.batch_execute("CREATE TABLE t (id int4)")
        .await
        .unwrap();
    conn.batch_execute("BEGIN; INSERT INTO t VALUES (1)")
        .await
        .unwrap();
    assert!(!server_idle(&conn).await);
    drop(conn);

    let conn = pool.get().await.unwrap();
    assert_eq!(backend_pid(&conn).await, pid);
    assert!(!conn.in_transaction());
    assert!(server_idle(&conn).await, "handed out inside a transaction");
    let rows: i64 = conn.query_raw("SELECT count(*) FROM t", &[]).await.unwrap()[0].get(0);
    assert_eq!(rows, 0, "the insert was not rolled back");
    drop(conn);
    db.teardown().await;
}
