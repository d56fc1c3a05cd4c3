//! The slow-statement hook sees PostgreSQL statements. The hook is global to
//! the process, so this test has a binary of its own.

mod pg_common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use quarry_runtime::Value;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_query_hook_sees_postgres_statements() {
    let Some(db) = pg_common::setup("slow_hook").await else {
        return;
    };
    let conn = db.connect().await;
    conn.batch_execute("CREATE TABLE t (x int4)").await.unwrap();

    type Seen = Vec<(&'static str, String, u64)>;
    let seen: Arc<Mutex<Seen>> = Arc::default();
    let sink = Arc::clone(&seen);
    quarry_runtime::set_slow_query_hook(Duration::ZERO, move |q| {
        sink.lock()
            .unwrap()
            .push((q.system, q.sql.to_owned(), q.rows));
    });
    conn.execute_static(
        "INSERT INTO t (x) VALUES ($1), ($2)",
        &[Value::Int(1), Value::Int(2)],
    )
    .await
    .unwrap();
    conn.query_static("SELECT x FROM t", &[]).await.unwrap();
    quarry_runtime::clear_slow_query_hook();
    conn.query_static("SELECT x FROM t", &[]).await.unwrap();

    let seen = seen.lock().unwrap().clone();
    assert_eq!(
        seen,
        [
            (
                "postgresql",
                "INSERT INTO t (x) VALUES ($1), ($2)".to_owned(),
                2
            ),
            ("postgresql", "SELECT x FROM t".to_owned(), 2),
        ]
    );
    db.teardown().await;
}
