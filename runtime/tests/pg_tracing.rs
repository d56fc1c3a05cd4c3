//! Every PostgreSQL statement runs in a `quarry.statement` span that records
//! its SQL, rows and duration.

mod pg_common;

use std::sync::{Arc, Mutex};

use quarry_runtime::Value;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;

/// The fields of one closed statement span.
#[derive(Debug, Default, Clone)]
struct Recorded {
    system: Option<String>,
    statement: Option<String>,
    rows: Option<u64>,
    duration_us: Option<u64>,
    error_events: usize,
}

impl Visit for Recorded {
    fn record_str(&mut self, field: &Field, value: &str) {
        match field.name() {
            "db.system" => self.system = Some(value.to_owned()),
            "db.statement" => self.statement = Some(value.to_owned()),
            _ => {}
        }
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        match field.name() {
            "rows" => self.rows = Some(value),
            "duration_us" => self.duration_us = Some(value),
            _ => {}
        }
    }

    fn record_debug(&mut self, _: &Field, _: &dyn std::fmt::Debug) {}
}

/// Records the fields of `quarry.statement` spans and collects them on close.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<Recorded>>>);

impl<S> tracing_subscriber::Layer<S> for Capture
where
    S: tracing::Subscriber + for<'a> LookupSpan<'a>,
{
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        if attrs.metadata().name() != "quarry.statement" {
            return;
        }
        let mut rec = Recorded::default();
        attrs.record(&mut rec);
        if let Some(span) = ctx.span(id) {
            span.extensions_mut().insert(rec);
        }
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        if let Some(span) = ctx.span(id)
            && let Some(rec) = span.extensions_mut().get_mut::<Recorded>()
        {
            values.record(rec);
        }
    }

    fn on_event(&self, event: &tracing::Event<'_>, ctx: Context<'_, S>) {
        if let Some(span) = ctx.event_span(event)
            && let Some(rec) = span.extensions_mut().get_mut::<Recorded>()
            && event.metadata().fields().field("error").is_some()
        {
            rec.error_events += 1;
        }
    }

    fn on_close(&self, id: Id, ctx: Context<'_, S>) {
        if let Some(span) = ctx.span(&id)
            && let Some(rec) = span.extensions().get::<Recorded>()
        {
            self.0.lock().unwrap().push(rec.clone());
        }
    }
}

/// Runs `f` on a current-thread runtime with `cap` as the subscriber.
fn capture<F: std::future::Future>(f: impl FnOnce() -> F) -> (F::Output, Vec<Recorded>) {
    let cap = Capture::default();
    let subscriber = tracing_subscriber::registry().with(cap.clone());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let out = tracing::subscriber::with_default(subscriber, || runtime.block_on(f()));
    let spans = cap.0.lock().unwrap().clone();
    (out, spans)
}

#[test]
fn statements_record_sql_rows_and_duration() {
    let ((), spans) = capture(async || {
        let Some(db) = pg_common::setup("tracing").await else {
            return;
        };
        let mut conn = db.connect().await;
        conn.batch_execute("CREATE TABLE t (x int4 UNIQUE)")
            .await
            .unwrap();
        conn.execute_static(
            "INSERT INTO t (x) VALUES ($1), ($2), ($3)",
            &[Value::Int(1), Value::Int(2), Value::Int(3)],
        )
        .await
        .unwrap();
        conn.query_static("SELECT x FROM t WHERE x > $1", &[Value::Int(1)])
            .await
            .unwrap();
        conn.query_static_each("SELECT x FROM t", &[], |_| Ok(()))
            .await
            .unwrap();
        conn.query_raw("SELECT x FROM t WHERE x < $1", &[Value::Int(3)])
            .await
            .unwrap();
        conn.execute("DELETE FROM t WHERE x = $1", &[Value::Int(3)])
            .await
            .unwrap();
        conn.transaction(async |tx| tx.execute_static("INSERT INTO t (x) VALUES (9)", &[]).await)
            .await
            .unwrap();
        conn.execute_static("INSERT INTO t (x) VALUES (9)", &[])
            .await
            .unwrap_err();
        db.teardown().await;
    });
    if spans.is_empty() {
        return; // skipped
    }
    // Setup and teardown run on the admin connection, also instrumented.
    let mine: Vec<&Recorded> = spans
        .iter()
        .filter(|r| {
            let sql = r.statement.as_deref().unwrap_or_default();
            !sql.starts_with("CREATE SCHEMA") && !sql.starts_with("DROP SCHEMA")
        })
        .collect();
    let summary: Vec<(&str, Option<u64>, usize)> = mine
        .iter()
        .map(|r| (r.statement.as_deref().unwrap(), r.rows, r.error_events))
        .collect();
    // Transaction control is instrumented too.
    assert_eq!(
        summary,
        [
            ("CREATE TABLE t (x int4 UNIQUE)", Some(0), 0),
            ("INSERT INTO t (x) VALUES ($1), ($2), ($3)", Some(3), 0),
            ("SELECT x FROM t WHERE x > $1", Some(2), 0),
            ("SELECT x FROM t", Some(3), 0),
            ("SELECT x FROM t WHERE x < $1", Some(2), 0),
            ("DELETE FROM t WHERE x = $1", Some(1), 0),
            ("BEGIN", Some(0), 0),
            ("INSERT INTO t (x) VALUES (9)", Some(1), 0),
            ("COMMIT", Some(0), 0),
            ("INSERT INTO t (x) VALUES (9)", Some(0), 1),
        ]
    );
    for r in &spans {
        assert_eq!(r.system.as_deref(), Some("postgresql"));
        assert!(r.duration_us.is_some(), "{r:?}");
    }
}

#[test]
fn savepoints_and_rollbacks_have_spans_named_as_on_sqlite() {
    let (ran, spans) = capture(async || {
        let Some(db) = pg_common::setup("tracing_sp").await else {
            return false;
        };
        let mut conn = db.connect().await;
        conn.batch_execute("CREATE TABLE t (x int4)").await.unwrap();
        conn.transaction(async |tx| {
            tx.execute_static("INSERT INTO t (x) VALUES (1)", &[])
                .await?;
            let inner = tx
                .transaction(async |tx| {
                    tx.execute_static("INSERT INTO t (x) VALUES (2)", &[])
                        .await?;
                    Err::<(), _>(quarry_runtime::Error::NotFound)
                })
                .await;
            assert!(inner.is_err());
            tx.transaction(async |tx| tx.execute_static("INSERT INTO t (x) VALUES (3)", &[]).await)
                .await?;
            Err::<(), _>(quarry_runtime::Error::NotFound)
        })
        .await
        .unwrap_err();
        let left = conn.query_static("SELECT x FROM t", &[]).await.unwrap();
        assert!(left.is_empty());
        db.teardown().await;
        true
    });
    if !ran {
        return; // skipped
    }
    let summary: Vec<(&str, Option<u64>, usize)> = spans
        .iter()
        .map(|r| (r.statement.as_deref().unwrap(), r.rows, r.error_events))
        .filter(|(sql, _, _)| {
            !sql.starts_with("CREATE") && !sql.starts_with("DROP") && !sql.starts_with("SELECT")
        })
        .collect();
    // The same statements, names and fields as SQLite's (whose outermost
    // BEGIN says DEFERRED).
    assert_eq!(
        summary,
        [
            ("BEGIN", Some(0), 0),
            ("INSERT INTO t (x) VALUES (1)", Some(1), 0),
            ("SAVEPOINT quarry_savepoint_2", Some(0), 0),
            ("INSERT INTO t (x) VALUES (2)", Some(1), 0),
            (
                "ROLLBACK TO SAVEPOINT quarry_savepoint_2; RELEASE SAVEPOINT quarry_savepoint_2",
                Some(0),
                0
            ),
            ("SAVEPOINT quarry_savepoint_2", Some(0), 0),
            ("INSERT INTO t (x) VALUES (3)", Some(1), 0),
            ("RELEASE SAVEPOINT quarry_savepoint_2", Some(0), 0),
            ("ROLLBACK", Some(0), 0),
        ]
    );
    for r in &spans {
        assert_eq!(r.system.as_deref(), Some("postgresql"));
        assert!(r.duration_us.is_some(), "{r:?}");
    }
}
