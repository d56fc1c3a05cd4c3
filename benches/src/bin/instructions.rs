//! One SQLite workload run `iterations` times, for instruction counts under
//! `valgrind --tool=callgrind`: `run.sh` runs each workload twice (N and
//! 2N iterations) and takes the difference over N as the instructions of
//! one query, so that opening, filling and preparing cancel out.
//!
//! ```sh
//! instructions <trivial|medium|join100|lookup|insert> <quarry|rusqlite> <iterations>
//! ```

use std::hint::black_box;

use bench_common::{self as common, Dialect, raw_sql};
use quarry::prelude::*;
use rusqlite::ToSql;

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

#[derive(Queryable, Debug)]
#[allow(dead_code)]
struct User {
    id: i32,
    name: String,
    hair_color: Option<String>,
}

#[derive(Queryable, Debug)]
#[allow(dead_code)]
struct Post {
    id: i32,
    user_id: i32,
    title: String,
    body: Option<String>,
}

#[derive(Insertable)]
#[quarry(table = users)]
struct NewUser {
    name: String,
    hair_color: Option<String>,
}

/// Users in the table for `trivial` and `medium`.
pub const QUERY_ROWS: usize = 10;
/// Users in the table for `join100`: the medium query then returns 100
/// rows, half of them with their post.
pub const JOIN_USERS: usize = 300;
/// Users in the table for `lookup`, which reads one of them by key.
pub const LOOKUP_TABLE: usize = 1_000;
/// Rows of one `insert`.
pub const INSERT_ROWS: usize = 10;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(workload), Some(lib), Some(n)) = (args.get(1), args.get(2), args.get(3)) else {
        eprintln!(
            "usage: instructions <trivial|medium|join100|lookup|insert> <quarry|rusqlite> <iterations>"
        );
        std::process::exit(2);
    };
    let n: usize = n.parse().expect("a number of iterations");
    match lib.as_str() {
        "quarry" => quarry_run(workload, n),
        "rusqlite" => raw_run(workload, n),
        other => panic!("unknown library {other}"),
    }
}

fn fill(workload: &str) -> String {
    match workload {
        "trivial" => common::fill_trivial(Dialect::Sqlite, QUERY_ROWS),
        "medium" => common::fill_medium(Dialect::Sqlite, QUERY_ROWS),
        "join100" => common::fill_medium(Dialect::Sqlite, JOIN_USERS),
        "lookup" => common::fill_trivial(Dialect::Sqlite, LOOKUP_TABLE),
        _ => String::new(),
    }
}

fn quarry_run(workload: &str, n: usize) {
    let mut db = quarry::sqlite::Connection::open_in_memory().unwrap();
    db.execute_batch(&common::ddl(Dialect::Sqlite, "")).unwrap();
    db.execute_batch(&fill(workload)).unwrap();
    let rows = new_users();
    for i in 0..n {
        match workload {
            "trivial" => {
                let rows: Vec<User> = users::table.load(&mut db).unwrap();
                black_box(rows);
            }
            "medium" | "join100" => {
                let rows: Vec<(User, Option<Post>)> = users::table
                    .left_join(posts::table)
                    .filter(users::hair_color.eq("black"))
                    .load(&mut db)
                    .unwrap();
                black_box(rows);
            }
            "lookup" => {
                let id = (i % LOOKUP_TABLE) as i32 + 1;
                let user: User = users::table
                    .filter(users::id.eq(id))
                    .get_result(&mut db)
                    .unwrap();
                black_box(user);
            }
            "insert" => {
                if i % 100 == 0 {
                    db.execute_batch(common::clear_users(Dialect::Sqlite))
                        .unwrap();
                }
                let inserted = quarry::insert_into(users::table)
                    .values(&rows)
                    .execute(&mut db)
                    .unwrap();
                black_box(inserted);
            }
            other => panic!("unknown workload {other}"),
        }
    }
}

fn new_users() -> Vec<NewUser> {
    common::new_users(INSERT_ROWS)
        .into_iter()
        .map(|(name, hair_color)| NewUser { name, hair_color })
        .collect()
}

fn user(r: &rusqlite::Row<'_>) -> rusqlite::Result<User> {
    Ok(User {
        id: r.get(0)?,
        name: r.get(1)?,
        hair_color: r.get(2)?,
    })
}

fn raw_run(workload: &str, n: usize) {
    let db = rusqlite::Connection::open_in_memory().unwrap();
    db.execute_batch("PRAGMA foreign_keys = ON").unwrap();
    db.execute_batch(&common::ddl(Dialect::Sqlite, "")).unwrap();
    db.execute_batch(&fill(workload)).unwrap();
    let sql = match workload {
        "trivial" => raw_sql::TRIVIAL.to_owned(),
        "medium" | "join100" => raw_sql::medium(Dialect::Sqlite).to_owned(),
        "lookup" => "SELECT id, name, hair_color FROM users WHERE id = ?1".to_owned(),
        "insert" => raw_sql::insert(Dialect::Sqlite, INSERT_ROWS),
        other => panic!("unknown workload {other}"),
    };
    let mut stmt = db.prepare(&sql).unwrap();
    let rows = common::new_users(INSERT_ROWS);
    for i in 0..n {
        match workload {
            "trivial" => {
                let rows = stmt
                    .query_map([], user)
                    .unwrap()
                    .collect::<rusqlite::Result<Vec<User>>>()
                    .unwrap();
                black_box(rows);
            }
            "medium" | "join100" => {
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
                black_box(rows);
            }
            "lookup" => {
                let id = (i % LOOKUP_TABLE) as i32 + 1;
                let user = stmt.query_row([id], user).unwrap();
                black_box(user);
            }
            "insert" => {
                if i % 100 == 0 {
                    db.execute_batch(common::clear_users(Dialect::Sqlite))
                        .unwrap();
                }
                let params = rows
                    .iter()
                    .flat_map(|(name, hair)| [name as &dyn ToSql, hair as &dyn ToSql]);
                let inserted = stmt.execute(rusqlite::params_from_iter(params)).unwrap();
                black_box(inserted);
            }
            _ => unreachable!(),
        }
    }
}
