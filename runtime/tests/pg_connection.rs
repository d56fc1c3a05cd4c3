//! `postgres::Connection`: queries, the statement cache, binds and
//! pipelining, against a real server.

mod pg_common;

use std::sync::Arc;

use futures_util::future::join_all;
use quarry_runtime::postgres::Connection;
use quarry_runtime::{Error, Value};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn query_execute_and_cache() {
    let Some(db) = pg_common::setup("query_execute").await else {
        return;
    };
    let conn = db.connect().await;
    conn.batch_execute("CREATE TABLE item (id int4 PRIMARY KEY, name text NOT NULL)")
        .await
        .unwrap();

    let inserted = conn
        .execute_static(
            "INSERT INTO item (id, name) VALUES ($1, $2), ($3, $4)",
            &[
                Value::Int(1),
                Value::Text("one"),
                Value::Int(2),
                Value::Text("two"),
            ],
        )
        .await
        .unwrap();
    assert_eq!(inserted, 2);

    const BY_ID: &str = "SELECT name FROM item WHERE id = $1";
    for (id, name) in [(1, "one"), (2, "two")] {
        let rows = conn.query_static(BY_ID, &[Value::Int(id)]).await.unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].get::<_, &str>(0), name);
    }
    // One statement for the INSERT, one for the SELECT run twice.
    assert_eq!(conn.cached_statements(), 2);

    let mut names = Vec::new();
    let count = conn
        .query_static_each("SELECT name FROM item ORDER BY id", &[], |row| {
            names.push(row.get::<_, String>(0));
            Ok(())
        })
        .await
        .unwrap();
    assert_eq!(count, 2);
    assert_eq!(names, ["one", "two"]);

    // An error from the callback stops the query; the connection goes on.
    let err = conn
        .query_static_each("SELECT name FROM item ORDER BY id", &[], |_| {
            Err(Error::NotFound)
        })
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound), "{err:?}");

    // Raw statements, with and without parameters.
    let updated = conn
        .execute("UPDATE item SET name = upper(name)", &[])
        .await
        .unwrap();
    assert_eq!(updated, 2);
    let rows = conn
        .query_raw(
            "SELECT name FROM item WHERE id > $1 ORDER BY id",
            &[Value::Int(0)],
        )
        .await
        .unwrap();
    let names: Vec<&str> = rows.iter().map(|r| r.get(0)).collect();
    assert_eq!(names, ["ONE", "TWO"]);
    let rows = conn
        .query_raw("SELECT count(*) FROM item", &[])
        .await
        .unwrap();
    assert_eq!(rows[0].get::<_, i64>(0), 2);
    assert_eq!(conn.cached_statements(), 3, "raw statements are not cached");

    conn.ping().await.unwrap();
    assert!(!conn.is_closed());
    db.teardown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stale_cached_statement_is_prepared_again() {
    let Some(db) = pg_common::setup("stale_statement").await else {
        return;
    };
    let conn = db.connect().await;
    conn.batch_execute("CREATE TABLE t (a int4); INSERT INTO t VALUES (1)")
        .await
        .unwrap();
    const ALL: &str = "SELECT * FROM t";
    assert_eq!(conn.query_static(ALL, &[]).await.unwrap()[0].len(), 1);
    conn.batch_execute("ALTER TABLE t ADD COLUMN b int4 DEFAULT 7")
        .await
        .unwrap();
    let rows = conn.query_static(ALL, &[]).await.unwrap();
    assert_eq!(rows[0].len(), 2);
    assert_eq!(rows[0].get::<_, i32>(1), 7);
    // Statements deallocated behind the cache's back are prepared again too.
    conn.batch_execute("DEALLOCATE ALL").await.unwrap();
    assert_eq!(conn.query_static(ALL, &[]).await.unwrap().len(), 1);
    db.teardown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_bind_as_arrays() {
    let Some(db) = pg_common::setup("lists").await else {
        return;
    };
    let conn = db.connect().await;
    conn.batch_execute(
        "CREATE TABLE item (id int8 PRIMARY KEY, tag text);
         INSERT INTO item SELECT g, 'tag' || g FROM generate_series(1, 10) g",
    )
    .await
    .unwrap();
    const BY_IDS: &str = "SELECT id FROM item WHERE id = ANY($1) ORDER BY id";
    let ids = |rows: Vec<quarry_runtime::postgres::Row>| -> Vec<i64> {
        rows.iter().map(|r| r.get(0)).collect()
    };

    let rows = conn
        .query_static(
            BY_IDS,
            &[Value::List(vec![
                Value::Int(3),
                Value::BigInt(5),
                Value::SmallInt(7),
            ])],
        )
        .await
        .unwrap();
    assert_eq!(ids(rows), [3, 5, 7]);
    // Any length, including none, with the same cached statement.
    let rows = conn
        .query_static(BY_IDS, &[Value::List(vec![])])
        .await
        .unwrap();
    assert!(rows.is_empty());
    let many: Vec<Value> = (1..=10).map(Value::BigInt).collect();
    assert_eq!(
        ids(conn
            .query_static(BY_IDS, &[Value::List(many)])
            .await
            .unwrap())
        .len(),
        10
    );
    assert_eq!(conn.cached_statements(), 1);

    // Text arrays, with a NULL element.
    let rows = conn
        .query_static(
            "SELECT id FROM item WHERE tag = ANY($1) ORDER BY id",
            &[Value::List(vec![
                Value::Text("tag2"),
                Value::Null,
                Value::Text("tag9"),
            ])],
        )
        .await
        .unwrap();
    assert_eq!(ids(rows), [2, 9]);

    // A list for a scalar parameter, a mistyped element: bind errors.
    let err = conn
        .query_static(
            "SELECT id FROM item WHERE id = $1",
            &[Value::List(vec![Value::Int(1)])],
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Bind { index: 1, message } if message.contains("ANY")),
        "{err:?}"
    );
    let err = conn
        .query_static(
            BY_IDS,
            &[Value::List(vec![Value::Int(1), Value::Text("x")])],
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Bind { index: 1, message } if message.contains("element 2") && message.contains("int8")),
        "{err:?}"
    );
    db.teardown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scalar_binds_follow_parameter_types() {
    let Some(db) = pg_common::setup("scalar_binds").await else {
        return;
    };
    let conn = db.connect().await;
    conn.batch_execute(
        "CREATE TYPE mood AS ENUM ('sad', 'happy');
         CREATE DOMAIN positive AS int4 CHECK (VALUE > 0);
         CREATE TABLE v (
            i2 int2, i4 int4, i8 int8, f4 float4, f8 float8, n numeric, b bool,
            t text, vc varchar(10), by bytea, j json, jb jsonb, m mood, p positive, o oid
         )",
    )
    .await
    .unwrap();
    let doc = serde_json::json!({"a": [1, 2, {"b": null}]});
    let inserted = conn
        .execute_static(
            "INSERT INTO v VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
            &[
                Value::Int(-12),                  // int2 from an i32 in range
                Value::SmallInt(5),               // int4 from an i16
                Value::Int(-7),                   // int8 from an i32
                Value::Double(0.5),               // float4 from an exact f64
                Value::Float(1.5),                // float8 from an f32
                Value::BigInt(-123_456_789_012),  // numeric from an integer
                Value::Bool(true),
                Value::Text("hello"),
                Value::Text("varchar"),
                Value::Blob(&[0, 1, 255]),
                Value::Json(&doc),
                Value::Text(r#"{"k": "v"}"#),     // jsonb from text
                Value::Text("happy"),             // enum from text
                Value::Int(3),                    // domain over int4
                Value::BigInt(4_000_000_000),     // oid
            ],
        )
        .await
        .unwrap();
    assert_eq!(inserted, 1);
    let row = &conn
        .query_raw(
            "SELECT i2, i4, i8, f4, f8, n::text, b, t, vc, by, j::text, jb->>'k', m::text, p, o::int8 FROM v",
            &[],
        )
        .await
        .unwrap()[0];
    assert_eq!(row.get::<_, i16>(0), -12);
    assert_eq!(row.get::<_, i32>(1), 5);
    assert_eq!(row.get::<_, i64>(2), -7);
    assert_eq!(row.get::<_, f32>(3), 0.5);
    assert_eq!(row.get::<_, f64>(4), 1.5);
    assert_eq!(row.get::<_, &str>(5), "-123456789012");
    assert!(row.get::<_, bool>(6));
    assert_eq!(row.get::<_, &str>(7), "hello");
    assert_eq!(row.get::<_, &str>(8), "varchar");
    assert_eq!(row.get::<_, &[u8]>(9), &[0, 1, 255]);
    let j: serde_json::Value = serde_json::from_str(row.get::<_, &str>(10)).unwrap();
    assert_eq!(j, doc);
    assert_eq!(row.get::<_, &str>(11), "v");
    assert_eq!(row.get::<_, &str>(12), "happy");
    assert_eq!(row.get::<_, i32>(13), 3);
    assert_eq!(row.get::<_, i64>(14), 4_000_000_000);

    // NULL binds to anything.
    let nulls = conn
        .execute_static(
            "INSERT INTO v (i2, t, j, m, p) VALUES ($1, $2, $3, $4, $5)",
            &[
                Value::Null,
                Value::Null,
                Value::Null,
                Value::Null,
                Value::Null,
            ],
        )
        .await
        .unwrap();
    assert_eq!(nulls, 1);

    // Numeric round trip for a few integers.
    for n in [0i64, 1, -1, 10_000, 100_000_000, i64::MAX, i64::MIN, 9_999] {
        let rows = conn
            .query_static("SELECT $1::numeric::text", &[Value::BigInt(n)])
            .await
            .unwrap();
        assert_eq!(rows[0].get::<_, &str>(0), n.to_string());
    }
    db.teardown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bind_mismatches_are_errors() {
    let Some(db) = pg_common::setup("bind_errors").await else {
        return;
    };
    let conn = db.connect().await;
    let bind_error = |e: Error| match e {
        Error::Bind { index, message } => (index, message),
        other => panic!("expected a bind error, got {other:?}"),
    };

    let (index, message) = bind_error(
        conn.query_static(
            "SELECT $1::int4 + $2::int2",
            &[Value::Int(1), Value::Int(40_000)],
        )
        .await
        .unwrap_err(),
    );
    assert_eq!(index, 2);
    assert!(
        message.contains("out of range") && message.contains("int2"),
        "{message}"
    );

    let (index, message) = bind_error(
        conn.query_static("SELECT $1::bool", &[Value::Text("true")])
            .await
            .unwrap_err(),
    );
    assert_eq!(index, 1);
    assert!(message.contains("bool"), "{message}");

    let (index, message) = bind_error(
        conn.query_static("SELECT $1::int4", &[Value::Double(1.0)])
            .await
            .unwrap_err(),
    );
    assert_eq!(index, 1);
    assert!(message.contains("int4"), "{message}");

    let (index, message) = bind_error(
        conn.query_static("SELECT $1::float4", &[Value::Double(0.1)])
            .await
            .unwrap_err(),
    );
    assert_eq!(index, 1);
    assert!(message.contains("precision"), "{message}");

    let (index, message) = bind_error(
        conn.query_static("SELECT $1::int4, $2::int4", &[Value::Int(1)])
            .await
            .unwrap_err(),
    );
    assert_eq!(index, 2);
    assert!(message.contains("2 parameter"), "{message}");

    let (_, message) = bind_error(
        conn.query_raw("SELECT $1::bytea", &[Value::Text("x")])
            .await
            .unwrap_err(),
    );
    assert!(message.contains("bytea"), "{message}");

    // The connection is fine afterwards.
    conn.ping().await.unwrap();
    db.teardown().await;
}

#[cfg(feature = "chrono")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chrono_binds() {
    let Some(db) = pg_common::setup("chrono_binds").await else {
        return;
    };
    let conn = db.connect().await;
    let date = chrono::NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
    let time = chrono::NaiveTime::from_hms_micro_opt(13, 14, 15, 123_456).unwrap();
    let ts = date.and_time(time);
    let tstz = ts.and_utc();
    let row = &conn
        .query_static(
            "SELECT $1::date, $2::time, $3::timestamp, $4::timestamptz",
            &[
                Value::Date(date),
                Value::Time(time),
                Value::Timestamp(ts),
                Value::Timestamptz(tstz),
            ],
        )
        .await
        .unwrap()[0];
    assert_eq!(row.get::<_, chrono::NaiveDate>(0), date);
    assert_eq!(row.get::<_, chrono::NaiveTime>(1), time);
    assert_eq!(row.get::<_, chrono::NaiveDateTime>(2), ts);
    assert_eq!(row.get::<_, chrono::DateTime<chrono::Utc>>(3), tstz);
    let err = conn
        .query_static("SELECT $1::timestamptz", &[Value::Timestamp(ts)])
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Bind { index: 1, .. }), "{err:?}");
    db.teardown().await;
}

#[cfg(feature = "uuid")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uuid_binds() {
    let Some(db) = pg_common::setup("uuid_binds").await else {
        return;
    };
    let conn = db.connect().await;
    let id = uuid::Uuid::from_u128(0x1234_5678_9abc_def0_1234_5678_9abc_def0);
    let rows = conn
        .query_static("SELECT $1::uuid", &[Value::Uuid(id)])
        .await
        .unwrap();
    assert_eq!(rows[0].get::<_, uuid::Uuid>(0), id);
    let rows = conn
        .query_static("SELECT $1::uuid[]", &[Value::List(vec![Value::Uuid(id)])])
        .await
        .unwrap();
    assert_eq!(rows[0].get::<_, Vec<uuid::Uuid>>(0), [id]);
    db.teardown().await;
}

#[cfg(feature = "rust_decimal")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn decimal_binds() {
    let Some(db) = pg_common::setup("decimal_binds").await else {
        return;
    };
    let conn = db.connect().await;
    let d = rust_decimal::Decimal::new(-123_456, 3);
    let rows = conn
        .query_static("SELECT $1::numeric::text", &[Value::Numeric(d)])
        .await
        .unwrap();
    assert_eq!(rows[0].get::<_, &str>(0), "-123.456");
    db.teardown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_queries_on_one_connection_are_pipelined() {
    let Some(db) = pg_common::setup("pipelining").await else {
        return;
    };
    let conn = db.connect().await;
    const PLUS_ONE: &str = "SELECT $1::int4 + 1";

    // 100 queries in flight at once on one connection.
    let concurrent = join_all((0..100).map(|i| {
        let conn = &conn;
        async move {
            let rows = conn.query_static(PLUS_ONE, &[Value::Int(i)]).await?;
            Ok::<i32, Error>(rows[0].get(0))
        }
    }))
    .await;
    let concurrent: Vec<i32> = concurrent.into_iter().map(Result::unwrap).collect();
    assert_eq!(concurrent, (1..=100).collect::<Vec<_>>());

    let mut sequential = Vec::new();
    for i in 0..100 {
        let rows = conn.query_static(PLUS_ONE, &[Value::Int(i)]).await.unwrap();
        sequential.push(rows[0].get::<_, i32>(0));
    }
    assert_eq!(sequential, concurrent);
    // Prepared once, although 100 queries wanted it at the same time.
    assert_eq!(conn.cached_statements(), 1);
    db.teardown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connection_is_shareable_across_tasks() {
    let Some(db) = pg_common::setup("shared_tasks").await else {
        return;
    };
    let conn = Arc::new(db.connect().await);
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let conn = Arc::clone(&conn);
            tokio::spawn(async move {
                let rows = conn
                    .query_static("SELECT $1::int8 * 2", &[Value::BigInt(i)])
                    .await
                    .unwrap();
                rows[0].get::<_, i64>(0)
            })
        })
        .collect();
    let results: Vec<i64> = join_all(tasks)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert_eq!(results, (0..8).map(|i| i * 2).collect::<Vec<_>>());
    db.teardown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connect_errors() {
    let err = Connection::connect("postgres://postgres@127.0.0.1:5432/test?sslmode=bogus")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err:?}");
    // Nothing listens on port 1.
    let err = Connection::connect("postgres://postgres@127.0.0.1:1/test")
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Connect { target, .. } if target == "127.0.0.1:1"),
        "{err:?}"
    );
}
