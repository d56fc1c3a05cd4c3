//! quarry against raw `mysql_async` on MariaDB: a lookup by primary key,
//! a medium query (100 rows of a filtered, ordered select) and a one-row
//! insert. Not in the report yet: run it on its own (see README.md).
//!
//! Both sides run on one connection each, in the database `quarry_bench`
//! (created and dropped here) on `QUARRY_MYSQL_URL` (default
//! `mysql://root@127.0.0.1:3306/test`). The raw side prepares each
//! statement once (`conn.prep`) outside the timed loop, then runs it with
//! `exec_first` / `exec_map` / `exec_drop` and decodes into the same Rust
//! types. quarry prepares on first use (in the warm-up) and caches.

use std::hint::black_box;
use std::time::Instant;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use quarry::mysql::RunQueryAsync;
use quarry::mysql::mysql_async::{self, prelude::Queryable};
use quarry::prelude::*;
use tokio::runtime::Runtime;

quarry::table! {
    users (id) {
        id -> Integer,
        name -> Text,
        hair_color -> Nullable<Text>,
    }
}

#[derive(Queryable, Debug)]
struct User {
    id: i32,
    #[allow(dead_code)]
    name: String,
    #[allow(dead_code)]
    hair_color: Option<String>,
}

#[derive(Insertable)]
#[quarry(table = users)]
struct NewUser {
    name: String,
    hair_color: Option<String>,
}

const DATABASE: &str = "quarry_bench";
/// Rows in `users` before the inserts; every third has black hair.
const ROWS: i32 = 3_000;
/// Rows the medium query returns.
const MEDIUM: usize = 100;

fn base_url() -> String {
    std::env::var("QUARRY_MYSQL_URL").unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/test".into())
}

/// `base_url()` with its database replaced by `quarry_bench`.
fn bench_url() -> String {
    let base = base_url();
    let (server, _) = base
        .rsplit_once('/')
        .expect("a mysql:// URL with a database");
    format!("{server}/{DATABASE}")
}

fn ddl() -> String {
    let mut sql = format!(
        "DROP DATABASE IF EXISTS {DATABASE}; CREATE DATABASE {DATABASE}; USE {DATABASE};
         CREATE TABLE users (
             id INT AUTO_INCREMENT PRIMARY KEY,
             name VARCHAR(100) NOT NULL,
             hair_color VARCHAR(100) NULL,
             KEY users_hair_color (hair_color)
         );
         INSERT INTO users (name, hair_color) VALUES "
    );
    for i in 1..=ROWS {
        let hair = match i % 3 {
            1 => "'black'",
            2 => "'brown'",
            _ => "NULL",
        };
        if i > 1 {
            sql.push(',');
        }
        sql.push_str(&format!("('User {i}', {hair})"));
    }
    sql
}

struct Dbs {
    rt: Runtime,
    quarry: quarry::mysql::Connection,
    raw: mysql_async::Conn,
}

impl Dbs {
    fn open() -> Dbs {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a Tokio runtime");
        let (quarry, raw) = rt.block_on(async {
            let mut setup = mysql_async::Conn::from_url(base_url()).await.unwrap();
            setup.query_drop(ddl()).await.unwrap();
            setup.disconnect().await.unwrap();
            let quarry = quarry::mysql::Connection::connect(&bench_url())
                .await
                .unwrap();
            let raw = mysql_async::Conn::from_url(bench_url()).await.unwrap();
            (quarry, raw)
        });
        Dbs { rt, quarry, raw }
    }

    fn drop_database(self) {
        let Dbs { rt, quarry, raw } = self;
        rt.block_on(async {
            drop(quarry);
            raw.disconnect().await.unwrap();
            let mut setup = mysql_async::Conn::from_url(base_url()).await.unwrap();
            setup
                .query_drop(format!("DROP DATABASE {DATABASE}"))
                .await
                .unwrap();
            setup.disconnect().await.unwrap();
        });
    }
}

/// The ids the lookups cycle through: spread over the table.
fn lookup_id(i: u64) -> i32 {
    (i.wrapping_mul(7919) % ROWS as u64) as i32 + 1
}

fn lookup(c: &mut Criterion, dbs: &mut Dbs) {
    let mut g = bench_common::group(c, "lookup");
    let Dbs { rt, quarry, raw } = dbs;
    g.bench_function(BenchmarkId::new("mysql/quarry", 1), |b| {
        b.iter_custom(|iters| {
            rt.block_on(async {
                let start = Instant::now();
                for i in 0..iters {
                    let id = lookup_id(i);
                    let user: User = users::table
                        .find(id)
                        .get_result_async(&*quarry)
                        .await
                        .unwrap();
                    assert_eq!(user.id, id);
                    black_box(user);
                }
                start.elapsed()
            })
        })
    });
    let stmt = rt
        .block_on(raw.prep("SELECT id, name, hair_color FROM users WHERE id = ?"))
        .unwrap();
    g.bench_function(BenchmarkId::new("mysql/mysql_async", 1), |b| {
        b.iter_custom(|iters| {
            rt.block_on(async {
                let start = Instant::now();
                for i in 0..iters {
                    let id = lookup_id(i);
                    let (uid, name, hair_color): (i32, String, Option<String>) =
                        raw.exec_first(&stmt, (id,)).await.unwrap().unwrap();
                    let user = User {
                        id: uid,
                        name,
                        hair_color,
                    };
                    assert_eq!(user.id, id);
                    black_box(user);
                }
                start.elapsed()
            })
        })
    });
    g.finish();
}

fn medium(c: &mut Criterion, dbs: &mut Dbs) {
    let mut g = bench_common::group(c, "medium");
    let Dbs { rt, quarry, raw } = dbs;
    g.bench_function(BenchmarkId::new("mysql/quarry", MEDIUM), |b| {
        b.iter_custom(|iters| {
            rt.block_on(async {
                let start = Instant::now();
                for _ in 0..iters {
                    let rows: Vec<User> = users::table
                        .filter(users::hair_color.eq("black"))
                        .order(users::id)
                        .limit(MEDIUM as i64)
                        .load_async(&*quarry)
                        .await
                        .unwrap();
                    assert_eq!(rows.len(), MEDIUM);
                    black_box(rows);
                }
                start.elapsed()
            })
        })
    });
    // The raw driver on its own SQL, and with the `ORDER BY x IS NULL, x`
    // key that quarry writes for a term that can be NULL (it puts NULLs
    // last as on PostgreSQL, and costs MariaDB the index order: a
    // filesort of every matching row). quarry leaves the key out here,
    // where `users.id` cannot be NULL.
    for (name, sql) in [
        (
            "mysql/mysql_async",
            "SELECT id, name, hair_color FROM users WHERE hair_color = ? ORDER BY id LIMIT ?",
        ),
        (
            "mysql/mysql_async-null-key",
            "SELECT `users`.`id`, `users`.`name`, `users`.`hair_color` FROM `users` \
             WHERE `users`.`hair_color` = ? ORDER BY (`users`.`id`) IS NULL, `users`.`id` LIMIT ?",
        ),
    ] {
        medium_raw(&mut g, rt, raw, name, sql);
    }
    g.finish();
}

fn medium_raw(
    g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    rt: &Runtime,
    raw: &mut mysql_async::Conn,
    name: &str,
    sql: &str,
) {
    let stmt = rt.block_on(raw.prep(sql)).unwrap();
    g.bench_function(BenchmarkId::new(name, MEDIUM), |b| {
        b.iter_custom(|iters| {
            rt.block_on(async {
                let start = Instant::now();
                for _ in 0..iters {
                    let rows: Vec<User> = raw
                        .exec_map(
                            &stmt,
                            ("black", MEDIUM as i64),
                            |(id, name, hair_color): (i32, String, Option<String>)| User {
                                id,
                                name,
                                hair_color,
                            },
                        )
                        .await
                        .unwrap();
                    assert_eq!(rows.len(), MEDIUM);
                    black_box(rows);
                }
                start.elapsed()
            })
        })
    });
}

fn insert(c: &mut Criterion, dbs: &mut Dbs) {
    let mut g = bench_common::group(c, "insert");
    let Dbs { rt, quarry, raw } = dbs;
    let row = NewUser {
        name: "Inserted".into(),
        hair_color: Some("red".into()),
    };
    g.bench_function(BenchmarkId::new("mysql/quarry", 1), |b| {
        b.iter_custom(|iters| {
            rt.block_on(async {
                let start = Instant::now();
                for _ in 0..iters {
                    let inserted = quarry::insert_into(users::table)
                        .values(&row)
                        .execute_async(&*quarry)
                        .await
                        .unwrap();
                    assert_eq!(inserted, 1);
                }
                start.elapsed()
            })
        })
    });
    let stmt = rt
        .block_on(raw.prep("INSERT INTO users (name, hair_color) VALUES (?, ?)"))
        .unwrap();
    g.bench_function(BenchmarkId::new("mysql/mysql_async", 1), |b| {
        b.iter_custom(|iters| {
            rt.block_on(async {
                let start = Instant::now();
                for _ in 0..iters {
                    raw.exec_drop(&stmt, (row.name.as_str(), row.hair_color.as_deref()))
                        .await
                        .unwrap();
                    assert_eq!(raw.affected_rows(), 1);
                }
                start.elapsed()
            })
        })
    });
    g.finish();
}

fn benches(c: &mut Criterion) {
    let mut dbs = Dbs::open();
    lookup(c, &mut dbs);
    medium(c, &mut dbs);
    insert(c, &mut dbs);
    dbs.drop_database();
}

criterion_group! {
    name = all;
    config = bench_common::criterion();
    targets = benches
}
criterion_main!(all);
