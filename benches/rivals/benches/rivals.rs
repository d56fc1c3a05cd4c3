//! Diesel, diesel-async and SQLx on the four workloads of `bench-common`,
//! each written as that library's guide writes it, plus raw rusqlite on
//! the SQLite these libraries link. quarry's side is `../benches/quarry.rs`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use bench_common::{self as common, Dialect, raw_sql, workload};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use tokio::runtime::Runtime;

#[path = "../../common/raw_sqlite.rs"]
mod raw_sqlite;

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a Tokio runtime")
}

// ---------------------------------------------------------------- Diesel

mod diesel_side {
    use super::*;
    use diesel::connection::SimpleConnection;
    use diesel::prelude::*;

    diesel::table! {
        users (id) {
            id -> Integer,
            name -> Text,
            hair_color -> Nullable<Text>,
        }
    }
    diesel::table! {
        posts (id) {
            id -> Integer,
            user_id -> Integer,
            title -> Text,
            body -> Nullable<Text>,
        }
    }
    diesel::table! {
        comments (id) {
            id -> Integer,
            post_id -> Integer,
            text -> Text,
        }
    }
    diesel::joinable!(posts -> users (user_id));
    diesel::joinable!(comments -> posts (post_id));
    diesel::allow_tables_to_appear_in_same_query!(users, posts, comments);

    #[derive(Queryable, Identifiable, Debug)]
    #[diesel(table_name = users)]
    pub struct User {
        pub id: i32,
        pub name: String,
        pub hair_color: Option<String>,
    }

    #[derive(Queryable, Identifiable, Associations, Debug)]
    #[diesel(belongs_to(User), table_name = posts)]
    pub struct Post {
        pub id: i32,
        pub user_id: i32,
        pub title: String,
        pub body: Option<String>,
    }

    #[derive(Queryable, Identifiable, Associations, Debug)]
    #[diesel(belongs_to(Post), table_name = comments)]
    pub struct Comment {
        pub id: i32,
        pub post_id: i32,
        pub text: String,
    }

    /// `None` is NULL, as in quarry (Diesel's default would be DEFAULT).
    #[derive(Insertable)]
    #[diesel(table_name = users, treat_none_as_default_value = false)]
    pub struct NewUser {
        pub name: String,
        pub hair_color: Option<String>,
    }

    pub fn new_users(n: usize) -> Vec<NewUser> {
        common::new_users(n)
            .into_iter()
            .map(|(name, hair_color)| NewUser { name, hair_color })
            .collect()
    }

    pub type Grouped = Vec<(User, Vec<(Post, Vec<Comment>)>)>;

    /// Diesel's associations, as its guide writes them: `belonging_to`
    /// and `grouped_by` (one body for the sync and async connections).
    macro_rules! associations_body {
        ($conn:expr, $($await:tt)*) => {{
            let users: Vec<User> = users::table.load($conn)$($await)*.unwrap();
            let posts: Vec<Post> = Post::belonging_to(&users).load($conn)$($await)*.unwrap();
            let comments: Vec<Comment> = Comment::belonging_to(&posts).load($conn)$($await)*.unwrap();
            let comments = comments.grouped_by(&posts);
            let posts_and_comments = posts.into_iter().zip(comments).grouped_by(&users);
            users
                .into_iter()
                .zip(posts_and_comments)
                .collect::<Grouped>()
        }};
    }

    macro_rules! medium_query {
        () => {
            users::table
                .left_join(posts::table)
                .filter(users::hair_color.eq("black"))
        };
    }

    // ------------------------------------------------ Diesel on SQLite

    pub mod sqlite {
        use super::*;
        use diesel::sqlite::SqliteConnection;

        fn db() -> SqliteConnection {
            let mut db = SqliteConnection::establish(":memory:").unwrap();
            db.batch_execute(&common::ddl(Dialect::Sqlite, "")).unwrap();
            db
        }

        pub fn all(c: &mut Criterion) {
            let id = "sqlite/diesel";
            let mut db = db();

            let mut g = common::group(c, workload::TRIVIAL);
            for n in common::QUERY_SIZES {
                db.batch_execute(&common::fill_trivial(Dialect::Sqlite, n))
                    .unwrap();
                g.bench_function(BenchmarkId::new(id, n), |b| {
                    b.iter(|| {
                        let rows: Vec<User> = users::table.load(&mut db).unwrap();
                        assert_eq!(rows.len(), n);
                        rows
                    })
                });
            }
            g.finish();

            let mut g = common::group(c, workload::MEDIUM);
            for n in common::QUERY_SIZES {
                db.batch_execute(&common::fill_medium(Dialect::Sqlite, n))
                    .unwrap();
                let expected = common::medium_rows(n);
                g.bench_function(BenchmarkId::new(id, n), |b| {
                    b.iter(|| {
                        let rows: Vec<(User, Option<Post>)> =
                            medium_query!().load(&mut db).unwrap();
                        assert_eq!(rows.len(), expected);
                        rows
                    })
                });
            }
            g.finish();

            let mut g = common::group(c, workload::INSERT);
            let clear = common::clear_users(Dialect::Sqlite);
            for n in common::INSERT_SIZES {
                db.batch_execute(common::clear(Dialect::Sqlite)).unwrap();
                let chunk = common::insert_chunk(n);
                let rows = new_users(n);
                g.bench_function(BenchmarkId::new(id, n), |b| {
                    b.iter_custom(|iters| {
                        common::timed_in_chunks(
                            &mut db,
                            iters,
                            chunk,
                            |db, k| {
                                let start = Instant::now();
                                for _ in 0..k {
                                    let inserted = diesel::insert_into(users::table)
                                        .values(&rows)
                                        .execute(db)
                                        .unwrap();
                                    assert_eq!(inserted, n);
                                }
                                start.elapsed()
                            },
                            |db| db.batch_execute(clear).unwrap(),
                        )
                    })
                });
            }
            g.finish();

            let mut g = common::group(c, workload::ASSOCIATIONS);
            let shape = common::SQLITE_ASSOCIATIONS;
            db.batch_execute(&common::fill_associations(Dialect::Sqlite, shape))
                .unwrap();
            g.bench_function(BenchmarkId::new(id, shape.0), |b| {
                b.iter(|| {
                    let grouped = associations_body!(&mut db,);
                    common::check_associations(&grouped, shape);
                    grouped
                })
            });
            g.finish();
        }
    }

    // --------------------------------------------- Diesel on PostgreSQL

    pub mod pg {
        use super::*;
        use diesel::pg::PgConnection;

        const SCHEMA: &str = "bench_diesel";

        pub fn all(c: &mut Criterion) {
            let id = "pg/diesel";
            let mut db = PgConnection::establish(&common::pg_url(SCHEMA)).unwrap();
            db.batch_execute(&common::ddl(Dialect::Pg, SCHEMA)).unwrap();

            let mut g = common::group(c, workload::TRIVIAL);
            for n in common::QUERY_SIZES {
                db.batch_execute(&common::fill_trivial(Dialect::Pg, n))
                    .unwrap();
                g.bench_function(BenchmarkId::new(id, n), |b| {
                    b.iter(|| {
                        let rows: Vec<User> = users::table.load(&mut db).unwrap();
                        assert_eq!(rows.len(), n);
                        rows
                    })
                });
            }
            g.finish();

            let mut g = common::group(c, workload::MEDIUM);
            for n in common::QUERY_SIZES {
                db.batch_execute(&common::fill_medium(Dialect::Pg, n))
                    .unwrap();
                let expected = common::medium_rows(n);
                g.bench_function(BenchmarkId::new(id, n), |b| {
                    b.iter(|| {
                        let rows: Vec<(User, Option<Post>)> =
                            medium_query!().load(&mut db).unwrap();
                        assert_eq!(rows.len(), expected);
                        rows
                    })
                });
            }
            g.finish();

            let mut g = common::group(c, workload::INSERT);
            let clear = common::clear_users(Dialect::Pg);
            for n in common::INSERT_SIZES {
                db.batch_execute(common::clear(Dialect::Pg)).unwrap();
                let chunk = common::insert_chunk(n);
                let rows = new_users(n);
                g.bench_function(BenchmarkId::new(id, n), |b| {
                    b.iter_custom(|iters| {
                        common::timed_in_chunks(
                            &mut db,
                            iters,
                            chunk,
                            |db, k| {
                                let start = Instant::now();
                                for _ in 0..k {
                                    let inserted = diesel::insert_into(users::table)
                                        .values(&rows)
                                        .execute(db)
                                        .unwrap();
                                    assert_eq!(inserted, n);
                                }
                                start.elapsed()
                            },
                            |db| db.batch_execute(clear).unwrap(),
                        )
                    })
                });
            }
            g.finish();

            let mut g = common::group(c, workload::ASSOCIATIONS);
            let shape = common::PG_ASSOCIATIONS;
            db.batch_execute(&common::fill_associations(Dialect::Pg, shape))
                .unwrap();
            g.bench_function(BenchmarkId::new(id, shape.0), |b| {
                b.iter(|| {
                    let grouped = associations_body!(&mut db,);
                    common::check_associations(&grouped, shape);
                    grouped
                })
            });
            g.finish();
        }
    }

    // ------------------------------------------- diesel-async on PostgreSQL

    pub mod pg_async {
        use super::*;
        use diesel_async::{
            AsyncConnection, AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection,
        };

        const SCHEMA: &str = "bench_diesel_async";

        pub fn all(c: &mut Criterion) {
            let id = "pg/diesel-async";
            let rt = runtime();
            let mut db = rt.block_on(async {
                let mut db = AsyncPgConnection::establish(&common::pg_url(SCHEMA))
                    .await
                    .unwrap();
                db.batch_execute(&common::ddl(Dialect::Pg, SCHEMA))
                    .await
                    .unwrap();
                db
            });
            let db = &mut db;

            let mut g = common::group(c, workload::TRIVIAL);
            for n in common::QUERY_SIZES {
                rt.block_on(db.batch_execute(&common::fill_trivial(Dialect::Pg, n)))
                    .unwrap();
                g.bench_function(BenchmarkId::new(id, n), |b| {
                    b.iter_custom(|iters| {
                        rt.block_on(async {
                            let start = Instant::now();
                            for _ in 0..iters {
                                let rows: Vec<User> = users::table.load(db).await.unwrap();
                                assert_eq!(rows.len(), n);
                                black_box(rows);
                            }
                            start.elapsed()
                        })
                    })
                });
            }
            g.finish();

            let mut g = common::group(c, workload::MEDIUM);
            for n in common::QUERY_SIZES {
                rt.block_on(db.batch_execute(&common::fill_medium(Dialect::Pg, n)))
                    .unwrap();
                let expected = common::medium_rows(n);
                g.bench_function(BenchmarkId::new(id, n), |b| {
                    b.iter_custom(|iters| {
                        rt.block_on(async {
                            let start = Instant::now();
                            for _ in 0..iters {
                                let rows: Vec<(User, Option<Post>)> =
                                    medium_query!().load(db).await.unwrap();
                                assert_eq!(rows.len(), expected);
                                black_box(rows);
                            }
                            start.elapsed()
                        })
                    })
                });
            }
            g.finish();

            let mut g = common::group(c, workload::INSERT);
            let clear = common::clear_users(Dialect::Pg);
            for n in common::INSERT_SIZES {
                rt.block_on(db.batch_execute(common::clear(Dialect::Pg)))
                    .unwrap();
                let chunk = common::insert_chunk(n);
                let rows = new_users(n);
                g.bench_function(BenchmarkId::new(id, n), |b| {
                    b.iter_custom(|iters| {
                        rt.block_on(async {
                            let mut total = Duration::ZERO;
                            let mut left = iters;
                            while left > 0 {
                                let k = left.min(chunk);
                                let start = Instant::now();
                                for _ in 0..k {
                                    let inserted = diesel::insert_into(users::table)
                                        .values(&rows)
                                        .execute(db)
                                        .await
                                        .unwrap();
                                    assert_eq!(inserted, n);
                                }
                                total += start.elapsed();
                                db.batch_execute(clear).await.unwrap();
                                left -= k;
                            }
                            total
                        })
                    })
                });
            }
            g.finish();

            let mut g = common::group(c, workload::ASSOCIATIONS);
            let shape = common::PG_ASSOCIATIONS;
            rt.block_on(db.batch_execute(&common::fill_associations(Dialect::Pg, shape)))
                .unwrap();
            g.bench_function(BenchmarkId::new(id, shape.0), |b| {
                b.iter_custom(|iters| {
                    rt.block_on(async {
                        let start = Instant::now();
                        for _ in 0..iters {
                            let grouped = associations_body!(&mut *db, .await);
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
}

// ------------------------------------------------------------------ SQLx

mod sqlx_side {
    use super::*;
    // The set-up SQL is built from constants of bench-common.
    use sqlx::AssertSqlSafe;

    #[derive(sqlx::FromRow, Debug)]
    #[allow(dead_code)]
    pub struct User {
        pub id: i32,
        pub name: String,
        pub hair_color: Option<String>,
    }

    #[derive(sqlx::FromRow, Debug)]
    #[allow(dead_code)]
    pub struct Post {
        pub id: i32,
        pub user_id: i32,
        pub title: String,
        pub body: Option<String>,
    }

    #[derive(sqlx::FromRow, Debug)]
    #[allow(dead_code)]
    pub struct Comment {
        pub id: i32,
        pub post_id: i32,
        pub text: String,
    }

    /// The medium query's row: the user's columns, then the post's.
    type MediumRow = (
        i32,
        String,
        Option<String>,
        Option<i32>,
        Option<i32>,
        Option<String>,
        Option<String>,
    );

    fn medium_row(
        (id, name, hair_color, post_id, user_id, title, body): MediumRow,
    ) -> (User, Option<Post>) {
        let post = post_id.map(|id| Post {
            id,
            user_id: user_id.unwrap_or_default(),
            title: title.unwrap_or_default(),
            body,
        });
        (
            User {
                id,
                name,
                hair_color,
            },
            post,
        )
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

    /// The four workloads on one backend; `$list` binds a list of ids.
    macro_rules! sqlx_workloads {
        ($c:expr, $rt:expr, $db:expr, $id:expr, $dialect:expr, $backend:ty, $assoc:expr, $list:path) => {{
            let (c, rt, db, id, dialect) = ($c, $rt, $db, $id, $dialect);

            let mut g = common::group(c, workload::TRIVIAL);
            for n in common::QUERY_SIZES {
                rt.block_on(
                    sqlx::raw_sql(AssertSqlSafe(common::fill_trivial(dialect, n)))
                        .execute(&mut *db),
                )
                .unwrap();
                g.bench_function(BenchmarkId::new(id, n), |b| {
                    b.iter_custom(|iters| {
                        rt.block_on(async {
                            let start = Instant::now();
                            for _ in 0..iters {
                                let rows: Vec<User> = sqlx::query_as(raw_sql::TRIVIAL)
                                    .fetch_all(&mut *db)
                                    .await
                                    .unwrap();
                                assert_eq!(rows.len(), n);
                                black_box(rows);
                            }
                            start.elapsed()
                        })
                    })
                });
            }
            g.finish();

            let mut g = common::group(c, workload::MEDIUM);
            for n in common::QUERY_SIZES {
                rt.block_on(
                    sqlx::raw_sql(AssertSqlSafe(common::fill_medium(dialect, n))).execute(&mut *db),
                )
                .unwrap();
                let expected = common::medium_rows(n);
                g.bench_function(BenchmarkId::new(id, n), |b| {
                    b.iter_custom(|iters| {
                        rt.block_on(async {
                            let start = Instant::now();
                            for _ in 0..iters {
                                let rows: Vec<(User, Option<Post>)> =
                                    sqlx::query_as::<_, MediumRow>(raw_sql::medium(dialect))
                                        .bind("black")
                                        .fetch_all(&mut *db)
                                        .await
                                        .unwrap()
                                        .into_iter()
                                        .map(medium_row)
                                        .collect();
                                assert_eq!(rows.len(), expected);
                                black_box(rows);
                            }
                            start.elapsed()
                        })
                    })
                });
            }
            g.finish();

            let mut g = common::group(c, workload::INSERT);
            let clear = common::clear_users(dialect);
            for n in common::INSERT_SIZES {
                rt.block_on(sqlx::raw_sql(common::clear(dialect)).execute(&mut *db))
                    .unwrap();
                let chunk = common::insert_chunk(n);
                let rows = common::new_users(n);
                g.bench_function(BenchmarkId::new(id, n), |b| {
                    b.iter_custom(|iters| {
                        rt.block_on(async {
                            let mut total = Duration::ZERO;
                            let mut left = iters;
                            while left > 0 {
                                let k = left.min(chunk);
                                let start = Instant::now();
                                for _ in 0..k {
                                    // SQLx's way to insert many rows in one
                                    // statement.
                                    let mut qb = sqlx::QueryBuilder::<$backend>::new(
                                        "INSERT INTO users (name, hair_color) ",
                                    );
                                    qb.push_values(&rows, |mut row, (name, hair)| {
                                        row.push_bind(name).push_bind(hair);
                                    });
                                    let done = qb.build().execute(&mut *db).await.unwrap();
                                    assert_eq!(done.rows_affected() as usize, n);
                                }
                                total += start.elapsed();
                                sqlx::raw_sql(clear).execute(&mut *db).await.unwrap();
                                left -= k;
                            }
                            total
                        })
                    })
                });
            }
            g.finish();

            let mut g = common::group(c, workload::ASSOCIATIONS);
            let shape = $assoc;
            rt.block_on(
                sqlx::raw_sql(AssertSqlSafe(common::fill_associations(dialect, shape)))
                    .execute(&mut *db),
            )
            .unwrap();
            g.bench_function(BenchmarkId::new(id, shape.0), |b| {
                b.iter_custom(|iters| {
                    rt.block_on(async {
                        let start = Instant::now();
                        for _ in 0..iters {
                            let users: Vec<User> = sqlx::query_as(raw_sql::TRIVIAL)
                                .fetch_all(&mut *db)
                                .await
                                .unwrap();
                            let posts: Vec<Post> = sqlx::query_as(raw_sql::posts_of(dialect))
                                .bind($list(users.iter().map(|u| u.id)))
                                .fetch_all(&mut *db)
                                .await
                                .unwrap();
                            let comments: Vec<Comment> =
                                sqlx::query_as(raw_sql::comments_of(dialect))
                                    .bind($list(posts.iter().map(|p| p.id)))
                                    .fetch_all(&mut *db)
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
        }};
    }

    /// A list of ids as a JSON array for `json_each(?)`, as quarry and
    /// rusqlite bind it on SQLite.
    fn json_list(ids: impl Iterator<Item = i32>) -> String {
        common::json_ids(ids)
    }

    /// A list of ids as an array for `= ANY($1)` on PostgreSQL.
    fn array_list(ids: impl Iterator<Item = i32>) -> Vec<i32> {
        ids.collect()
    }

    pub fn sqlite(c: &mut Criterion) {
        use sqlx::Connection;
        let rt = runtime();
        let mut db = rt.block_on(async {
            let mut db = sqlx::SqliteConnection::connect("sqlite::memory:")
                .await
                .unwrap();
            sqlx::raw_sql(AssertSqlSafe(common::ddl(Dialect::Sqlite, "")))
                .execute(&mut db)
                .await
                .unwrap();
            db
        });
        sqlx_workloads!(
            c,
            &rt,
            &mut db,
            "sqlite/sqlx",
            Dialect::Sqlite,
            sqlx::Sqlite,
            common::SQLITE_ASSOCIATIONS,
            json_list
        );
    }

    pub fn pg(c: &mut Criterion) {
        use sqlx::Connection;
        const SCHEMA: &str = "bench_sqlx";
        let rt = runtime();
        let mut db = rt.block_on(async {
            let mut db = sqlx::PgConnection::connect(&common::pg_url(SCHEMA))
                .await
                .unwrap();
            sqlx::raw_sql(AssertSqlSafe(common::ddl(Dialect::Pg, SCHEMA)))
                .execute(&mut db)
                .await
                .unwrap();
            db
        });
        sqlx_workloads!(
            c,
            &rt,
            &mut db,
            "pg/sqlx",
            Dialect::Pg,
            sqlx::Postgres,
            common::PG_ASSOCIATIONS,
            array_list
        );
    }
}

fn benches(c: &mut Criterion) {
    diesel_side::sqlite::all(c);
    sqlx_side::sqlite(c);
    raw_sqlite::all(c, "sqlite/rusqlite-rivals");
    diesel_side::pg::all(c);
    diesel_side::pg_async::all(c);
    sqlx_side::pg(c);
}

criterion_group! {
    name = all;
    config = common::criterion();
    targets = benches
}
criterion_main!(all);
