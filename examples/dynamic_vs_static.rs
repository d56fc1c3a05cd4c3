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

    const ROUNDS: usize = 15;
    const PER_ROUND: i32 = 20_000;
    let mut static_times = Vec::new();
    let mut dynamic_times = Vec::new();
    for _ in 0..ROUNDS {
        let start = Instant::now();
        for i in 0..PER_ROUND {
            std::hint::black_box(run_static(&mut db, i % 1000)?);
        }
        static_times.push(start.elapsed());
        let start = Instant::now();
        for i in 0..PER_ROUND {
            std::hint::black_box(run_dynamic(&mut db, i % 1000)?);
        }
        dynamic_times.push(start.elapsed());
    }
    let median = |mut v: Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let s = median(static_times);
    let d = median(dynamic_times);
    let per = |t: Duration| t.as_secs_f64() * 1e9 / f64::from(PER_ROUND);
    println!("static:  {:.0} ns per query", per(s));
    println!("dynamic: {:.0} ns per query", per(d));
    println!("dynamic / static: {:.2}", d.as_secs_f64() / s.as_secs_f64());

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
