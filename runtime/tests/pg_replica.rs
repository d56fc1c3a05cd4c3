//! `Router` against a real streaming replica: reads on the replica, writes
//! and transactions on the primary, replicas that are down skipped, and the
//! primary as the fallback.
//!
//! The replica is started by `scripts/replica.sh start` (port 5433, or
//! `QUARRY_PG_REPLICA_URL`). Without it the tests are skipped with a note,
//! unless `CI` is set.

mod pg_common;

use std::time::{Duration, Instant};

use quarry_runtime::postgres::{Connection, PooledConnection, Router, RouterConfig};
use quarry_runtime::{Error, Value};

fn replica_url() -> String {
    std::env::var("QUARRY_PG_REPLICA_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5433/test".to_owned())
}

/// A URL where nothing listens.
const DEAD_REPLICA: &str = "postgres://postgres@127.0.0.1:1/test?connect_timeout=1";

/// Whether the replica answers, or `false` (after saying why) when it does
/// not and `CI` is not set.
async fn replica_is_up() -> bool {
    let url = replica_url();
    match Connection::connect(&url).await {
        Ok(_) => true,
        Err(e) if std::env::var_os("CI").is_none() => {
            println!("skipped: no read replica at {url} (run scripts/replica.sh start): {e}");
            false
        }
        Err(e) => panic!("no read replica at {url} and CI is set: {e:?}"),
    }
}

async fn in_recovery(conn: &PooledConnection) -> bool {
    conn.query_raw("SELECT pg_is_in_recovery()", &[])
        .await
        .unwrap()[0]
        .get(0)
}

fn quiet() -> RouterConfig {
    RouterConfig::default().health_check_interval(None)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_go_to_the_replica_writes_to_the_primary() {
    let Some(db) = pg_common::setup("replica_routes").await else {
        return;
    };
    if !replica_is_up().await {
        return;
    }
    let s = &db.schema;
    db.admin
        .batch_execute(&format!(
            "CREATE TABLE {s}.note (id int PRIMARY KEY, body text)"
        ))
        .await
        .unwrap();
    let replica = replica_url();
    let router = Router::with_config(&pg_common::base_url(), &[replica.as_str()], quiet())
        .await
        .unwrap();
    assert_eq!(router.replicas_up(), (1, 1));

    assert!(in_recovery(&router.read().get().await.unwrap()).await);
    assert!(!in_recovery(&router.get().await.unwrap()).await);
    assert!(!in_recovery(&router.read().primary().get().await.unwrap()).await);

    // A write through the router lands on the primary and streams to the
    // replica.
    let written = Instant::now();
    router
        .get()
        .await
        .unwrap()
        .execute(
            &format!("INSERT INTO {s}.note VALUES (1, $1)"),
            &[Value::Text("hello")],
        )
        .await
        .unwrap();
    let select = format!("SELECT body FROM {s}.note WHERE id = 1");
    // Read-your-writes on the primary: at once.
    let rows = router
        .read()
        .primary()
        .get()
        .await
        .unwrap()
        .query_raw(&select, &[])
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    // On the replica once replayed.
    loop {
        let rows = router
            .read()
            .get()
            .await
            .unwrap()
            .query_raw(&select, &[])
            .await
            .unwrap();
        if rows.len() == 1 {
            assert_eq!(rows[0].get::<_, &str>(0), "hello");
            break;
        }
        assert!(
            written.elapsed() < Duration::from_secs(20),
            "the replica did not replay the write"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    println!("replica caught up after {:?}", written.elapsed());

    // A replica is read-only: a write sent there by mistake fails.
    let refused = router
        .read()
        .get()
        .await
        .unwrap()
        .execute(&format!("INSERT INTO {s}.note VALUES (2, 'x')"), &[])
        .await
        .unwrap_err();
    assert_eq!(refused.sqlstate(), Some("25006"), "{refused:?}");

    // Transactions run on the primary.
    let recovery = router
        .transaction(async |tx| {
            tx.execute(&format!("INSERT INTO {s}.note VALUES (3, 'tx')"), &[])
                .await?;
            let rows = tx.query_raw("SELECT pg_is_in_recovery()", &[]).await?;
            Ok::<bool, Error>(rows[0].get(0))
        })
        .await
        .unwrap();
    assert!(!recovery);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replica_that_is_down_is_skipped() {
    if pg_common::setup("replica_skip").await.is_none() || !replica_is_up().await {
        return;
    }
    let replica = replica_url();
    let router = Router::with_config(
        &pg_common::base_url(),
        &[DEAD_REPLICA, replica.as_str()],
        quiet().skip_failed_replica_for(Duration::from_secs(60)),
    )
    .await
    .unwrap();
    // The check at start found the dead one.
    assert_eq!(router.replicas_up(), (2, 1));
    for _ in 0..10 {
        let conn = router.read().get().await.unwrap();
        assert!(in_recovery(&conn).await);
    }
    // Found again by the health check, still down.
    router.check_replicas().await;
    assert_eq!(router.replicas_up(), (2, 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_no_replica_up_reads_fall_back_to_the_primary() {
    if pg_common::setup("replica_fallback").await.is_none() {
        return;
    }
    let router = Router::with_config(&pg_common::base_url(), &[DEAD_REPLICA], quiet())
        .await
        .unwrap();
    assert_eq!(router.replicas_up(), (1, 0));
    let conn = router.read().get().await.unwrap();
    assert!(!in_recovery(&conn).await);
    drop(conn);

    let strict = Router::with_config(
        &pg_common::base_url(),
        &[DEAD_REPLICA],
        quiet().fall_back_to_primary(false),
    )
    .await
    .unwrap();
    let refused = strict.read().get().await.unwrap_err();
    assert!(matches!(refused, Error::Connect { .. }), "{refused:?}");

    // A replica URL that does not parse is a configuration error at once.
    let wrong = Router::connect(&pg_common::base_url(), &["postgres://h/db?nonsense=1"]).await;
    assert!(matches!(wrong, Err(Error::Config(_))), "{wrong:?}");
}
