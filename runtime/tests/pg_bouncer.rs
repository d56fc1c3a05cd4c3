//! Through PgBouncer in transaction pooling mode with
//! `quarry_statements=unnamed`: queries, writes, inferred parameter types,
//! transactions, savepoints, statement timeouts and the pool, with many
//! clients sharing few server sessions.
//!
//! PgBouncer is started by `scripts/pgbouncer.sh start` (port 6543, or
//! `QUARRY_PGBOUNCER_URL`). Without it the tests are skipped with a note,
//! unless `CI` is set.

mod pg_common;

use std::time::Duration;

use quarry_runtime::postgres::{Connection, Pool, PoolConfig, StatementMode};
use quarry_runtime::{Error, ParamType, TypedSql, Value};

/// PgBouncer's URL, with quarry's setting for transaction pooling.
fn bouncer_url() -> String {
    std::env::var("QUARRY_PGBOUNCER_URL").unwrap_or_else(|_| {
        "postgres://postgres@127.0.0.1:6543/test?quarry_statements=unnamed".to_owned()
    })
}

/// A pool through PgBouncer, or `None` (after saying why) when it is not
/// running and `CI` is not set.
async fn bouncer_pool(max_size: usize) -> Option<Pool> {
    let url = bouncer_url();
    match Pool::with_config(&url, PoolConfig::default().max_size(max_size)).await {
        Ok(pool) => Some(pool),
        Err(e @ (Error::Connect { .. } | Error::ConnectionLost { .. })) => {
            if std::env::var_os("CI").is_some() {
                panic!("PgBouncer unreachable at {url} and CI is set: {e:?}");
            }
            println!("skipped: PgBouncer unreachable at {url} (run scripts/pgbouncer.sh start)");
            None
        }
        Err(e) => panic!("cannot connect through PgBouncer at {url}: {e:?}"),
    }
}

/// A schema made directly on the server; PgBouncer ignores the startup
/// `options` that set a `search_path`, so the tests name it in their SQL.
async fn schema(name: &str) -> Option<pg_common::TestDb> {
    pg_common::setup(name).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_statement_kind_runs_in_transaction_mode() {
    let Some(db) = schema("bouncer_kinds").await else {
        return;
    };
    let Some(pool) = bouncer_pool(4).await else {
        return;
    };
    let s = &db.schema;
    db.admin
        .batch_execute(&format!(
            "CREATE TABLE {s}.item (id serial PRIMARY KEY, name text NOT NULL, doc jsonb)"
        ))
        .await
        .unwrap();
    let conn = pool.get().await.unwrap();
    assert_eq!(conn.statement_mode(), StatementMode::Unnamed);

    // Declared types: one round trip, nothing cached on any server.
    let insert: &'static str =
        Box::leak(format!("INSERT INTO {s}.item (name) VALUES ($1) RETURNING id").into_boxed_str());
    let typed = TypedSql::new(insert, &[ParamType::Text]);
    for name in ["a", "b", "c"] {
        let rows = conn
            .query_static(typed, &[Value::Text(name)])
            .await
            .unwrap();
        assert!(rows[0].get::<_, i32>(0) > 0);
    }
    assert_eq!(conn.cached_statements(), 0);

    // Inferred types (a plain `&'static str`, JSON): learned once inside a
    // transaction, then one round trip.
    let by_name: &'static str =
        Box::leak(format!("SELECT id FROM {s}.item WHERE name = $1").into_boxed_str());
    for _ in 0..3 {
        let rows = conn
            .query_static(by_name, &[Value::Text("b")])
            .await
            .unwrap();
        assert_eq!(rows.len(), 1);
    }
    let doc = serde_json::json!({"k": [1, 2]});
    let set_doc: &'static str =
        Box::leak(format!("UPDATE {s}.item SET doc = $1 WHERE name = $2").into_boxed_str());
    let changed = conn
        .execute_static(
            TypedSql::new(set_doc, &[ParamType::Json, ParamType::Text]),
            &[Value::Json(&doc), Value::Text("a")],
        )
        .await
        .unwrap();
    assert_eq!(changed, 1);

    // Run-time SQL, inferred and declared.
    let rows = conn
        .query_raw(
            &format!("SELECT doc->'k'->>1 FROM {s}.item WHERE name = $1"),
            &[Value::Text("a")],
        )
        .await
        .unwrap();
    assert_eq!(rows[0].get::<_, &str>(0), "2");
    let rows = conn
        .query_raw_typed(
            &format!("SELECT count(*) FROM {s}.item WHERE id = ANY($1)"),
            &[ParamType::Array(&ParamType::Int)],
            &[Value::List(vec![Value::Int(1), Value::Int(2)])],
        )
        .await
        .unwrap();
    assert_eq!(rows[0].get::<_, i64>(0), 2);
    let deleted = conn
        .execute(
            &format!("DELETE FROM {s}.item WHERE name = $1"),
            &[Value::Text("c")],
        )
        .await
        .unwrap();
    assert_eq!(deleted, 1);
    drop(conn);

    // Transactions, savepoints, inferred types inside one, and rollback.
    let mut conn = pool.get().await.unwrap();
    let count_sql = format!("SELECT count(*) FROM {s}.item");
    conn.transaction(async |tx| {
        tx.execute(
            &format!("INSERT INTO {s}.item (name) VALUES ($1)"),
            &[Value::Text("d")],
        )
        .await?;
        let inner = tx
            .transaction(async |tx| {
                tx.execute(
                    &format!("INSERT INTO {s}.item (name) VALUES ($1)"),
                    &[Value::Text("e")],
                )
                .await?;
                Err::<(), _>(Error::NotFound)
            })
            .await;
        assert!(matches!(inner, Err(Error::NotFound)));
        let rows = tx.query_raw(&count_sql, &[]).await?;
        assert_eq!(rows[0].get::<_, i64>(0), 3);
        Ok::<_, Error>(())
    })
    .await
    .unwrap();
    let undone = conn
        .transaction(async |tx| {
            tx.execute(&format!("DELETE FROM {s}.item"), &[]).await?;
            Err::<(), _>(Error::NotFound)
        })
        .await;
    assert!(matches!(undone, Err(Error::NotFound)));
    let rows = conn.query_raw(&count_sql, &[]).await.unwrap();
    assert_eq!(rows[0].get::<_, i64>(0), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_clients_share_few_server_sessions() {
    let Some(db) = schema("bouncer_many").await else {
        return;
    };
    let Some(pool) = bouncer_pool(16).await else {
        return;
    };
    let s = db.schema.clone();
    db.admin
        .batch_execute(&format!(
            "CREATE TABLE {s}.hit (task int NOT NULL, n int NOT NULL, note jsonb)"
        ))
        .await
        .unwrap();
    let insert: &'static str = Box::leak(
        format!("INSERT INTO {s}.hit (task, n, note) VALUES ($1, $2, $3)").into_boxed_str(),
    );
    let count: &'static str =
        Box::leak(format!("SELECT count(*) FROM {s}.hit WHERE task = $1").into_boxed_str());
    let tasks: Vec<_> = (0..32)
        .map(|task| {
            let pool = pool.clone();
            tokio::spawn(async move {
                let note = serde_json::json!({ "task": task });
                for n in 0..20 {
                    let conn = pool.get().await?;
                    // A JSON parameter: its type is inferred by the server.
                    conn.execute_static(
                        TypedSql::new(insert, &[ParamType::Int, ParamType::Int, ParamType::Json]),
                        &[Value::Int(task), Value::Int(n), Value::Json(&note)],
                    )
                    .await?;
                    let rows = conn.query_static(count, &[Value::Int(task)]).await?;
                    assert_eq!(rows[0].get::<_, i64>(0), i64::from(n) + 1);
                }
                Ok::<_, Error>(())
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    let rows = db
        .admin
        .query_raw(&format!("SELECT count(*) FROM {s}.hit"), &[])
        .await
        .unwrap();
    assert_eq!(rows[0].get::<_, i64>(0), 32 * 20);

    // No server session was left holding a prepared statement: every
    // statement was unnamed, and those prepared to learn types were closed
    // inside their transaction.
    let conn = pool.get().await.unwrap();
    for _ in 0..20 {
        let rows = conn
            .query_raw("SELECT count(*) FROM pg_prepared_statements", &[])
            .await
            .unwrap();
        assert_eq!(
            rows[0].get::<_, i64>(0),
            0,
            "a server session holds prepared statements (a client without \
             quarry_statements=unnamed used this PgBouncer? restart it)"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn statement_timeout_cancels_through_pgbouncer() {
    let Some(pool) = bouncer_pool(2).await else {
        return;
    };
    let conn = pool.get().await.unwrap();
    let slow = quarry_runtime::postgres::with_statement_timeout(
        Some(Duration::from_millis(200)),
        conn.query_raw("SELECT pg_sleep(5)", &[]),
    )
    .await;
    assert!(
        matches!(
            slow,
            Err(Error::Timeout {
                setting: "statement_timeout",
                ..
            })
        ),
        "{slow:?}"
    );
    drop(conn);
    // The cancel request reached the server through PgBouncer: the sleep
    // ends long before its 5 s. (Waiting here also keeps the test's
    // runtime alive until the request is answered.)
    let admin = Connection::connect(&pg_common::base_url()).await.unwrap();
    let started = std::time::Instant::now();
    loop {
        let sleeping: i64 = admin
            .query_raw(
                "SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(5)' AND state = 'active'",
                &[],
            )
            .await
            .unwrap()[0]
            .get(0);
        if sleeping == 0 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "the sleep was not cancelled"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // The pool replaced the connection; the server session was cancelled
    // and went back to PgBouncer's pool.
    let conn = pool.get().await.unwrap();
    let rows = conn.query_raw("SELECT 1", &[]).await.unwrap();
    assert_eq!(rows[0].get::<_, i32>(0), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_single_connection_runs_unnamed_too() {
    let url = bouncer_url();
    let conn = match Connection::connect(&url).await {
        Ok(conn) => conn,
        Err(e) if std::env::var_os("CI").is_none() => {
            println!("skipped: PgBouncer unreachable at {url}: {e}");
            return;
        }
        Err(e) => panic!("PgBouncer unreachable at {url} and CI is set: {e:?}"),
    };
    assert_eq!(conn.statement_mode(), StatementMode::Unnamed);
    // `SELECT $1` infers text for the parameter; a bool does not bind, as
    // on a direct connection, and the error is a bind error, not a proxy's.
    let inferred = conn.query_static("SELECT $1", &[Value::Bool(true)]).await;
    assert!(
        matches!(inferred, Err(Error::Bind { index: 1, .. })),
        "{inferred:?}"
    );
    let rows = conn
        .query_static("SELECT $1::int + 1", &[Value::Int(41)])
        .await
        .unwrap();
    assert_eq!(rows[0].get::<_, i32>(0), 42);
}

/// A statement with an inferred parameter type abandoned at any point of
/// its type lookup (`BEGIN`, prepare, `ROLLBACK`) leaves no transaction
/// open: the next statement finds the connection outside one. Runs on a
/// direct connection in unnamed mode, no PgBouncer needed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_abandoned_type_lookup_leaves_no_transaction_open() {
    if pg_common::setup("bouncer_abandon").await.is_none() {
        return;
    }
    let base = pg_common::base_url();
    let sep = if base.contains('?') { '&' } else { '?' };
    let conn = Connection::connect(&format!("{base}{sep}quarry_statements=unnamed"))
        .await
        .unwrap();
    let mut abandoned = 0;
    for i in 0..60u64 {
        // Run-time SQL: its learned types are not kept, so each run looks
        // them up again, and the timeout falls somewhere inside.
        let sql = format!("SELECT $1 || '{i}'");
        let run = tokio::time::timeout(
            Duration::from_micros(50 * i),
            conn.query_raw(&sql, &[Value::Text("x")]),
        )
        .await;
        if run.is_err() {
            abandoned += 1;
            // The cancel request for the abandoned statement is written
            // before the next statement runs, but the server acts on it
            // asynchronously: give it time to land while the connection is
            // idle (where the server ignores it), so that it does not
            // cancel the checks below. This test is about transaction state.
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let rows = conn
            .query_raw("SELECT 1", &[])
            .await
            .expect("the connection is usable after an abandoned statement");
        assert_eq!(rows[0].get::<_, i32>(0), 1);
        let state = conn
            .client()
            .simple_query("SELECT now() = statement_timestamp()")
            .await
            .unwrap();
        let idle = state.iter().any(|m| {
            matches!(m, quarry_runtime::postgres::tokio_postgres::SimpleQueryMessage::Row(r) if r.get(0) == Some("t"))
        });
        assert!(idle, "run {i} left a transaction open");
    }
    println!("{abandoned} of 60 runs abandoned mid-flight");
}
