//! quarry and the raw drivers it is built on (rusqlite, tokio-postgres),
//! on the four workloads of `bench-common`. Diesel and SQLx are in
//! `rivals/`; `run.sh` runs both and writes the report.
//!
//! Raw drivers run hand-written SQL through statements prepared once,
//! outside the timed loop. quarry runs its typed queries; its statements
//! are prepared on first use (in the warm-up) and cached.

use std::hint::black_box;
use std::time::{Duration, Instant};

use bench_common::{self as common, Dialect, raw_sql, workload};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use quarry::prelude::*;
use tokio::runtime::Runtime;

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
    comments (id) {
        id -> Integer,
        post_id -> Integer references posts(id),
        text -> Text,
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

#[derive(Queryable, Debug)]
struct Post {
    id: i32,
    user_id: i32,
    #[allow(dead_code)]
    title: String,
    #[allow(dead_code)]
    body: Option<String>,
}

#[derive(Queryable, Debug)]
struct Comment {
    #[allow(dead_code)]
    id: i32,
    post_id: i32,
    #[allow(dead_code)]
    text: String,
}

#[derive(Insertable)]
#[quarry(table = users)]
struct NewUser {
    name: String,
    hair_color: Option<String>,
}

fn new_users(n: usize) -> Vec<NewUser> {
    common::new_users(n)
        .into_iter()
        .map(|(name, hair_color)| NewUser { name, hair_color })
        .collect()
}

fn group_all(
    users: Vec<User>,
    posts: Vec<Post>,
    comments: Vec<Comment>,
) -> common::Grouped<User, Post, Comment> {
    common::associate(
        users,
        posts,
        comments,
        |u| u.id,
        |p| p.id,
        |p| p.user_id,
        |c| c.post_id,
    )
}

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a Tokio runtime")
}

// ---------------------------------------------------------------- SQLite

#[path = "../common/raw_sqlite.rs"]
mod raw_sqlite;

mod sqlite {
    use super::*;

    fn db() -> quarry::sqlite::Connection {
        let mut db = quarry::sqlite::Connection::open_in_memory().unwrap();
        db.execute_batch(&common::ddl(Dialect::Sqlite, "")).unwrap();
        db
    }

    pub fn trivial(c: &mut Criterion) {
        let mut g = common::group(c, workload::TRIVIAL);
        let mut db = db();
        for n in common::QUERY_SIZES {
            db.execute_batch(&common::fill_trivial(Dialect::Sqlite, n))
                .unwrap();
            g.bench_function(BenchmarkId::new("sqlite/quarry", n), |b| {
                b.iter(|| {
                    let rows: Vec<User> = users::table.load(&mut db).unwrap();
                    assert_eq!(rows.len(), n);
                    rows
                })
            });
        }
        g.finish();
    }

    pub fn medium(c: &mut Criterion) {
        let mut g = common::group(c, workload::MEDIUM);
        let mut db = db();
        for n in common::QUERY_SIZES {
            db.execute_batch(&common::fill_medium(Dialect::Sqlite, n))
                .unwrap();
            let expected = common::medium_rows(n);
            g.bench_function(BenchmarkId::new("sqlite/quarry", n), |b| {
                b.iter(|| {
                    let rows: Vec<(User, Option<Post>)> = users::table
                        .left_join(posts::table)
                        .filter(users::hair_color.eq("black"))
                        .load(&mut db)
                        .unwrap();
                    assert_eq!(rows.len(), expected);
                    rows
                })
            });
        }
        g.finish();
    }

    pub fn insert(c: &mut Criterion) {
        let mut g = common::group(c, workload::INSERT);
        let mut db = db();
        let clear = common::clear_users(Dialect::Sqlite);
        for n in common::INSERT_SIZES {
            db.execute_batch(common::clear(Dialect::Sqlite)).unwrap();
            let chunk = common::insert_chunk(n);
            let rows = new_users(n);
            g.bench_function(BenchmarkId::new("sqlite/quarry", n), |b| {
                b.iter_custom(|iters| {
                    common::timed_in_chunks(
                        &mut db,
                        iters,
                        chunk,
                        |db, k| {
                            let start = Instant::now();
                            for _ in 0..k {
                                let inserted = quarry::insert_into(users::table)
                                    .values(&rows)
                                    .execute(db)
                                    .unwrap();
                                assert_eq!(inserted as usize, n);
                            }
                            start.elapsed()
                        },
                        |db| db.execute_batch(clear).unwrap(),
                    )
                })
            });
        }
        g.finish();
    }

    pub fn associations(c: &mut Criterion) {
        let mut g = common::group(c, workload::ASSOCIATIONS);
        let shape = common::SQLITE_ASSOCIATIONS;
        let mut db = db();
        db.execute_batch(&common::fill_associations(Dialect::Sqlite, shape))
            .unwrap();
        g.bench_function(BenchmarkId::new("sqlite/quarry", shape.0), |b| {
            b.iter(|| {
                let users: Vec<User> = users::table.load(&mut db).unwrap();
                let posts: Vec<Post> = posts::table
                    .filter(posts::user_id.eq_any(users.iter().map(|u| u.id)))
                    .load(&mut db)
                    .unwrap();
                let comments: Vec<Comment> = comments::table
                    .filter(comments::post_id.eq_any(posts.iter().map(|p| p.id)))
                    .load(&mut db)
                    .unwrap();
                let grouped = group_all(users, posts, comments);
                common::check_associations(&grouped, shape);
                grouped
            })
        });
        g.finish();
    }
}

// ------------------------------------------------------------ PostgreSQL

mod pg {
    use super::*;
    use futures_util::TryStreamExt;
    use std::pin::pin;
    use tokio_postgres::types::ToSql;
    use tokio_postgres::{Client, NoTls, Row, Statement};

    const QUARRY_SCHEMA: &str = "bench_quarry";
    const RAW_SCHEMA: &str = "bench_tokio_postgres";

    pub struct Dbs {
        rt: Runtime,
        quarry: quarry::pg::Connection,
        raw: Client,
    }

    impl Dbs {
        pub fn open() -> Dbs {
            let rt = runtime();
            let (quarry, raw) = rt.block_on(async {
                let quarry = quarry::pg::Connection::connect(&common::pg_url(QUARRY_SCHEMA))
                    .await
                    .unwrap();
                quarry
                    .batch_execute(&common::ddl(Dialect::Pg, QUARRY_SCHEMA))
                    .await
                    .unwrap();
                let (raw, driver) = tokio_postgres::connect(&common::pg_url(RAW_SCHEMA), NoTls)
                    .await
                    .unwrap();
                tokio::spawn(driver);
                raw.batch_execute(&common::ddl(Dialect::Pg, RAW_SCHEMA))
                    .await
                    .unwrap();
                (quarry, raw)
            });
            Dbs { rt, quarry, raw }
        }

        fn fill(&self, sql: &str) {
            self.rt.block_on(async {
                self.quarry.batch_execute(sql).await.unwrap();
                self.raw.batch_execute(sql).await.unwrap();
            })
        }
    }

    /// Runs a prepared statement, turning each row into a `T` as it
    /// arrives (the fastest way through tokio-postgres: `Client::query`
    /// would first collect every `Row`).
    async fn rows<T>(
        client: &Client,
        stmt: &Statement,
        params: &[&(dyn ToSql + Sync)],
        each: impl Fn(&Row) -> Result<T, tokio_postgres::Error>,
    ) -> Result<Vec<T>, tokio_postgres::Error> {
        let stream = client
            .query_raw(stmt, params.iter().map(|p| *p as &dyn ToSql))
            .await?;
        let mut stream = pin!(stream);
        let mut out = Vec::new();
        while let Some(row) = stream.try_next().await? {
            out.push(each(&row)?);
        }
        Ok(out)
    }

    fn user(r: &Row) -> Result<User, tokio_postgres::Error> {
        Ok(User {
            id: r.try_get(0)?,
            name: r.try_get(1)?,
            hair_color: r.try_get(2)?,
        })
    }

    pub fn trivial(c: &mut Criterion, dbs: &mut Dbs) {
        let mut g = common::group(c, workload::TRIVIAL);
        let stmt = dbs.rt.block_on(dbs.raw.prepare(raw_sql::TRIVIAL)).unwrap();
        for n in common::QUERY_SIZES {
            dbs.fill(&common::fill_trivial(Dialect::Pg, n));
            let Dbs { rt, quarry, raw } = &*dbs;

            g.bench_function(BenchmarkId::new("pg/quarry", n), |b| {
                b.iter_custom(|iters| {
                    rt.block_on(async {
                        let start = Instant::now();
                        for _ in 0..iters {
                            let rows: Vec<User> = users::table.load_async(quarry).await.unwrap();
                            assert_eq!(rows.len(), n);
                            black_box(rows);
                        }
                        start.elapsed()
                    })
                })
            });
            g.bench_function(BenchmarkId::new("pg/tokio-postgres", n), |b| {
                b.iter_custom(|iters| {
                    rt.block_on(async {
                        let start = Instant::now();
                        for _ in 0..iters {
                            let rows = rows(raw, &stmt, &[], user).await.unwrap();
                            assert_eq!(rows.len(), n);
                            black_box(rows);
                        }
                        start.elapsed()
                    })
                })
            });
        }
        g.finish();
    }

    pub fn medium(c: &mut Criterion, dbs: &mut Dbs) {
        let mut g = common::group(c, workload::MEDIUM);
        let stmt = dbs
            .rt
            .block_on(dbs.raw.prepare(raw_sql::medium(Dialect::Pg)))
            .unwrap();
        for n in common::QUERY_SIZES {
            dbs.fill(&common::fill_medium(Dialect::Pg, n));
            let expected = common::medium_rows(n);
            let Dbs { rt, quarry, raw } = &*dbs;

            g.bench_function(BenchmarkId::new("pg/quarry", n), |b| {
                b.iter_custom(|iters| {
                    rt.block_on(async {
                        let start = Instant::now();
                        for _ in 0..iters {
                            let rows: Vec<(User, Option<Post>)> = users::table
                                .left_join(posts::table)
                                .filter(users::hair_color.eq("black"))
                                .load_async(quarry)
                                .await
                                .unwrap();
                            assert_eq!(rows.len(), expected);
                            black_box(rows);
                        }
                        start.elapsed()
                    })
                })
            });
            g.bench_function(BenchmarkId::new("pg/tokio-postgres", n), |b| {
                b.iter_custom(|iters| {
                    rt.block_on(async {
                        let start = Instant::now();
                        for _ in 0..iters {
                            let rows = rows(raw, &stmt, &[&"black"], |r| {
                                let post = match r.try_get::<_, Option<i32>>(3)? {
                                    Some(id) => Some(Post {
                                        id,
                                        user_id: r.try_get(4)?,
                                        title: r.try_get(5)?,
                                        body: r.try_get(6)?,
                                    }),
                                    None => None,
                                };
                                Ok((user(r)?, post))
                            })
                            .await
                            .unwrap();
                            assert_eq!(rows.len(), expected);
                            black_box(rows);
                        }
                        start.elapsed()
                    })
                })
            });
        }
        g.finish();
    }

    pub fn insert(c: &mut Criterion, dbs: &mut Dbs) {
        let mut g = common::group(c, workload::INSERT);
        let clear = common::clear_users(Dialect::Pg);
        for n in common::INSERT_SIZES {
            let chunk = common::insert_chunk(n);
            dbs.fill(common::clear(Dialect::Pg));

            let rows = new_users(n);
            let Dbs { rt, quarry, raw } = &mut *dbs;
            g.bench_function(BenchmarkId::new("pg/quarry", n), |b| {
                b.iter_custom(|iters| {
                    rt.block_on(async {
                        let mut total = Duration::ZERO;
                        let mut left = iters;
                        while left > 0 {
                            let k = left.min(chunk);
                            let start = Instant::now();
                            for _ in 0..k {
                                let inserted = quarry::insert_into(users::table)
                                    .values(&rows)
                                    .execute_async(&mut *quarry)
                                    .await
                                    .unwrap();
                                assert_eq!(inserted as usize, n);
                            }
                            total += start.elapsed();
                            quarry.batch_execute(clear).await.unwrap();
                            left -= k;
                        }
                        total
                    })
                })
            });

            let stmt = rt
                .block_on(raw.prepare(&raw_sql::insert(Dialect::Pg, n)))
                .unwrap();
            let rows = common::new_users(n);
            g.bench_function(BenchmarkId::new("pg/tokio-postgres", n), |b| {
                b.iter_custom(|iters| {
                    rt.block_on(async {
                        let mut total = Duration::ZERO;
                        let mut left = iters;
                        while left > 0 {
                            let k = left.min(chunk);
                            let start = Instant::now();
                            for _ in 0..k {
                                let params: Vec<&(dyn ToSql + Sync)> = rows
                                    .iter()
                                    .flat_map(|(name, hair)| {
                                        [name as &(dyn ToSql + Sync), hair as &(dyn ToSql + Sync)]
                                    })
                                    .collect();
                                let inserted = raw.execute(&stmt, &params).await.unwrap();
                                assert_eq!(inserted as usize, n);
                            }
                            total += start.elapsed();
                            raw.batch_execute(clear).await.unwrap();
                            left -= k;
                        }
                        total
                    })
                })
            });
        }
        g.finish();
    }

    pub fn associations(c: &mut Criterion, dbs: &mut Dbs) {
        let mut g = common::group(c, workload::ASSOCIATIONS);
        let shape = common::PG_ASSOCIATIONS;
        dbs.fill(&common::fill_associations(Dialect::Pg, shape));
        let Dbs { rt, quarry, raw } = &*dbs;

        g.bench_function(BenchmarkId::new("pg/quarry", shape.0), |b| {
            b.iter_custom(|iters| {
                rt.block_on(async {
                    let start = Instant::now();
                    for _ in 0..iters {
                        let users: Vec<User> = users::table.load_async(quarry).await.unwrap();
                        let posts: Vec<Post> = posts::table
                            .filter(posts::user_id.eq_any(users.iter().map(|u| u.id)))
                            .load_async(quarry)
                            .await
                            .unwrap();
                        let comments: Vec<Comment> = comments::table
                            .filter(comments::post_id.eq_any(posts.iter().map(|p| p.id)))
                            .load_async(quarry)
                            .await
                            .unwrap();
                        let grouped = group_all(users, posts, comments);
                        common::check_associations(&grouped, shape);
                        black_box(grouped);
                    }
                    start.elapsed()
                })
            })
        });

        let (users_stmt, posts_stmt, comments_stmt) = rt.block_on(async {
            (
                raw.prepare(raw_sql::TRIVIAL).await.unwrap(),
                raw.prepare(raw_sql::posts_of(Dialect::Pg)).await.unwrap(),
                raw.prepare(raw_sql::comments_of(Dialect::Pg))
                    .await
                    .unwrap(),
            )
        });
        g.bench_function(BenchmarkId::new("pg/tokio-postgres", shape.0), |b| {
            b.iter_custom(|iters| {
                rt.block_on(async {
                    let start = Instant::now();
                    for _ in 0..iters {
                        let users = rows(raw, &users_stmt, &[], user).await.unwrap();
                        let ids: Vec<i32> = users.iter().map(|u| u.id).collect();
                        let posts = rows(raw, &posts_stmt, &[&ids], |r| {
                            Ok(Post {
                                id: r.try_get(0)?,
                                user_id: r.try_get(1)?,
                                title: r.try_get(2)?,
                                body: r.try_get(3)?,
                            })
                        })
                        .await
                        .unwrap();
                        let ids: Vec<i32> = posts.iter().map(|p| p.id).collect();
                        let comments = rows(raw, &comments_stmt, &[&ids], |r| {
                            Ok(Comment {
                                id: r.try_get(0)?,
                                post_id: r.try_get(1)?,
                                text: r.try_get(2)?,
                            })
                        })
                        .await
                        .unwrap();
                        let grouped = group_all(users, posts, comments);
                        common::check_associations(&grouped, shape);
                        black_box(grouped);
                    }
                    start.elapsed()
                })
            })
        });
        g.finish();
    }
}

fn benches(c: &mut Criterion) {
    sqlite::trivial(c);
    sqlite::medium(c);
    sqlite::insert(c);
    sqlite::associations(c);
    raw_sqlite::all(c, "sqlite/rusqlite");
    let mut dbs = pg::Dbs::open();
    pg::trivial(c, &mut dbs);
    pg::medium(c, &mut dbs);
    pg::insert(c, &mut dbs);
    pg::associations(c, &mut dbs);
}

criterion_group! {
    name = all;
    config = common::criterion();
    targets = benches
}
criterion_main!(all);
