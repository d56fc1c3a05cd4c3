//! A three-level eager load (100 users, 10 posts each, 10 comments per
//! post) against the same three statements written by hand, in the same
//! run: `cargo run --release --example relations_load`.
//!
//! Three ways are timed in alternating rounds, so that a slow spell of a
//! shared machine hits all of them:
//! - `hand`: three `eq_any` queries and the grouping written out with hash
//!   maps, as one would without the loader;
//! - `eager`: `eager(users, has_many(posts).with(has_many(comments)))`;
//! - `eager+scope`: the same inside an entered `StatementScope`, which
//!   counts every statement (the N+1 detector's cost).
//!
//! SQLite runs in memory; PostgreSQL at `QUARRY_PG_URL` (default
//! `postgres://postgres@127.0.0.1:5432/test`) in a schema of its own,
//! skipped when the server is unreachable.

use std::collections::HashMap;
use std::time::Instant;

use quarry::prelude::*;
use quarry::relations::{eager, has_many};
use quarry::{Error, StatementScope};

quarry::table! {
    users (id) {
        id -> Integer,
        name -> Text,
    }
    posts (id) {
        id -> Integer,
        author_id -> Integer references users(id),
        title -> Text,
    }
    comments (id) {
        id -> Integer,
        post_id -> Integer references posts(id),
        body -> Text,
    }
}

#[derive(Queryable, Related, Debug, Clone)]
#[quarry(table = users)]
struct User {
    id: i32,
    name: String,
}

#[derive(Queryable, Related, Debug, Clone)]
#[quarry(table = posts)]
struct Post {
    id: i32,
    author_id: i32,
    title: String,
}

#[derive(Queryable, Related, Debug, Clone)]
#[quarry(table = comments)]
struct Comment {
    id: i32,
    post_id: i32,
    body: String,
}

type Tree = Vec<(User, Vec<(Post, Vec<Comment>)>)>;

const DDL: &str = "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE posts (id INTEGER PRIMARY KEY, author_id INTEGER NOT NULL REFERENCES users(id), title TEXT NOT NULL);
CREATE TABLE comments (id INTEGER PRIMARY KEY, post_id INTEGER NOT NULL REFERENCES posts(id), body TEXT NOT NULL);
CREATE INDEX posts_author ON posts (author_id);
CREATE INDEX comments_post ON comments (post_id);";

/// The rows, as three multi-row INSERTs with literal values (no user input).
fn rows() -> String {
    let users: Vec<String> = (1..=100).map(|u| format!("({u}, 'user {u}')")).collect();
    let posts: Vec<String> = (1..=1000)
        .map(|p| format!("({p}, {}, 'post {p}')", (p - 1) / 10 + 1))
        .collect();
    let comments: Vec<String> = (1..=10000)
        .map(|c| format!("({c}, {}, 'comment {c}')", (c - 1) / 10 + 1))
        .collect();
    format!(
        "INSERT INTO users VALUES {};\nINSERT INTO posts VALUES {};\nINSERT INTO comments VALUES {};",
        users.join(", "),
        posts.join(", "),
        comments.join(", ")
    )
}

/// Pairs children with parents by key, in the parents' order.
fn group_by_key<P, C>(
    parents: &[P],
    key: impl Fn(&P) -> i32,
    children: Vec<(i32, C)>,
) -> Vec<Vec<C>> {
    let index: HashMap<i32, usize> = parents
        .iter()
        .enumerate()
        .map(|(i, p)| (key(p), i))
        .collect();
    let mut out: Vec<Vec<C>> = parents.iter().map(|_| Vec::new()).collect();
    for (k, c) in children {
        if let Some(&i) = index.get(&k) {
            out[i].push(c);
        }
    }
    out
}

/// The hand-written tree from the three levels' rows.
fn assemble(users: Vec<User>, posts: Vec<Post>, comments: Vec<Comment>) -> Tree {
    let comments = group_by_key(
        &posts,
        |p| p.id,
        comments.into_iter().map(|c| (c.post_id, c)).collect(),
    );
    let posts: Vec<(Post, Vec<Comment>)> = posts.into_iter().zip(comments).collect();
    let posts = group_by_key(
        &users,
        |u| u.id,
        posts.into_iter().map(|p| (p.0.author_id, p)).collect(),
    );
    users.into_iter().zip(posts).collect()
}

fn hand_sqlite(db: &mut quarry::sqlite::Connection) -> Result<Tree, Error> {
    let users: Vec<User> = users::table.order(users::id).load(db)?;
    let ids: Vec<i32> = users.iter().map(|u| u.id).collect();
    let posts: Vec<Post> = posts::table.filter(posts::author_id.eq_any(ids)).load(db)?;
    let ids: Vec<i32> = posts.iter().map(|p| p.id).collect();
    let comments: Vec<Comment> = comments::table
        .filter(comments::post_id.eq_any(ids))
        .load(db)?;
    Ok(assemble(users, posts, comments))
}

fn eager_sqlite(db: &mut quarry::sqlite::Connection) -> Result<Tree, Error> {
    eager(
        users::table.order(users::id),
        has_many::<Post, _>(posts::author).with(has_many::<Comment, _>(comments::post)),
    )
    .load::<User>(db)
}

async fn hand_pg(db: &quarry::pg::Connection) -> Result<Tree, Error> {
    let users: Vec<User> = users::table.order(users::id).load_async(db).await?;
    let ids: Vec<i32> = users.iter().map(|u| u.id).collect();
    let posts: Vec<Post> = posts::table
        .filter(posts::author_id.eq_any(ids))
        .load_async(db)
        .await?;
    let ids: Vec<i32> = posts.iter().map(|p| p.id).collect();
    let comments: Vec<Comment> = comments::table
        .filter(comments::post_id.eq_any(ids))
        .load_async(db)
        .await?;
    Ok(assemble(users, posts, comments))
}

async fn eager_pg(db: &quarry::pg::Connection) -> Result<Tree, Error> {
    eager(
        users::table.order(users::id),
        has_many::<Post, _>(posts::author).with(has_many::<Comment, _>(comments::post)),
    )
    .load_async::<User>(db)
    .await
}

fn check(tree: &Tree) {
    assert_eq!(tree.len(), 100);
    assert!(tree.iter().all(|(_, posts)| posts.len() == 10));
    assert!(
        tree.iter()
            .all(|(_, posts)| posts.iter().all(|(_, c)| c.len() == 10))
    );
}

const ROUNDS: usize = 21;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Prints each way's median time and the medians of the per-round ratios
/// against `hand`.
fn report(backend: &str, hand: Vec<f64>, eager: Vec<f64>, scoped: Vec<f64>) {
    let ratio = |a: &[f64]| median(a.iter().zip(&hand).map(|(x, h)| x / h).collect());
    println!(
        "{backend}: hand {:.2} ms, eager {:.2} ms, eager+scope {:.2} ms; eager/hand {:.3}, eager+scope/eager {:.3}, eager+scope/hand {:.3}",
        median(hand.clone()) * 1e3,
        median(eager.clone()) * 1e3,
        median(scoped.clone()) * 1e3,
        ratio(&eager),
        median(scoped.iter().zip(&eager).map(|(s, e)| s / e).collect()),
        ratio(&scoped),
    );
}

fn sqlite() -> Result<(), Error> {
    let mut db = quarry::sqlite::Connection::open_in_memory()?;
    db.execute_batch(DDL)?;
    db.execute_batch(&rows())?;
    check(&hand_sqlite(&mut db)?);
    check(&eager_sqlite(&mut db)?);
    let scope = StatementScope::new().enabled(true);
    let (mut hand, mut eager, mut scoped) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        let t = Instant::now();
        std::hint::black_box(hand_sqlite(&mut db)?);
        hand.push(t.elapsed().as_secs_f64());
        let t = Instant::now();
        std::hint::black_box(eager_sqlite(&mut db)?);
        eager.push(t.elapsed().as_secs_f64());
        let t = Instant::now();
        {
            let _in = scope.enter();
            std::hint::black_box(eager_sqlite(&mut db)?);
        }
        scoped.push(t.elapsed().as_secs_f64());
    }
    assert_eq!(scope.report().total(), 3 * ROUNDS as u64);
    report("SQLite", hand, eager, scoped);
    Ok(())
}

async fn postgres() -> Result<(), Error> {
    let url = std::env::var("QUARRY_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    let admin = match quarry::pg::Connection::connect(&url).await {
        Ok(conn) => conn,
        Err(e) => {
            println!("PostgreSQL: skipped, unreachable at {url} ({e})");
            return Ok(());
        }
    };
    let schema = format!("relations_load_{}", std::process::id());
    admin
        .batch_execute(&format!(
            "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
        ))
        .await?;
    let sep = if url.contains('?') { '&' } else { '?' };
    let db =
        quarry::pg::Connection::connect(&format!("{url}{sep}options=-csearch_path%3D{schema}"))
            .await?;
    let result = async {
        db.batch_execute(DDL).await?;
        db.batch_execute(&rows()).await?;
        db.batch_execute("ANALYZE").await?;
        check(&hand_pg(&db).await?);
        check(&eager_pg(&db).await?);
        let scope = StatementScope::new().enabled(true);
        let (mut hand, mut eager, mut scoped) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..ROUNDS {
            let t = Instant::now();
            std::hint::black_box(hand_pg(&db).await?);
            hand.push(t.elapsed().as_secs_f64());
            let t = Instant::now();
            std::hint::black_box(eager_pg(&db).await?);
            eager.push(t.elapsed().as_secs_f64());
            let t = Instant::now();
            std::hint::black_box(scope.scope(eager_pg(&db)).await?);
            scoped.push(t.elapsed().as_secs_f64());
        }
        assert_eq!(scope.report().total(), 3 * ROUNDS as u64);
        report("PostgreSQL", hand, eager, scoped);
        Ok::<(), Error>(())
    }
    .await;
    admin
        .batch_execute(&format!("DROP SCHEMA {schema} CASCADE"))
        .await?;
    result
}

fn main() -> Result<(), Error> {
    sqlite()?;
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Config(e.to_string()))?
        .block_on(postgres())
}
