//! Times a one-row query on one PostgreSQL connection: quarry's
//! `get_result_async` against raw tokio-postgres running the same SQL
//! through a statement prepared beforehand, in the same run, alternating
//! rounds so that both see the same server and machine. Then 100 of the
//! same queries through quarry started together on the one connection
//! (pipelined) against one after another.
//!
//! ```text
//! QUARRY_PG_URL=postgres://postgres@127.0.0.1:5432/test \
//!     cargo run --release --example pg_one_row
//! ```

use std::time::{Duration, Instant};

use quarry::prelude::*;

quarry::table! {
    bench_users (id) {
        id -> Integer,
        name -> Text,
    }
}

const ROWS: i32 = 1000;
const PER_ROUND: i32 = 2000;
const ROUNDS: usize = 15;

/// The query both sides run.
const SQL: &str = quarry::const_sql!(Pg, bench_users::table.find(1));

async fn quarry_round(conn: &quarry::pg::Connection) -> Result<Duration, quarry::Error> {
    let started = Instant::now();
    for i in 0..PER_ROUND {
        let id = i % ROWS + 1;
        let (got, name): (i32, String) = bench_users::table.find(id).get_result_async(conn).await?;
        assert_eq!(got, id);
        assert!(!name.is_empty());
    }
    Ok(started.elapsed())
}

async fn raw_round(
    client: &quarry::pg::tokio_postgres::Client,
    statement: &quarry::pg::tokio_postgres::Statement,
) -> Result<Duration, quarry::pg::tokio_postgres::Error> {
    let started = Instant::now();
    for i in 0..PER_ROUND {
        let id = i % ROWS + 1;
        let row = client.query_one(statement, &[&id]).await?;
        let got: i32 = row.try_get(0)?;
        let name: String = row.try_get(1)?;
        assert_eq!(got, id);
        assert!(!name.is_empty());
    }
    Ok(started.elapsed())
}

async fn quarry_batch(
    conn: &quarry::pg::Connection,
    together: bool,
) -> Result<Duration, quarry::Error> {
    let started = Instant::now();
    if together {
        let rows = futures_util::future::join_all((1..=100).map(|id| {
            bench_users::table
                .find(id)
                .get_result_async::<(i32, String), _>(conn)
        }))
        .await;
        for (id, row) in (1..=100).zip(rows) {
            assert_eq!(row?.0, id);
        }
    } else {
        for id in 1..=100 {
            let row: (i32, String) = bench_users::table.find(id).get_result_async(conn).await?;
            assert_eq!(row.0, id);
        }
    }
    Ok(started.elapsed())
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::var("QUARRY_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    let conn = quarry::pg::Connection::connect(&url).await?;
    conn.batch_execute(
        "CREATE TEMP TABLE bench_users (id INTEGER PRIMARY KEY, name TEXT NOT NULL); \
         INSERT INTO bench_users SELECT i, 'user ' || i FROM generate_series(1, 1000) AS i",
    )
    .await?;
    let client = conn.client();
    let statement = client.prepare(SQL).await?;

    // Warm up: prepare quarry's statement, fill caches on both sides.
    quarry_round(&conn).await?;
    raw_round(client, &statement).await?;

    let mut quarry_times = Vec::new();
    let mut raw_times = Vec::new();
    for _ in 0..ROUNDS {
        quarry_times.push(quarry_round(&conn).await?);
        raw_times.push(raw_round(client, &statement).await?);
    }
    let per_query = |d: Duration| d / PER_ROUND as u32;
    let (q, r) = (
        per_query(median(quarry_times)),
        per_query(median(raw_times)),
    );
    println!("one-row query on one connection, median of {ROUNDS} rounds of {PER_ROUND}:");
    println!("  {SQL}");
    println!("  quarry get_result_async:          {q:?} per query");
    println!("  tokio-postgres, prepared before:  {r:?} per query");
    println!(
        "  ratio quarry / raw: {:.3}",
        q.as_secs_f64() / r.as_secs_f64()
    );

    let mut one_by_one = Vec::new();
    let mut together = Vec::new();
    for _ in 0..ROUNDS {
        one_by_one.push(quarry_batch(&conn, false).await?);
        together.push(quarry_batch(&conn, true).await?);
    }
    let (seq, conc) = (median(one_by_one), median(together));
    println!("100 one-row queries through quarry on one connection, median of {ROUNDS} rounds:");
    println!("  one after another: {seq:?}");
    println!("  started together:  {conc:?}");
    println!("  ratio: {:.1}x", seq.as_secs_f64() / conc.as_secs_f64());
    Ok(())
}
