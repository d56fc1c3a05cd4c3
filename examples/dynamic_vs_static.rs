//! A dynamic (boxed) query executed repeatedly against its static twin, in
//! the same run: `cargo run --release --example dynamic_vs_static`.
//!
//! Both select one row by key from an in-memory SQLite table with two
//! filters; the dynamic one adds its filters at run time and finds its SQL
//! text by shape.

use std::time::{Duration, Instant};

use quarry::prelude::*;

quarry::table! {
    users (id) {
        id -> Integer,
        name -> Text,
        score -> BigInt,
    }
}

fn main() -> Result<(), quarry::Error> {
    let mut db = quarry::sqlite::Connection::open_in_memory()?;
    db.execute_batch(
        "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, score INTEGER NOT NULL)",
    )?;
    for id in 0..1000 {
        db.execute(
            "INSERT INTO users (id, name, score) VALUES (?, ?, ?)",
            &[
                Value::Int(id),
                Value::Text("someone"),
                Value::BigInt(i64::from(id) * 3),
            ],
        )?;
    }

    let run_static =
        |db: &mut quarry::sqlite::Connection, id: i32| -> Result<String, quarry::Error> {
            users::table
                .filter(users::id.eq(id))
                .filter(users::score.ge(0_i64))
                .select(users::name)
                .get_result(db)
        };
    let run_dynamic =
        |db: &mut quarry::sqlite::Connection, id: i32| -> Result<String, quarry::Error> {
            let mut q = users::table.select(users::name).into_boxed::<Sqlite>();
            q = q.filter(users::id.eq(id));
            q = q.filter(users::score.ge(0_i64));
            q.get_result(db)
        };

    // Rounds alternate the two, so that a slow spell of a shared machine
    // hits both; the ratio is taken per round, and the median reported.
    const ROUNDS: usize = 31;
    const PER_ROUND: i32 = 20_000;
    let mut static_ns = Vec::new();
    let mut dynamic_ns = Vec::new();
    let mut ratios = Vec::new();
    let per = |t: Duration| t.as_secs_f64() * 1e9 / f64::from(PER_ROUND);
    for _ in 0..ROUNDS {
        let start = Instant::now();
        for i in 0..PER_ROUND {
            std::hint::black_box(run_static(&mut db, i % 1000)?);
        }
        let s = per(start.elapsed());
        let start = Instant::now();
        for i in 0..PER_ROUND {
            std::hint::black_box(run_dynamic(&mut db, i % 1000)?);
        }
        let d = per(start.elapsed());
        static_ns.push(s);
        dynamic_ns.push(d);
        ratios.push(d / s);
    }
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    println!("static:  {:.0} ns per query", median(static_ns));
    println!("dynamic: {:.0} ns per query", median(dynamic_ns));
    let spread = {
        let mut r = ratios.clone();
        r.sort_by(f64::total_cmp);
        (r[r.len() / 4], r[r.len() * 3 / 4])
    };
    println!(
        "dynamic / static: {:.2} (median of {ROUNDS} rounds; quartiles {:.2}-{:.2})",
        median(ratios),
        spread.0,
        spread.1
    );

    // Where the difference goes: building the boxed query and finding its
    // text, without running it.
    let start = Instant::now();
    for i in 0..PER_ROUND {
        let mut q = users::table.select(users::name).into_boxed::<Sqlite>();
        q = q.filter(users::id.eq(i));
        q = q.filter(users::score.ge(0_i64));
        std::hint::black_box(q.sql()?);
    }
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
    for _ in 0..PER_ROUND {
        std::hint::black_box(q.sql()?);
    }
    println!("find text only: {:.0} ns per query", per(start.elapsed()));
    Ok(())
}
