//! Every SQLite statement runs in a `quarry.statement` span that records its
//! SQL, rows and duration.

use std::sync::{Arc, Mutex};

use quarry_runtime::Value;
use quarry_runtime::sqlite::Connection;
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

fn capture(f: impl FnOnce()) -> Vec<Recorded> {
    let cap = Capture::default();
    let subscriber = tracing_subscriber::registry().with(cap.clone());
    tracing::subscriber::with_default(subscriber, f);
    cap.0.lock().unwrap().clone()
}

#[test]
fn statements_record_sql_rows_and_duration() {
    let mut conn = Connection::open_in_memory().unwrap();
    let spans = capture(|| {
        conn.execute_batch("CREATE TABLE t (x INTEGER)").unwrap();
        conn.execute_static(
            "INSERT INTO t (x) VALUES (?1), (?2), (?3)",
            &[Value::Int(1), Value::Int(2), Value::Int(3)],
        )
        .unwrap();
        conn.query_static("SELECT x FROM t WHERE x > ?", &[Value::Int(1)], |_| Ok(()))
            .unwrap();
        conn.query_raw("SELECT x FROM t", &[], |_| Ok(())).unwrap();
        conn.execute("DELETE FROM t WHERE x = ?1", &[Value::Int(3)])
            .unwrap();
        conn.transaction(|tx| tx.execute_static("INSERT INTO t (x) VALUES (9)", &[]))
            .unwrap();
    });
    let summary: Vec<(&str, Option<u64>)> = spans
        .iter()
        .map(|r| (r.statement.as_deref().unwrap(), r.rows))
        .collect();
    // Transaction control is instrumented too, as on PostgreSQL.
    assert_eq!(
        summary,
        [
            ("CREATE TABLE t (x INTEGER)", Some(0)),
            ("INSERT INTO t (x) VALUES (?1), (?2), (?3)", Some(3)),
            ("SELECT x FROM t WHERE x > ?", Some(2)),
            ("SELECT x FROM t", Some(3)),
            ("DELETE FROM t WHERE x = ?1", Some(1)),
            ("BEGIN DEFERRED", Some(0)),
            ("INSERT INTO t (x) VALUES (9)", Some(1)),
            ("COMMIT", Some(0)),
        ]
    );
    for r in &spans {
        assert_eq!(r.system.as_deref(), Some("sqlite"));
        assert!(r.duration_us.is_some(), "{r:?}");
        assert_eq!(r.error_events, 0);
    }
}

#[test]
fn failed_statements_are_recorded_too() {
    let mut conn = Connection::open_in_memory().unwrap();
    conn.execute_batch("CREATE TABLE t (x INTEGER UNIQUE); INSERT INTO t VALUES (1);")
        .unwrap();
    let spans = capture(|| {
        conn.execute_static("INSERT INTO t VALUES (1)", &[])
            .unwrap_err();
    });
    assert_eq!(spans.len(), 1);
    assert_eq!(
        spans[0].statement.as_deref(),
        Some("INSERT INTO t VALUES (1)")
    );
    assert_eq!(spans[0].rows, Some(0));
    assert!(spans[0].duration_us.is_some());
    assert_eq!(spans[0].error_events, 1);
}

#[test]
fn savepoints_and_rollbacks_have_spans_named_as_on_postgres() {
    let mut conn = Connection::open_in_memory().unwrap();
    conn.execute_batch("CREATE TABLE t (x INTEGER)").unwrap();
    let spans = capture(|| {
        conn.transaction(|tx| {
            tx.execute_static("INSERT INTO t (x) VALUES (1)", &[])?;
            let inner = tx.transaction(|tx| {
                tx.execute_static("INSERT INTO t (x) VALUES (2)", &[])?;
                Err::<(), _>(quarry_runtime::Error::NotFound)
            });
            assert!(inner.is_err());
            tx.transaction(|tx| tx.execute_static("INSERT INTO t (x) VALUES (3)", &[]))?;
            Err::<(), _>(quarry_runtime::Error::NotFound)
        })
        .unwrap_err();
    });
    let summary: Vec<(&str, Option<u64>)> = spans
        .iter()
        .map(|r| (r.statement.as_deref().unwrap(), r.rows))
        .collect();
    assert_eq!(
        summary,
        [
            ("BEGIN DEFERRED", Some(0)),
            ("INSERT INTO t (x) VALUES (1)", Some(1)),
            ("SAVEPOINT quarry_savepoint_2", Some(0)),
            ("INSERT INTO t (x) VALUES (2)", Some(1)),
            (
                "ROLLBACK TO SAVEPOINT quarry_savepoint_2; RELEASE SAVEPOINT quarry_savepoint_2",
                Some(0)
            ),
            ("SAVEPOINT quarry_savepoint_2", Some(0)),
            ("INSERT INTO t (x) VALUES (3)", Some(1)),
            ("RELEASE SAVEPOINT quarry_savepoint_2", Some(0)),
            ("ROLLBACK", Some(0)),
        ]
    );
    for r in &spans {
        assert_eq!(r.system.as_deref(), Some("sqlite"));
        assert!(r.duration_us.is_some(), "{r:?}");
        assert_eq!(r.error_events, 0, "{r:?}");
    }
    let mut count = 0;
    conn.query_raw("SELECT x FROM t", &[], |_| {
        count += 1;
        Ok(())
    })
    .unwrap();
    assert_eq!(count, 0);
}
