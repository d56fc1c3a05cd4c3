//! Dynamic (boxed) queries against their static twins, in one run:
//! `cargo bench --bench dynamic` (from `benches/`). Each pair is the same
//! SQL; the dynamic one adds its clauses at run time and finds its text by
//! shape on every execution, as a request handler would.
//!
//! - `one row`: a row by key, with two filters: the cheapest query the
//!   database can run, so the worst case for the ratio.
//! - `search page`: the search form (optional filters, a sort
//!   column, an `IN` list), 20 rows of 5 000.

use std::hint::black_box;
use std::time::Instant;

use bench_common::{self as common, Dialect};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use quarry::prelude::*;
use quarry::query::BoxedSelect;

quarry::table! {
    users (id) {
        id -> Integer,
        name -> Text,
        hair_color -> Nullable<Text>,
    }
    posts (id) {
        id -> Integer,
        user_id -> Integer references users(id),
        title -> Text,
        body -> Nullable<Text>,
    }
}

const ROWS: usize = 5_000;
const AUTHORS: [i32; 6] = [1, 3, 5, 7, 9, 11];

/// The search form's query, built at run time.
fn search<'a, DB: quarry::Backend>(
    authors: &'a [i32],
    pattern: Option<&'a str>,
) -> BoxedSelect<'a, DB, posts::table, (quarry::sql_types::Integer, quarry::sql_types::Text)> {
    let mut q = posts::table
        .select((posts::id, posts::title))
        .into_boxed::<DB>();
    if !authors.is_empty() {
        q = q.filter(posts::user_id.eq_any(authors.iter().copied()));
    }
    if let Some(pattern) = pattern {
        q = q.filter(posts::title.like(pattern));
    }
    q.order(posts::id.desc()).limit(20)
}

fn sqlite(c: &mut Criterion) {
    let mut db = quarry::sqlite::Connection::open_in_memory().unwrap();
    db.execute_batch(&common::ddl(Dialect::Sqlite, "")).unwrap();
    db.execute_batch(&common::fill_medium(Dialect::Sqlite, 2 * ROWS))
        .unwrap();

    let mut g = c.benchmark_group("dynamic/sqlite one row");
    g.bench_function("static", |b| {
        let mut id = 0;
        b.iter(|| {
            id = (id + 2) % (2 * ROWS as i32);
            let title: String = posts::table
                .filter(posts::id.eq(id + 1))
                .filter(posts::user_id.ge(0))
                .select(posts::title)
                .get_result(&mut db)
                .unwrap();
            title
        })
    });
    g.bench_function("dynamic", |b| {
        let mut id = 0;
        b.iter(|| {
            id = (id + 2) % (2 * ROWS as i32);
            let mut q = posts::table.select(posts::title).into_boxed::<Sqlite>();
            q = q.filter(posts::id.eq(id + 1));
            q = q.filter(posts::user_id.ge(0));
            let title: String = q.get_result(&mut db).unwrap();
            title
        })
    });
    g.finish();

    let mut g = c.benchmark_group("dynamic/sqlite search page");
    g.bench_function("static", |b| {
        b.iter(|| {
            let rows: Vec<(i32, String)> = posts::table
                .filter(posts::user_id.eq_any(AUTHORS))
                .filter(posts::title.like("Post by%"))
                .select((posts::id, posts::title))
                .order(posts::id.desc())
                .limit(20)
                .load(&mut db)
                .unwrap();
            assert_eq!(rows.len(), AUTHORS.len());
            rows
        })
    });
    g.bench_function("dynamic", |b| {
        b.iter(|| {
            let rows: Vec<(i32, String)> = search::<Sqlite>(&AUTHORS, Some("Post by%"))
                .load(&mut db)
                .unwrap();
            assert_eq!(rows.len(), AUTHORS.len());
            rows
        })
    });
    g.finish();
}

fn pg(c: &mut Criterion) {
    const SCHEMA: &str = "bench_dynamic";
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let conn = rt.block_on(async {
        let conn = quarry::pg::Connection::connect(&common::pg_url(SCHEMA))
            .await
            .unwrap();
        conn.batch_execute(&common::ddl(Dialect::Pg, SCHEMA))
            .await
            .unwrap();
        conn.batch_execute(&common::fill_medium(Dialect::Pg, 2 * ROWS))
            .await
            .unwrap();
        conn
    });

    let mut g = c.benchmark_group("dynamic/pg one row");
    g.bench_function(BenchmarkId::new("static", ""), |b| {
        b.iter_custom(|iters| {
            rt.block_on(async {
                let start = Instant::now();
                for i in 0..iters {
                    let id = (2 * i as i32) % (2 * ROWS as i32) + 1;
                    let title: String = posts::table
                        .filter(posts::id.eq(id))
                        .filter(posts::user_id.ge(0))
                        .select(posts::title)
                        .get_result_async(&conn)
                        .await
                        .unwrap();
                    black_box(title);
                }
                start.elapsed()
            })
        })
    });
    g.bench_function(BenchmarkId::new("dynamic", ""), |b| {
        b.iter_custom(|iters| {
            rt.block_on(async {
                let start = Instant::now();
                for i in 0..iters {
                    let id = (2 * i as i32) % (2 * ROWS as i32) + 1;
                    let mut q = posts::table.select(posts::title).into_boxed::<Pg>();
                    q = q.filter(posts::id.eq(id));
                    q = q.filter(posts::user_id.ge(0));
                    let title: String = q.get_result_async(&conn).await.unwrap();
                    black_box(title);
                }
                start.elapsed()
            })
        })
    });
    g.finish();
}

fn benches(c: &mut Criterion) {
    sqlite(c);
    pg(c);
}

criterion_group! {
    name = dynamic;
    config = common::criterion();
    targets = benches
}
criterion_main!(dynamic);
