//! SQLSTATE → `Error` mapping, against a real server.

mod pg_common;

use std::time::Duration;

use quarry_runtime::postgres::{IsolationLevel, TransactionOptions};
use quarry_runtime::{Error, Value};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn constraint_violations() {
    let Some(db) = pg_common::setup("constraints").await else {
        return;
    };
    let conn = db.connect().await;
    conn.batch_execute(
        "CREATE TABLE parent (id int4 PRIMARY KEY);
         CREATE TABLE child (
            id int4 CONSTRAINT child_pk PRIMARY KEY,
            parent_id int4 CONSTRAINT child_parent_fk REFERENCES parent (id),
            name text NOT NULL,
            qty int4 CONSTRAINT qty_positive CHECK (qty > 0),
            email text CONSTRAINT child_email_key UNIQUE
         );
         INSERT INTO parent VALUES (1);
         INSERT INTO child VALUES (1, 1, 'a', 1, 'a@x')",
    )
    .await
    .unwrap();
    const INSERT: &str = "INSERT INTO child VALUES ($1, $2, $3, $4, $5)";
    let insert =
        |id: i32, parent: i32, name: Option<&'static str>, qty: i32, email: &'static str| {
            let conn = &conn;
            async move {
                conn.execute_static(
                    INSERT,
                    &[
                        Value::Int(id),
                        Value::Int(parent),
                        name.map_or(Value::Null, Value::Text),
                        Value::Int(qty),
                        Value::Text(email),
                    ],
                )
                .await
            }
        };

    match insert(1, 1, Some("b"), 1, "b@x").await.unwrap_err() {
        Error::UniqueViolation { constraint, .. } => assert_eq!(constraint, "child_pk"),
        other => panic!("{other:?}"),
    }
    match insert(2, 1, Some("b"), 1, "a@x").await.unwrap_err() {
        Error::UniqueViolation { constraint, .. } => assert_eq!(constraint, "child_email_key"),
        other => panic!("{other:?}"),
    }
    match insert(2, 99, Some("b"), 1, "b@x").await.unwrap_err() {
        Error::ForeignKeyViolation { constraint, .. } => assert_eq!(constraint, "child_parent_fk"),
        other => panic!("{other:?}"),
    }
    match insert(2, 1, None, 1, "b@x").await.unwrap_err() {
        Error::NotNullViolation { column, .. } => assert_eq!(column, "child.name"),
        other => panic!("{other:?}"),
    }
    match insert(2, 1, Some("b"), 0, "b@x").await.unwrap_err() {
        Error::CheckViolation { constraint, source } => {
            assert_eq!(constraint, "qty_positive");
            // The driver's error stays as the source.
            assert!(format!("{source:?}").contains("qty_positive"), "{source:?}");
        }
        other => panic!("{other:?}"),
    }
    // Anything else is `Error::Postgres`.
    let err = conn
        .batch_execute("SELECT * FROM missing_table")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Postgres(_)), "{err:?}");
    assert!(!conn.is_closed());
    db.teardown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serialization_failure() {
    let Some(db) = pg_common::setup("serialization").await else {
        return;
    };
    let mut a = db.connect().await;
    let b = db.connect().await;
    a.batch_execute(
        "CREATE TABLE counter (id int4 PRIMARY KEY, n int4); INSERT INTO counter VALUES (1, 0)",
    )
    .await
    .unwrap();

    let options = TransactionOptions::default().isolation(IsolationLevel::RepeatableRead);
    let result = a
        .transaction_with(options, async |tx| {
            // Take the snapshot, then let another connection change the row.
            tx.query_static("SELECT n FROM counter WHERE id = 1", &[])
                .await?;
            b.execute_static("UPDATE counter SET n = n + 1 WHERE id = 1", &[])
                .await?;
            tx.execute_static("UPDATE counter SET n = n + 10 WHERE id = 1", &[])
                .await?;
            Ok::<_, Error>(())
        })
        .await;
    assert!(
        matches!(result, Err(Error::SerializationFailure { .. })),
        "{result:?}"
    );
    let rows = a
        .query_static("SELECT n FROM counter WHERE id = 1", &[])
        .await
        .unwrap();
    assert_eq!(rows[0].get::<_, i32>(0), 1);
    db.teardown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deadlock_is_its_own_retryable_variant() {
    let Some(db) = pg_common::setup("deadlock").await else {
        return;
    };
    let a = db.connect().await;
    let b = db.connect().await;
    a.batch_execute("CREATE TABLE r (id int4 PRIMARY KEY); INSERT INTO r VALUES (1), (2)")
        .await
        .unwrap();
    for conn in [&a, &b] {
        conn.batch_execute("SET deadlock_timeout = '50ms'; BEGIN")
            .await
            .unwrap();
    }
    const LOCK: &str = "SELECT id FROM r WHERE id = $1 FOR UPDATE";
    a.query_static(LOCK, &[Value::Int(1)]).await.unwrap();
    b.query_static(LOCK, &[Value::Int(2)]).await.unwrap();
    // Each now waits for the other's row: one of them is chosen to fail.
    let (ra, rb) = tokio::join!(
        a.query_static(LOCK, &[Value::Int(2)]),
        b.query_static(LOCK, &[Value::Int(1)]),
    );
    let failures: Vec<Error> = [ra, rb].into_iter().filter_map(Result::err).collect();
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert!(
        matches!(&failures[0], Error::Deadlock { source } if format!("{source:?}").contains("deadlock detected")),
        "{failures:?}"
    );
    assert!(failures[0].is_retryable());
    assert!(
        failures[0].to_string().starts_with(
            "deadlock detected, retry the transaction: deadlock detected (SQLSTATE 40P01)"
        ),
        "{}",
        failures[0]
    );
    for conn in [&a, &b] {
        conn.batch_execute("ROLLBACK").await.unwrap();
    }
    db.teardown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn terminated_backend_is_connection_lost() {
    let Some(db) = pg_common::setup("conn_lost").await else {
        return;
    };
    let conn = db.connect().await;
    assert_eq!(db.terminate_backends().await, 1);
    let err = conn.query_static("SELECT 1", &[]).await.unwrap_err();
    assert!(matches!(err, Error::ConnectionLost { .. }), "{err:?}");
    assert!(conn.is_closed());

    // A statement in flight when the server ends the session.
    let conn = db.connect().await;
    let pid: i32 = conn
        .query_raw("SELECT pg_backend_pid()", &[])
        .await
        .unwrap()[0]
        .get(0);
    let (slept, _) = tokio::join!(conn.batch_execute("SELECT pg_sleep(10)"), async {
        tokio::time::sleep(Duration::from_millis(100)).await;
        db.admin
            .query_raw("SELECT pg_terminate_backend($1)", &[Value::Int(pid)])
            .await
            .unwrap();
    });
    let err = slept.unwrap_err();
    assert!(matches!(err, Error::ConnectionLost { .. }), "{err:?}");
    assert!(conn.is_closed());
    db.teardown().await;
}
