//! Times 100 one-row queries on one PostgreSQL connection, run one after
//! the other and then all at once (pipelined by tokio-postgres).
//!
//! ```text
//! QUARRY_PG_URL=postgres://postgres@127.0.0.1:5432/test \
//!     cargo run --release -p quarry-runtime --example pg_pipeline
//! ```

use std::time::{Duration, Instant};

use futures_util::future::join_all;
use quarry_runtime::Value;
use quarry_runtime::postgres::Connection;

const QUERIES: i32 = 100;
const ROUNDS: usize = 20;
const SQL: &str = "SELECT $1::int4 + 1";

async fn sequential(conn: &Connection) -> quarry_runtime::Result<Duration> {
    let started = Instant::now();
    for i in 0..QUERIES {
        let rows = conn.query_static(SQL, &[Value::Int(i)]).await?;
        assert_eq!(rows[0].get::<_, i32>(0), i + 1);
    }
    Ok(started.elapsed())
}

async fn concurrent(conn: &Connection) -> quarry_runtime::Result<Duration> {
    let started = Instant::now();
    let results = join_all((0..QUERIES).map(|i| async move {
        let rows = conn.query_static(SQL, &[Value::Int(i)]).await?;
        Ok::<i32, quarry_runtime::Error>(rows[0].get(0))
    }))
    .await;
    for (i, result) in (0..QUERIES).zip(results) {
        assert_eq!(result?, i + 1);
    }
    Ok(started.elapsed())
}

#[tokio::main]
async fn main() -> quarry_runtime::Result<()> {
    let url = std::env::var("QUARRY_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    let conn = Connection::connect(&url).await?;
    // Warm up: prepare the statement, fill the caches.
    sequential(&conn).await?;
    concurrent(&conn).await?;

    let mut seq = Vec::new();
    let mut conc = Vec::new();
    for _ in 0..ROUNDS {
        seq.push(sequential(&conn).await?);
        conc.push(concurrent(&conn).await?);
    }
    seq.sort();
    conc.sort();
    let (seq, conc) = (seq[ROUNDS / 2], conc[ROUNDS / 2]);
    println!("{QUERIES} queries on one connection, median of {ROUNDS} rounds:");
    println!("  sequential: {seq:?}");
    println!("  pipelined:  {conc:?}");
    println!(
        "  ratio:      {:.1}x",
        seq.as_secs_f64() / conc.as_secs_f64().max(f64::MIN_POSITIVE)
    );
    Ok(())
}
