//! Read throughput on the primary alone against the primary and a streaming
//! replica together (through `Router::read`), and the cost of PgBouncer's
//! transaction mode against a direct connection, in the same run, rounds
//! alternated so that every setup sees the same machine.
//!
//! Needs `scripts/replica.sh start` and `scripts/pgbouncer.sh start`:
//!
//! ```text
//! cargo run --release --example scaleout
//! ```
//!
//! URLs: `QUARRY_PG_URL` (127.0.0.1:5432), `QUARRY_PG_REPLICA_URL`
//! (127.0.0.1:5433), `QUARRY_PGBOUNCER_URL` (127.0.0.1:6543, with
//! `quarry_statements=unnamed`).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use quarry::pg::{Executor, PoolConfig, Router, RouterConfig};
use quarry::prelude::*;

quarry::table! {
    scaleout_items (id) {
        id -> Integer,
        grp -> Integer,
        amount -> BigInt,
    }
}

const ROWS: i32 = 20_000;
const WORKERS: usize = 16;
const ROUND: Duration = Duration::from_millis(1500);
const ROUNDS: usize = 5;
const LOOKUPS: i32 = 2000;

fn env(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

/// The read: an aggregate over one group (1/100 of the table, by a scan),
/// enough work on the server for its CPU to matter.
async fn read_once<E: Executor>(on: &E, grp: i32) -> Result<i64, quarry::Error> {
    let rows: Vec<(i32, i64)> = scaleout_items::table
        .filter(scaleout_items::grp.eq(grp))
        .select((scaleout_items::id, scaleout_items::amount))
        .load_async(on)
        .await?;
    Ok(rows.iter().map(|(_, a)| a).sum())
}

/// Reads per second through `router.read()` with `WORKERS` concurrent
/// readers for `ROUND`.
async fn throughput(router: &Router) -> Result<f64, quarry::Error> {
    let done = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let workers = (0..WORKERS).map(|w| {
        let done = Arc::clone(&done);
        async move {
            let mut grp = w as i32;
            while started.elapsed() < ROUND {
                read_once(&router.read(), grp % 100).await?;
                grp += 7;
                done.fetch_add(1, Ordering::Relaxed);
            }
            Ok::<_, quarry::Error>(())
        }
    });
    for result in futures_util::future::join_all(workers).await {
        result?;
    }
    Ok(done.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64())
}

/// Microseconds per one-row lookup, one after another on one connection.
async fn latency(conn: &quarry::pg::Connection) -> Result<f64, quarry::Error> {
    let started = Instant::now();
    for i in 0..LOOKUPS {
        let id = i % ROWS + 1;
        let (got, _): (i32, i64) = scaleout_items::table
            .find(id)
            .select((scaleout_items::id, scaleout_items::amount))
            .get_result_async(conn)
            .await?;
        assert_eq!(got, id);
    }
    Ok(started.elapsed().as_secs_f64() * 1e6 / f64::from(LOOKUPS))
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), quarry::Error> {
    let primary = env("QUARRY_PG_URL", "postgres://postgres@127.0.0.1:5432/test");
    let replica = env(
        "QUARRY_PG_REPLICA_URL",
        "postgres://postgres@127.0.0.1:5433/test",
    );
    let bouncer = env(
        "QUARRY_PGBOUNCER_URL",
        "postgres://postgres@127.0.0.1:6543/test?quarry_statements=unnamed",
    );

    let setup = quarry::pg::Connection::connect(&primary).await?;
    setup
        .batch_execute(&format!(
            "DROP TABLE IF EXISTS scaleout_items; \
             CREATE TABLE scaleout_items (id int PRIMARY KEY, grp int NOT NULL, amount bigint NOT NULL); \
             INSERT INTO scaleout_items SELECT g, g % 100, g * 3 FROM generate_series(1, {ROWS}) g"
        ))
        .await?;
    // VACUUM FREEZE writes the visibility map and frozen rows to the WAL: a
    // standby cannot set hint bits itself, and without them every row it
    // reads costs a commit-log lookup that the primary does not pay.
    setup
        .batch_execute("VACUUM (FREEZE, ANALYZE) scaleout_items")
        .await?;
    let on_replica = quarry::pg::Connection::connect(&replica).await?;
    let waited = Instant::now();
    loop {
        let rows = on_replica
            .query_raw("SELECT count(*) FROM scaleout_items", &[])
            .await;
        if matches!(&rows, Ok(r) if r[0].get::<_, i64>(0) == i64::from(ROWS)) {
            break;
        }
        if waited.elapsed() > Duration::from_secs(30) {
            return Err(quarry::Error::Config("the replica did not catch up".into()));
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    let pools = RouterConfig::default()
        .primary_pool(PoolConfig::default().max_size(WORKERS))
        .replica_pool(PoolConfig::default().max_size(WORKERS));
    // Reads on the primary alone; on the primary and the replica, taking
    // turns (the primary's URL listed as a read target too); on the replica.
    let alone = Router::with_config(&primary, &[], pools.clone()).await?;
    let both = Router::with_config(
        &primary,
        &[replica.as_str(), primary.as_str()],
        pools.clone(),
    )
    .await?;
    let replica_only = Router::with_config(&primary, &[replica.as_str()], pools).await?;
    let (mut a, mut b, mut r) = (vec![], vec![], vec![]);
    throughput(&alone).await?; // warm-up
    throughput(&both).await?;
    for _ in 0..ROUNDS {
        a.push(throughput(&alone).await?);
        b.push(throughput(&both).await?);
        r.push(throughput(&replica_only).await?);
    }
    let (a, b, r) = (median(a), median(b), median(r));
    println!(
        "reads/s ({WORKERS} concurrent readers, a {}-row aggregate each), median of {ROUNDS} rounds:",
        ROWS / 100
    );
    println!("  primary alone        {a:>8.0}");
    println!("  primary + replica    {b:>8.0}   ({:.2}x)", b / a);
    println!("  replica alone        {r:>8.0}   ({:.2}x)", r / a);

    let direct = quarry::pg::Connection::connect(&primary).await?;
    let sep = if primary.contains('?') { '&' } else { '?' };
    let direct_unnamed =
        quarry::pg::Connection::connect(&format!("{primary}{sep}quarry_statements=unnamed"))
            .await?;
    let through = quarry::pg::Connection::connect(&bouncer).await?;
    let (mut d, mut u, mut p) = (vec![], vec![], vec![]);
    latency(&direct).await?;
    latency(&direct_unnamed).await?;
    latency(&through).await?;
    for _ in 0..ROUNDS {
        d.push(latency(&direct).await?);
        u.push(latency(&direct_unnamed).await?);
        p.push(latency(&through).await?);
    }
    let (d, u, p) = (median(d), median(u), median(p));
    println!("one-row lookup, one connection, {LOOKUPS} in a row, median of {ROUNDS} rounds:");
    println!("  direct, cached statements      {d:>7.1} us");
    println!(
        "  direct, unnamed statements     {u:>7.1} us   ({:.2}x)",
        u / d
    );
    println!(
        "  PgBouncer (transaction mode)   {p:>7.1} us   ({:.2}x; {:.2}x of direct unnamed)",
        p / d,
        p / u
    );

    setup.batch_execute("DROP TABLE scaleout_items").await?;
    Ok(())
}
