//! Raw rusqlite on the four workloads: hand-written SQL, statements
//! prepared once outside the timed loop, rows read by index.
//!
//! Both bench crates include this file (`#[path]`), each with its own
//! rusqlite and so its own bundled SQLite: quarry's, and the older one
//! that Diesel and SQLx link. Each library is compared with the raw driver
//! on the same SQLite.

use bench_common::{self as common, Dialect, raw_sql, workload};
use criterion::{BenchmarkId, Criterion};
use rusqlite::ToSql;
use std::time::Instant;

#[allow(dead_code)]
pub struct User {
    pub id: i32,
    pub name: String,
    pub hair_color: Option<String>,
}

#[allow(dead_code)]
pub struct Post {
    pub id: i32,
    pub user_id: i32,
    pub title: String,
    pub body: Option<String>,
}

#[allow(dead_code)]
pub struct Comment {
    pub id: i32,
    pub post_id: i32,
    pub text: String,
}

fn db() -> rusqlite::Connection {
    let db = rusqlite::Connection::open_in_memory().unwrap();
    // As quarry, Diesel and SQLx do.
    db.execute_batch("PRAGMA foreign_keys = ON").unwrap();
    db.execute_batch(&common::ddl(Dialect::Sqlite, "")).unwrap();
    db
}

fn user(r: &rusqlite::Row<'_>) -> rusqlite::Result<User> {
    Ok(User {
        id: r.get(0)?,
        name: r.get(1)?,
        hair_color: r.get(2)?,
    })
}

fn post(r: &rusqlite::Row<'_>) -> rusqlite::Result<Post> {
    Ok(Post {
        id: r.get(0)?,
        user_id: r.get(1)?,
        title: r.get(2)?,
        body: r.get(3)?,
    })
}

fn comment(r: &rusqlite::Row<'_>) -> rusqlite::Result<Comment> {
    Ok(Comment {
        id: r.get(0)?,
        post_id: r.get(1)?,
        text: r.get(2)?,
    })
}

/// Runs the four workloads as `id` (such as `sqlite/rusqlite`).
pub fn all(c: &mut Criterion, id: &str) {
    common::note(&format!("sqlite {id}"), rusqlite::version());
    trivial(c, id);
    medium(c, id);
    insert(c, id);
    associations(c, id);
}

fn trivial(c: &mut Criterion, id: &str) {
    let mut g = common::group(c, workload::TRIVIAL);
    let db = db();
    let mut stmt = db.prepare(raw_sql::TRIVIAL).unwrap();
    for n in common::QUERY_SIZES {
        db.execute_batch(&common::fill_trivial(Dialect::Sqlite, n))
            .unwrap();
        g.bench_function(BenchmarkId::new(id, n), |b| {
            b.iter(|| {
                let rows = stmt
                    .query_map([], user)
                    .unwrap()
                    .collect::<rusqlite::Result<Vec<User>>>()
                    .unwrap();
                assert_eq!(rows.len(), n);
                rows
            })
        });
    }
    g.finish();
}

fn medium(c: &mut Criterion, id: &str) {
    let mut g = common::group(c, workload::MEDIUM);
    let db = db();
    let mut stmt = db.prepare(raw_sql::medium(Dialect::Sqlite)).unwrap();
    for n in common::QUERY_SIZES {
        db.execute_batch(&common::fill_medium(Dialect::Sqlite, n))
            .unwrap();
        let expected = common::medium_rows(n);
        g.bench_function(BenchmarkId::new(id, n), |b| {
            b.iter(|| {
                let rows = stmt
                    .query_map(["black"], |r| {
                        let post = match r.get::<_, Option<i32>>(3)? {
                            Some(id) => Some(Post {
                                id,
                                user_id: r.get(4)?,
                                title: r.get(5)?,
                                body: r.get(6)?,
                            }),
                            None => None,
                        };
                        Ok((user(r)?, post))
                    })
                    .unwrap()
                    .collect::<rusqlite::Result<Vec<(User, Option<Post>)>>>()
                    .unwrap();
                assert_eq!(rows.len(), expected);
                rows
            })
        });
    }
    g.finish();
}

fn insert(c: &mut Criterion, id: &str) {
    let mut g = common::group(c, workload::INSERT);
    let db = db();
    let clear = common::clear_users(Dialect::Sqlite);
    for n in common::INSERT_SIZES {
        db.execute_batch(common::clear(Dialect::Sqlite)).unwrap();
        let chunk = common::insert_chunk(n);
        let rows = common::new_users(n);
        let mut stmt = db.prepare(&raw_sql::insert(Dialect::Sqlite, n)).unwrap();
        g.bench_function(BenchmarkId::new(id, n), |b| {
            b.iter_custom(|iters| {
                common::timed_in_chunks(
                    &mut stmt,
                    iters,
                    chunk,
                    |stmt, k| {
                        let start = Instant::now();
                        for _ in 0..k {
                            let params = rows
                                .iter()
                                .flat_map(|(name, hair)| [name as &dyn ToSql, hair as &dyn ToSql]);
                            let inserted =
                                stmt.execute(rusqlite::params_from_iter(params)).unwrap();
                            assert_eq!(inserted, n);
                        }
                        start.elapsed()
                    },
                    |_| db.execute_batch(clear).unwrap(),
                )
            })
        });
    }
    g.finish();
}

fn associations(c: &mut Criterion, id: &str) {
    let mut g = common::group(c, workload::ASSOCIATIONS);
    let shape = common::SQLITE_ASSOCIATIONS;
    let db = db();
    db.execute_batch(&common::fill_associations(Dialect::Sqlite, shape))
        .unwrap();
    let mut users_stmt = db.prepare(raw_sql::TRIVIAL).unwrap();
    let mut posts_stmt = db.prepare(raw_sql::posts_of(Dialect::Sqlite)).unwrap();
    let mut comments_stmt = db.prepare(raw_sql::comments_of(Dialect::Sqlite)).unwrap();
    g.bench_function(BenchmarkId::new(id, shape.0), |b| {
        b.iter(|| {
            let users = users_stmt
                .query_map([], user)
                .unwrap()
                .collect::<rusqlite::Result<Vec<User>>>()
                .unwrap();
            let ids = common::json_ids(users.iter().map(|u| u.id));
            let posts = posts_stmt
                .query_map([ids], post)
                .unwrap()
                .collect::<rusqlite::Result<Vec<Post>>>()
                .unwrap();
            let ids = common::json_ids(posts.iter().map(|p| p.id));
            let comments = comments_stmt
                .query_map([ids], comment)
                .unwrap()
                .collect::<rusqlite::Result<Vec<Comment>>>()
                .unwrap();
            let grouped = common::associate(
                users,
                posts,
                comments,
                |u| u.id,
                |p| p.id,
                |p| p.user_id,
                |c| c.post_id,
            );
            common::check_associations(&grouped, shape);
            grouped
        })
    });
    g.finish();
}
