//! Dynamic (boxed) queries executed repeatedly against their static twins,
//! in the same run: `cargo run --release --example dynamic_vs_static`.
//!
//! Each dynamic query adds its clauses at run time and finds its SQL text
//! by shape on every execution, as a request handler would; its twin is the
//! same SQL written statically. Two cases on in-memory SQLite:
//! - one row by key with two filters: the cheapest query the database can
//!   run, so the worst case for the ratio;
//! - a search page: an `IN` list and a `LIKE` filter, newest first, 20 rows
//!   at most, from 5 000.

use std::time::Instant;

use quarry::prelude::*;
use quarry::query::BoxedSelect;
use quarry::sql_types::{Integer, Text};
use quarry::sqlite::Connection;

quarry::table! {
    users (id) {
        id -> Integer,
        name -> Text,
        score -> BigInt,
    }
    posts (id) {
        id -> Integer,
        user_id -> Integer,
        title -> Text,
    }
}

const AUTHORS: [i32; 6] = [1, 3, 5, 7, 9, 11];

/// The search form's query: each filter present only when it is given.
fn search<'a>(
    authors: &'a [i32],
    pattern: Option<&'a str>,
) -> BoxedSelect<'a, Sqlite, posts::table, (Integer, Text)> {
    let mut q = posts::table
        .select((posts::id, posts::title))
        .into_boxed::<Sqlite>();
    if !authors.is_empty() {
        q = q.filter(posts::user_id.eq_any(authors.iter().copied()));
    }
    if let Some(pattern) = pattern {
        q = q.filter(posts::title.like(pattern));
    }
    q.order(posts::id.desc()).limit(20)
}

type Run = dyn FnMut(&mut Connection, i32) -> Result<(), quarry::Error>;

/// Runs the two in alternating rounds, so that a slow spell of a shared
/// machine hits both, and prints the median per query and the median of the
/// per-round ratios.
fn compare(
    name: &str,
    db: &mut Connection,
    per_round: i32,
    run_static: &mut Run,
    run_dynamic: &mut Run,
) -> Result<(), quarry::Error> {
    const ROUNDS: usize = 31;
    let mut static_ns = Vec::new();
    let mut dynamic_ns = Vec::new();
    let mut ratios = Vec::new();
    let time = |run: &mut Run, db: &mut Connection| -> Result<f64, quarry::Error> {
        let start = Instant::now();
        for i in 0..per_round {
            run(db, i)?;
        }
        Ok(start.elapsed().as_secs_f64() * 1e9 / f64::from(per_round))
    };
    for _ in 0..ROUNDS {
        let s = time(run_static, db)?;
        let d = time(run_dynamic, db)?;
        static_ns.push(s);
        dynamic_ns.push(d);
        ratios.push(d / s);
    }
    for v in [&mut static_ns, &mut dynamic_ns, &mut ratios] {
        v.sort_by(f64::total_cmp);
    }
    let mid = ROUNDS / 2;
    println!("{name}:");
    println!("  static:  {:.0} ns per query", static_ns[mid]);
    println!("  dynamic: {:.0} ns per query", dynamic_ns[mid]);
    println!(
        "  dynamic / static: {:.2} (median of {ROUNDS} rounds; quartiles {:.2}-{:.2})",
        ratios[mid],
        ratios[ROUNDS / 4],
        ratios[ROUNDS * 3 / 4]
    );
    Ok(())
}

fn main() -> Result<(), quarry::Error> {
    let mut db = Connection::open_in_memory()?;
    db.execute_batch(
        "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, score INTEGER NOT NULL);
         WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < 999)
         INSERT INTO users SELECT i, 'someone', i * 3 FROM s;
         CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL, title TEXT NOT NULL);
         CREATE INDEX posts_user_id ON posts (user_id);
         WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 2 FROM s WHERE i < 9999)
         INSERT INTO posts SELECT i, i, 'Post by user ' || i FROM s;
         ANALYZE;",
    )?;

    compare(
        "one row by key",
        &mut db,
        20_000,
        &mut |db, i| {
            let name: String = users::table
                .filter(users::id.eq(i % 1000))
                .filter(users::score.ge(0_i64))
                .select(users::name)
                .get_result(db)?;
            std::hint::black_box(name);
            Ok(())
        },
        &mut |db, i| {
            let mut q = users::table.select(users::name).into_boxed::<Sqlite>();
            q = q.filter(users::id.eq(i % 1000));
            q = q.filter(users::score.ge(0_i64));
            let name: String = q.get_result(db)?;
            std::hint::black_box(name);
            Ok(())
        },
    )?;

    compare(
        "search page",
        &mut db,
        500,
        &mut |db, _| {
            let rows: Vec<(i32, String)> = posts::table
                .filter(posts::user_id.eq_any(AUTHORS))
                .filter(posts::title.like("Post by%"))
                .select((posts::id, posts::title))
                .order(posts::id.desc())
                .limit(20)
                .load(db)?;
            std::hint::black_box(rows);
            Ok(())
        },
        &mut |db, _| {
            let rows: Vec<(i32, String)> = search(&AUTHORS, Some("Post by%")).load(db)?;
            std::hint::black_box(rows);
            Ok(())
        },
    )?;

    // Where the one-row difference goes: building the boxed query and
    // finding its text, without running it.
    const N: i32 = 200_000;
    let start = Instant::now();
    for i in 0..N {
        let mut q = users::table.select(users::name).into_boxed::<Sqlite>();
        q = q.filter(users::id.eq(i));
        q = q.filter(users::score.ge(0_i64));
        std::hint::black_box(q.sql()?);
    }
    let per = |t: std::time::Duration| t.as_secs_f64() * 1e9 / f64::from(N);
    println!(
        "build + find text: {:.0} ns per query",
        per(start.elapsed())
    );
    let q = users::table
        .select(users::name)
        .into_boxed::<Sqlite>()
        .filter(users::id.eq(1))
        .filter(users::score.ge(0_i64));
    let start = Instant::now();
    for _ in 0..N {
        std::hint::black_box(q.sql()?);
    }
    println!("find text only: {:.0} ns per query", per(start.elapsed()));
    Ok(())
}
