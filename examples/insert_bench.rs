//! Time to insert 10 000 rows with quarry's batch insert, against raw
//! rusqlite with one prepared statement inside one transaction, measured
//! in the same run on in-memory SQLite.
//!
//! ```text
//! cargo run --release --example insert_bench
//! ```
//!
//! Prints the median of each and their ratio (quarry / rusqlite; below 1
//! is faster). A rough measure for now: criterion benchmarks belong in the
//! separate `benches` crate.

use std::time::{Duration, Instant};

use quarry::prelude::*;
use quarry_runtime::sqlite::rusqlite;

quarry::table! {
    events (id) {
        id -> Integer,
        kind -> Text,
        amount -> BigInt,
    }
}

#[derive(Insertable)]
#[quarry(table = events)]
struct NewEvent {
    kind: String,
    amount: i64,
}

const DDL: &str =
    "CREATE TABLE events (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, amount INTEGER NOT NULL)";
const ROWS: usize = 10_000;
const RUNS: usize = 25;

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn quarry_once(
    db: &mut quarry::sqlite::Connection,
    rows: &[NewEvent],
) -> Result<Duration, quarry::Error> {
    db.execute_batch("DELETE FROM events")?;
    let start = Instant::now();
    let n = quarry::insert_into(events::table)
        .values(rows)
        .execute(db)?;
    let elapsed = start.elapsed();
    assert_eq!(n as usize, rows.len());
    Ok(elapsed)
}

fn rusqlite_once(conn: &mut rusqlite::Connection, rows: &[NewEvent]) -> rusqlite::Result<Duration> {
    conn.execute_batch("DELETE FROM events")?;
    let start = Instant::now();
    let tx = conn.transaction()?;
    {
        let mut stmt = tx.prepare_cached("INSERT INTO events (kind, amount) VALUES (?1, ?2)")?;
        for row in rows {
            stmt.execute(rusqlite::params![row.kind, row.amount])?;
        }
    }
    tx.commit()?;
    Ok(start.elapsed())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let rows: Vec<NewEvent> = (0..ROWS)
        .map(|i| NewEvent {
            kind: format!("kind {}", i % 7),
            amount: i as i64 * 3,
        })
        .collect();

    let mut db = quarry::sqlite::Connection::open_in_memory()?;
    db.execute_batch(DDL)?;
    let mut raw = rusqlite::Connection::open_in_memory()?;
    raw.execute_batch(DDL)?;

    // Warm up: statement texts rendered, statements prepared.
    quarry_once(&mut db, &rows)?;
    rusqlite_once(&mut raw, &rows)?;

    let mut quarry_times = Vec::with_capacity(RUNS);
    let mut rusqlite_times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        quarry_times.push(quarry_once(&mut db, &rows)?);
        rusqlite_times.push(rusqlite_once(&mut raw, &rows)?);
    }
    let q = median(quarry_times);
    let r = median(rusqlite_times);
    println!("{ROWS} rows, median of {RUNS} runs, in-memory SQLite");
    println!("quarry batch insert:              {q:?}");
    println!("rusqlite prepared, 1 transaction: {r:?}");
    println!(
        "ratio quarry / rusqlite:          {:.2}",
        q.as_secs_f64() / r.as_secs_f64()
    );
    Ok(())
}
