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

/// What each error says: the server's primary message and SQLSTATE, never
/// just "PostgreSQL error", and never a bind value or the DETAIL field.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn display_says_why() {
    let Some(db) = pg_common::setup("display").await else {
        return;
    };
    let conn = db.connect().await;

    let err = conn.batch_execute("SELEC 1").await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "PostgreSQL error: syntax error at or near \"SELEC\" (SQLSTATE 42601)"
    );
    assert_eq!(err.sqlstate(), Some("42601"));

    let err = conn
        .query_raw("SELECT * FROM missing_table", &[])
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "PostgreSQL error: relation \"missing_table\" does not exist (SQLSTATE 42P01)"
    );

    conn.batch_execute(
        "CREATE TABLE parent (id int4 PRIMARY KEY);
         CREATE TABLE child (
            id int4 CONSTRAINT child_pk PRIMARY KEY,
            parent_id int4 CONSTRAINT child_parent_fk REFERENCES parent (id),
            name text NOT NULL,
            qty int4 CONSTRAINT qty_positive CHECK (qty > 0)
         );
         INSERT INTO parent VALUES (1);
         INSERT INTO child VALUES (424242, 1, 'a', 1)",
    )
    .await
    .unwrap();
    const INSERT: &str = "INSERT INTO child VALUES ($1, $2, $3, $4)";
    let insert = |id: i32, parent: i32, name: Option<&'static str>, qty: i32| {
        let conn = &conn;
        async move {
            conn.execute_static(
                INSERT,
                &[
                    Value::Int(id),
                    Value::Int(parent),
                    name.map_or(Value::Null, Value::Text),
                    Value::Int(qty),
                ],
            )
            .await
            .unwrap_err()
            .to_string()
        }
    };
    let unique = insert(424242, 1, Some("b"), 1).await;
    assert_eq!(
        unique,
        "unique constraint `child_pk` violated: duplicate key value violates unique \
         constraint \"child_pk\" (SQLSTATE 23505)"
    );
    // DETAIL (`Key (id)=(424242) already exists`) holds the value: left out,
    // of `Display` and of what a log prints of the error and its sources.
    assert!(!unique.contains("424242"), "{unique}");
    let err = conn
        .execute_static(
            INSERT,
            &[
                Value::Int(424242),
                Value::Int(1),
                Value::Text("b"),
                Value::Int(1),
            ],
        )
        .await
        .unwrap_err();
    let logged = format!("{} {err:?} {}", chain(&err), chain_debug(&err));
    assert!(!logged.contains("424242"), "{logged}");
    // The driver's error, DETAIL and all, only on request.
    let driver = err.driver_error().expect("a driver error").get_ref();
    let detail = driver
        .downcast_ref::<tokio_postgres::Error>()
        .and_then(|e| e.as_db_error())
        .and_then(|db| db.detail());
    assert_eq!(detail, Some("Key (id)=(424242) already exists."));
    let fk = insert(2, 939393, Some("b"), 1).await;
    assert_eq!(
        fk,
        "foreign key constraint `child_parent_fk` violated: insert or update on table \
         \"child\" violates foreign key constraint \"child_parent_fk\" (SQLSTATE 23503)"
    );
    assert!(!fk.contains("939393"), "{fk}");
    assert_eq!(
        insert(2, 1, None, 1).await,
        "not-null constraint violated on `child.name`: null value in column \"name\" of \
         relation \"child\" violates not-null constraint (SQLSTATE 23502)"
    );
    assert_eq!(
        insert(2, 1, Some("b"), -7).await,
        "check constraint `qty_positive` violated: new row for relation \"child\" violates \
         check constraint \"qty_positive\" (SQLSTATE 23514)"
    );
    db.teardown().await;
}

/// A value the server parses from text and rejects (a data exception,
/// SQLSTATE class 22) is quoted in PostgreSQL's primary message; quarry's
/// text leaves it out and keeps the rest.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn data_exceptions_do_not_quote_the_value() {
    let Some(db) = pg_common::setup("data_exception").await else {
        return;
    };
    let conn = db.connect().await;
    conn.batch_execute("CREATE TYPE mood AS ENUM ('ok', 'sad')")
        .await
        .unwrap();
    for (sql, value, expected) in [
        (
            "SELECT $1::text::mood",
            "secret \"quoted\" mood",
            "PostgreSQL error: invalid input value for enum mood: \"…\" (SQLSTATE 22P02)",
        ),
        (
            "SELECT $1::text::int4",
            "12x-secret",
            "PostgreSQL error: invalid input syntax for type integer: \"…\" (SQLSTATE 22P02)",
        ),
        (
            "SELECT $1::text::int2",
            "99999999",
            "PostgreSQL error: value \"…\" is out of range for type smallint (SQLSTATE 22003)",
        ),
    ] {
        let err = conn
            .query_raw(sql, &[Value::Text(value)])
            .await
            .unwrap_err();
        assert_eq!(err.to_string(), expected);
        let logged = format!("{} {err:?} {}", chain(&err), chain_debug(&err));
        assert!(!logged.contains(value), "{logged}");
    }
    db.teardown().await;
}

/// `e` and its sources, as a chain printer (`anyhow`'s `{:#}`) shows them.
fn chain(e: &Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(inner) = source {
        text.push_str(&format!(": {inner}"));
        source = inner.source();
    }
    text
}

/// The `Debug` of each source.
fn chain_debug(e: &Error) -> String {
    let mut text = String::new();
    let mut source = std::error::Error::source(e);
    while let Some(inner) = source {
        text.push_str(&format!("{inner:?} "));
        source = inner.source();
    }
    text
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn display_of_connect_errors() {
    let base = pg_common::base_url();
    // A missing database: the server's message and SQLSTATE.
    let missing = base.rsplit_once('/').map_or(base.clone(), |(server, _)| {
        format!("{server}/quarry_no_such_db")
    });
    match quarry_runtime::postgres::Connection::connect(&missing).await {
        Err(e @ Error::Postgres(_)) => assert_eq!(
            e.to_string(),
            "PostgreSQL error: database \"quarry_no_such_db\" does not exist (SQLSTATE 3D000)"
        ),
        Err(Error::Connect { .. }) => return println!("skipped: PostgreSQL unreachable"),
        other => panic!("{other:?}"),
    }
    // A refused connection: where, and the I/O error.
    let err = quarry_runtime::postgres::Connection::connect("postgres://postgres@127.0.0.1:1/test")
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.starts_with("cannot connect to 127.0.0.1:1: "),
        "{text}"
    );
    assert!(text.to_lowercase().contains("connection refused"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn display_of_serialization_failure_and_lost_connection() {
    let Some(db) = pg_common::setup("display_lost").await else {
        return;
    };
    let conn = db.connect().await;
    let err = conn
        .batch_execute(
            "DO $$ BEGIN RAISE EXCEPTION USING ERRCODE = 'serialization_failure', \
             MESSAGE = 'could not serialize access'; END $$",
        )
        .await
        .unwrap_err();
    assert!(err.is_retryable());
    assert_eq!(
        err.to_string(),
        "serialization failure, retry the transaction: could not serialize access (SQLSTATE 40001)"
    );
    db.terminate_backends().await;
    let err = conn.query_raw("SELECT 1", &[]).await.unwrap_err();
    assert!(matches!(err, Error::ConnectionLost { .. }), "{err:?}");
    assert!(!err.is_retryable());
    let text = err.to_string();
    assert!(
        text == "connection lost: connection closed"
            || text.starts_with("connection lost: terminating connection due to administrator command (SQLSTATE 57P01)"),
        "{text}"
    );
    db.teardown().await;
}
