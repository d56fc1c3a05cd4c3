//! The PostgreSQL workloads measured in interleaved rounds rather than by
//! criterion, and the streaming workload's peak memory. `run.sh` runs it;
//! each line of output is `key<TAB>value` for the report.
//!
//! ```sh
//! workloads pooled          # 10 000 lookups from 32 tasks on a pool of 8, quarry and raw
//! workloads pooled-only <quarry|raw> <rounds>   # one side alone, for callgrind
//! workloads copy            # COPY of 1 000 000 rows, quarry and raw
//! workloads stream <sqlite|pg> <quarry|raw>   # streams 1 000 000 rows, prints peak RSS
//! ```

use std::sync::Arc;
use std::time::{Duration, Instant};

use bench_common::{self as common, Dialect};
use futures_util::{StreamExt, TryStreamExt};
use quarry::prelude::*;
use tokio_postgres::binary_copy::BinaryCopyInWriter;
use tokio_postgres::types::Type;
use tokio_postgres::{Client, NoTls};

quarry::table! {
    users (id) {
        id -> Integer,
        name -> Text,
        hair_color -> Nullable<Text>,
    }
}

#[derive(Queryable, Insertable, Debug)]
#[quarry(table = users)]
struct User {
    id: i32,
    name: String,
    hair_color: Option<String>,
}

/// Lookups per round of the pooled workload, and the tasks making them.
const LOOKUPS: usize = 10_000;
const TASKS: usize = 32;
/// Connections: the pool's size, and the raw driver's clients.
const CONNECTIONS: usize = 8;
/// Rows the pooled workload looks up among.
const POOLED_TABLE: usize = 10_000;
/// Rows of the streaming and COPY workloads.
const BIG: usize = 1_000_000;

/// Measured rounds: fewer with `BENCH_QUICK` set (`run.sh --quick`).
fn rounds(full: usize, quick: usize) -> usize {
    if std::env::var_os("BENCH_QUICK").is_some() {
        quick
    } else {
        full
    }
}

const QUARRY_SCHEMA: &str = "bench_quarry_more";
const RAW_SCHEMA: &str = "bench_raw_more";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a Tokio runtime");
    match args.as_slice() {
        ["pooled"] => rt.block_on(pooled()),
        ["pooled-only", lib, n] => rt.block_on(pooled_only(lib, n.parse().expect("rounds"))),
        ["copy"] => rt.block_on(copy()),
        ["stream", "sqlite", lib] => stream_sqlite(lib),
        ["stream", "pg", lib] => rt.block_on(stream_pg(lib)),
        _ => {
            eprintln!(
                "usage: workloads pooled | pooled-only <quarry|raw> <rounds> | copy | stream <sqlite|pg> <quarry|raw>"
            );
            std::process::exit(2);
        }
    }
}

async fn raw_client(schema: &str) -> Client {
    let (client, driver) = tokio_postgres::connect(&common::pg_url(schema), NoTls)
        .await
        .expect("connect");
    tokio::spawn(driver);
    client
}

/// Both schemas made anew with `users` holding `n` users.
async fn setup(n: usize) {
    for schema in [QUARRY_SCHEMA, RAW_SCHEMA] {
        let client = raw_client(schema).await;
        client
            .batch_execute(&common::ddl(Dialect::Pg, schema))
            .await
            .expect("schema");
        client
            .batch_execute(&common::fill_trivial(Dialect::Pg, n))
            .await
            .expect("fill");
    }
}

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

fn report(workload: &str, quarry: Vec<Duration>, raw: Vec<Duration>) {
    let (q, r) = (median(quarry), median(raw));
    println!("{workload}.quarry_us\t{}", q.as_micros());
    println!("{workload}.raw_us\t{}", r.as_micros());
    println!("{workload}.ratio\t{:.3}", q.as_secs_f64() / r.as_secs_f64());
}

/// The two sides of the pooled workload: quarry's `&Pool` and the raw
/// driver's clients, each with its statement prepared.
struct Pooled {
    pool: quarry::pg::Pool,
    clients: Arc<Vec<Client>>,
    statements: Arc<Vec<tokio_postgres::Statement>>,
}

impl Pooled {
    async fn new() -> Pooled {
        setup(POOLED_TABLE).await;
        let config = quarry::pg::PoolConfig::default().max_size(CONNECTIONS);
        let pool = quarry::pg::Pool::with_config(&common::pg_url(QUARRY_SCHEMA), config)
            .await
            .expect("pool");
        let mut clients = Vec::new();
        for _ in 0..CONNECTIONS {
            clients.push(raw_client(RAW_SCHEMA).await);
        }
        let sql = "SELECT id, name, hair_color FROM users WHERE id = $1";
        let mut statements = Vec::new();
        for client in &clients {
            statements.push(
                client
                    .prepare_typed(sql, &[Type::INT4])
                    .await
                    .expect("prepare"),
            );
        }
        Pooled {
            pool,
            clients: Arc::new(clients),
            statements: Arc::new(statements),
        }
    }

    /// One round of `LOOKUPS` lookups from `TASKS` tasks on `&Pool`.
    async fn quarry_round(&self) -> Round {
        let started = Round::start();
        let tasks = (0..TASKS).map(|t| {
            let pool = self.pool.clone();
            tokio::task::spawn_local(async move {
                for i in (t..LOOKUPS).step_by(TASKS) {
                    let id = lookup_id(i);
                    let user: User = users::table
                        .filter(users::id.eq(id))
                        .get_result_async(&pool)
                        .await
                        .expect("lookup");
                    assert_eq!(user.id, id);
                }
            })
        });
        for task in futures_util::future::join_all(tasks).await {
            task.expect("task");
        }
        started.end()
    }

    /// One round of `LOOKUPS` lookups from `TASKS` tasks spread over the
    /// raw clients, each pipelining its tasks' statements.
    async fn raw_round(&self) -> Round {
        let started = Round::start();
        let tasks = (0..TASKS).map(|t| {
            let clients = Arc::clone(&self.clients);
            let statements = Arc::clone(&self.statements);
            tokio::task::spawn_local(async move {
                let c = t % CONNECTIONS;
                for i in (t..LOOKUPS).step_by(TASKS) {
                    let id = lookup_id(i);
                    let row = clients[c]
                        .query_one(&statements[c], &[&id])
                        .await
                        .expect("lookup");
                    let user = User {
                        id: row.try_get(0).expect("id"),
                        name: row.try_get(1).expect("name"),
                        hair_color: row.try_get(2).expect("hair"),
                    };
                    assert_eq!(user.id, id);
                }
            })
        });
        for task in futures_util::future::join_all(tasks).await {
            task.expect("task");
        }
        started.end()
    }
}

/// The key of the `i`th lookup: spread over the table.
fn lookup_id(i: usize) -> i32 {
    (i * 7919 % POOLED_TABLE) as i32 + 1
}

/// The CPU time this thread has used, from `/proc/thread-self/schedstat`
/// (nanoseconds on the CPU); zero where that file is missing. The runtime
/// is single-threaded, so this is all the client's work: quarry's or the
/// raw driver's, the driver's I/O and the system calls it makes.
fn thread_cpu() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .map_or(Duration::ZERO, Duration::from_nanos)
}

/// A round's wall-clock time and the client's CPU time in it.
#[derive(Clone, Copy)]
struct Round {
    wall: Duration,
    cpu: Duration,
}

/// When a round started.
struct Started {
    wall: Instant,
    cpu: Duration,
}

impl Round {
    fn start() -> Started {
        Started {
            wall: Instant::now(),
            cpu: thread_cpu(),
        }
    }
}

impl Started {
    fn end(self) -> Round {
        Round {
            wall: self.wall.elapsed(),
            cpu: thread_cpu().saturating_sub(self.cpu),
        }
    }
}

/// The value at quantile `q` of sorted `xs` (nearest rank).
fn quantile(xs: &[f64], q: f64) -> f64 {
    xs[((xs.len() - 1) as f64 * q).round() as usize]
}

/// Prints `key` (the median of the ratios), its quartiles and extremes.
fn ratios(key: &str, mut ratios: Vec<f64>) {
    ratios.sort_by(f64::total_cmp);
    println!("{key}\t{:.3}", quantile(&ratios, 0.5));
    println!("{key}_p25\t{:.3}", quantile(&ratios, 0.25));
    println!("{key}_p75\t{:.3}", quantile(&ratios, 0.75));
    println!("{key}_min\t{:.3}", ratios[0]);
    println!("{key}_max\t{:.3}", ratios[ratios.len() - 1]);
}

/// `LOOKUPS` lookups by key from `TASKS` tasks: quarry through `&Pool`
/// (size `CONNECTIONS`), raw tokio-postgres with the tasks spread over
/// `CONNECTIONS` clients, each pipelining its tasks' statements.
///
/// Rounds come in pairs, one of each, and which goes first alternates.
/// The ratio reported is the median of the pairs' ratios, with their
/// quartiles and extremes: a burst of load on the machine skews a pair,
/// not the figure. The client's CPU time per round is reported the same
/// way: the server's work is the same for both, so it is quarry's own
/// cost, and far less sensitive to load than the wall clock.
async fn pooled() {
    let local = tokio::task::LocalSet::new();
    let (q, r) = local
        .run_until(async {
            let bench = Pooled::new().await;
            // Warm-up: connections opened and lent, statements prepared.
            for _ in 0..3 {
                bench.quarry_round().await;
                bench.raw_round().await;
            }
            let (mut q, mut r) = (Vec::new(), Vec::new());
            for pair in 0..rounds(41, 11) {
                if pair % 2 == 0 {
                    q.push(bench.quarry_round().await);
                    r.push(bench.raw_round().await);
                } else {
                    r.push(bench.raw_round().await);
                    q.push(bench.quarry_round().await);
                }
            }
            (q, r)
        })
        .await;
    let per = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
    println!(
        "pooled.quarry_us\t{}",
        median(q.iter().map(|x| x.wall).collect()).as_micros()
    );
    println!(
        "pooled.raw_us\t{}",
        median(r.iter().map(|x| x.wall).collect()).as_micros()
    );
    ratios(
        "pooled.ratio",
        q.iter().zip(&r).map(|(q, r)| per(q.wall, r.wall)).collect(),
    );
    println!(
        "pooled.quarry_cpu_us\t{}",
        median(q.iter().map(|x| x.cpu).collect()).as_micros()
    );
    println!(
        "pooled.raw_cpu_us\t{}",
        median(r.iter().map(|x| x.cpu).collect()).as_micros()
    );
    if r.iter().all(|x| x.cpu > Duration::ZERO) {
        ratios(
            "pooled.cpu_ratio",
            q.iter().zip(&r).map(|(q, r)| per(q.cpu, r.cpu)).collect(),
        );
    }
    println!("pooled.pairs\t{}", q.len());
}

/// One side of the pooled workload alone, `n` rounds after one of
/// warm-up, for counting its instructions: run under callgrind with two
/// values of `n`, the difference over `LOOKUPS` times their difference
/// is the client's instructions per lookup.
async fn pooled_only(lib: &str, n: usize) {
    let local = tokio::task::LocalSet::new();
    local
        .run_until(async {
            let bench = Pooled::new().await;
            let quarry = lib == "quarry";
            for _ in 0..=n {
                if quarry {
                    bench.quarry_round().await;
                } else {
                    bench.raw_round().await;
                }
            }
        })
        .await;
}

/// COPY of 1 000 000 users (id, name, hair colour): quarry's
/// `copy_in_async` of `#[derive(Insertable)]` rows, raw tokio-postgres'
/// `BinaryCopyInWriter` with the column types written by hand. Rounds
/// alternate; the table is truncated before each.
async fn copy() {
    setup(0).await;
    let conn = quarry::pg::Connection::connect(&common::pg_url(QUARRY_SCHEMA))
        .await
        .expect("connect");
    let raw = raw_client(RAW_SCHEMA).await;
    let rows: Vec<User> = (0..BIG)
        .map(|i| User {
            id: i as i32 + 1,
            name: format!("User {i}"),
            hair_color: (i % 3 != 0).then(|| "black".to_owned()),
        })
        .collect();
    let (mut q, mut r) = (Vec::new(), Vec::new());
    for _ in 0..rounds(5, 3) {
        conn.batch_execute("TRUNCATE users CASCADE")
            .await
            .expect("truncate");
        let started = Instant::now();
        let n = quarry::insert_into(users::table)
            .values(&rows)
            .copy_in_async(&conn)
            .await
            .expect("copy");
        q.push(started.elapsed());
        assert_eq!(n as usize, BIG);

        raw.batch_execute("TRUNCATE users CASCADE")
            .await
            .expect("truncate");
        let started = Instant::now();
        let sink = raw
            .copy_in("COPY users (id, name, hair_color) FROM STDIN BINARY")
            .await
            .expect("copy");
        let writer = BinaryCopyInWriter::new(sink, &[Type::INT4, Type::TEXT, Type::TEXT]);
        let mut writer = std::pin::pin!(writer);
        for row in &rows {
            writer
                .as_mut()
                .write(&[&row.id, &row.name, &row.hair_color])
                .await
                .expect("row");
        }
        let n = writer.as_mut().finish().await.expect("finish");
        r.push(started.elapsed());
        assert_eq!(n as usize, BIG);
    }
    report("copy", q, r);
}

/// The process's peak resident memory, from `/proc/self/status`.
fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// Streams 1 000 000 users of SQLite (a file, filled first) and prints the
/// peak memory after.
fn stream_sqlite(lib: &str) {
    let path = std::env::temp_dir().join(format!("quarry-stream-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&path);
    {
        let db = rusqlite::Connection::open(&path).expect("open");
        db.execute_batch(&common::ddl(Dialect::Sqlite, ""))
            .expect("ddl");
        db.execute_batch(&common::fill_trivial(Dialect::Sqlite, BIG))
            .expect("fill");
    }
    let before = peak_rss_kib();
    let started = Instant::now();
    let mut count = 0usize;
    let mut bytes = 0usize;
    match lib {
        "quarry" => {
            let mut db = quarry::sqlite::Connection::open(&path).expect("open");
            for user in users::table.load_iter::<User>(&mut db).expect("start") {
                let user = user.expect("row");
                count += 1;
                bytes += user.name.len();
            }
        }
        _ => {
            let db = rusqlite::Connection::open(&path).expect("open");
            let mut stmt = db.prepare(common::raw_sql::TRIVIAL).expect("prepare");
            let mut rows = stmt.query([]).expect("query");
            while let Some(row) = rows.next().expect("row") {
                let user = User {
                    id: row.get(0).expect("id"),
                    name: row.get(1).expect("name"),
                    hair_color: row.get(2).expect("hair"),
                };
                count += 1;
                bytes += user.name.len();
            }
        }
    }
    let _ = std::fs::remove_file(&path);
    assert_eq!(count, BIG, "{bytes}");
    println!("stream.sqlite.{lib}.ms\t{}", started.elapsed().as_millis());
    println!("stream.sqlite.{lib}.peak_rss_kib\t{}", peak_rss_kib());
    println!("stream.sqlite.{lib}.rss_before_kib\t{before}");
}

/// Streams 1 000 000 users from PostgreSQL (filled first) and prints the
/// peak memory after.
async fn stream_pg(lib: &str) {
    setup(BIG).await;
    let before = peak_rss_kib();
    let started = Instant::now();
    let mut count = 0usize;
    match lib {
        "quarry" => {
            let pool = quarry::pg::Pool::connect(&common::pg_url(QUARRY_SCHEMA))
                .await
                .expect("pool");
            let mut rows = users::table
                .load_stream::<User, _>(&pool)
                .await
                .expect("start");
            while let Some(user) = rows.next().await {
                let user = user.expect("row");
                count += usize::from(!user.name.is_empty());
            }
        }
        _ => {
            let client = raw_client(QUARRY_SCHEMA).await;
            let stmt = client
                .prepare(common::raw_sql::TRIVIAL)
                .await
                .expect("prepare");
            let rows = client
                .query_raw(&stmt, std::iter::empty::<i32>())
                .await
                .expect("query");
            let mut rows = std::pin::pin!(rows);
            while let Some(row) = rows.try_next().await.expect("row") {
                let user = User {
                    id: row.try_get(0).expect("id"),
                    name: row.try_get(1).expect("name"),
                    hair_color: row.try_get(2).expect("hair"),
                };
                count += usize::from(!user.name.is_empty());
            }
        }
    }
    assert_eq!(count, BIG);
    println!("stream.pg.{lib}.ms\t{}", started.elapsed().as_millis());
    println!("stream.pg.{lib}.peak_rss_kib\t{}", peak_rss_kib());
    println!("stream.pg.{lib}.rss_before_kib\t{before}");
}
