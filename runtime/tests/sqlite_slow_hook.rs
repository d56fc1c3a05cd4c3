//! The slow-statement hook sees SQLite statements. The hook is global to the
//! process, so this test has a binary of its own.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use quarry_runtime::Value;
use quarry_runtime::sqlite::Connection;

#[test]
fn slow_query_hook_sees_every_statement_over_the_threshold() {
    type Seen = Vec<(&'static str, String, u64)>;
    let seen: Arc<Mutex<Seen>> = Arc::default();
    let sink = Arc::clone(&seen);
    quarry_runtime::set_slow_query_hook(Duration::ZERO, move |q| {
        sink.lock()
            .unwrap()
            .push((q.system, q.sql.to_owned(), q.rows));
    });

    let mut conn = Connection::open_in_memory().unwrap();
    conn.execute_batch("CREATE TABLE t (x INTEGER)").unwrap();
    conn.execute_static(
        "INSERT INTO t (x) VALUES (?1), (?2)",
        &[Value::Int(1), Value::Int(2)],
    )
    .unwrap();
    conn.query_static("SELECT x FROM t", &[], |_| Ok(()))
        .unwrap();

    quarry_runtime::clear_slow_query_hook();
    conn.query_static("SELECT x FROM t", &[], |_| Ok(()))
        .unwrap();

    let seen = seen.lock().unwrap();
    assert_eq!(
        *seen,
        [
            ("sqlite", "CREATE TABLE t (x INTEGER)".to_owned(), 0),
            (
                "sqlite",
                "INSERT INTO t (x) VALUES (?1), (?2)".to_owned(),
                2
            ),
            ("sqlite", "SELECT x FROM t".to_owned(), 2),
        ]
    );
}
