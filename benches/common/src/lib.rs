//! What every library's benchmarks share: the schema, the data, the
//! workloads' sizes, the raw drivers' SQL, the grouping of associations
//! and criterion's settings. Two crates use it (`quarry-benches` and
//! `rival-benches`), so that every library runs the same workload on the
//! same rows.

use std::collections::HashMap;
use std::hash::Hash;
use std::time::Duration;

use criterion::{BenchmarkGroup, Criterion, SamplingMode, measurement::WallTime};

/// Users in the trivial and medium queries.
pub const QUERY_SIZES: [usize; 5] = [1, 10, 100, 1_000, 10_000];
/// Users in one INSERT statement.
pub const INSERT_SIZES: [usize; 5] = [1, 10, 25, 50, 100];
/// Users, posts per user and comments per post of the associations
/// workload on PostgreSQL: 100 users, 1 000 posts, 10 000 comments.
pub const PG_ASSOCIATIONS: (usize, usize, usize) = (100, 10, 10);
/// The same on SQLite: 9 users, 90 posts, 900 comments.
pub const SQLITE_ASSOCIATIONS: (usize, usize, usize) = (9, 10, 10);

/// The workloads, as criterion group names.
pub mod workload {
    /// Every user, into a struct.
    pub const TRIVIAL: &str = "trivial";
    /// Users LEFT JOIN posts, filtered on `hair_color`.
    pub const MEDIUM: &str = "medium";
    /// N users in one INSERT statement.
    pub const INSERT: &str = "insert";
    /// Users, their posts and the posts' comments, grouped.
    pub const ASSOCIATIONS: &str = "associations";
}

/// The server, without a schema: `QUARRY_PG_URL` or the local default.
pub fn pg_base_url() -> String {
    std::env::var("QUARRY_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

/// A URL whose connections use `schema` as their search path, so that each
/// library works on its own tables.
pub fn pg_url(schema: &str) -> String {
    let base = pg_base_url();
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}options=-csearch_path%3D{schema}")
}

/// A SQL dialect, for the set-up statements.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Pg,
}

/// The three tables, in `schema` on PostgreSQL (dropped and made anew).
/// Run on a connection whose search path is `schema` (see [`pg_url`]).
pub fn ddl(dialect: Dialect, schema: &str) -> String {
    match dialect {
        Dialect::Sqlite => "
            CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, hair_color TEXT);
            CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id),
                                title TEXT NOT NULL, body TEXT);
            CREATE TABLE comments (id INTEGER PRIMARY KEY, post_id INTEGER NOT NULL REFERENCES posts(id),
                                   text TEXT NOT NULL);
            CREATE INDEX posts_user_id ON posts (user_id);
            CREATE INDEX comments_post_id ON comments (post_id);"
            .to_owned(),
        Dialect::Pg => format!(
            "SET client_min_messages = warning;
            DROP SCHEMA IF EXISTS {schema} CASCADE;
            CREATE SCHEMA {schema};
            SET search_path TO {schema};
            CREATE TABLE users (id SERIAL PRIMARY KEY, name TEXT NOT NULL, hair_color TEXT);
            CREATE TABLE posts (id SERIAL PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id),
                                title TEXT NOT NULL, body TEXT);
            CREATE TABLE comments (id SERIAL PRIMARY KEY, post_id INTEGER NOT NULL REFERENCES posts(id),
                                   text TEXT NOT NULL);
            CREATE INDEX posts_user_id ON posts (user_id);
            CREATE INDEX comments_post_id ON comments (post_id);"
        ),
    }
}

/// Empties the three tables and restarts their ids at 1.
pub fn clear(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Sqlite => "DELETE FROM comments; DELETE FROM posts; DELETE FROM users;",
        Dialect::Pg => "TRUNCATE users, posts, comments RESTART IDENTITY;",
    }
}

/// `SELECT i FROM 1..=n` in the dialect, to fill tables from.
fn series(dialect: Dialect, n: usize) -> String {
    match dialect {
        Dialect::Sqlite => format!(
            "(WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {n}) SELECT i FROM s)"
        ),
        Dialect::Pg => format!("(SELECT generate_series(1, {n}) AS i)"),
    }
}

/// After filling: fresh statistics on PostgreSQL, so that every library
/// gets the same plan.
fn analyze(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Sqlite => "",
        Dialect::Pg => "ANALYZE users; ANALYZE posts; ANALYZE comments;",
    }
}

/// `n` users: user `i` is named `User i`; a third have black hair, a third
/// brown, a third none (NULL).
fn users(dialect: Dialect, n: usize) -> String {
    format!(
        "INSERT INTO users (id, name, hair_color) \
         SELECT i, 'User ' || i, CASE i % 3 WHEN 1 THEN 'black' WHEN 2 THEN 'brown' END FROM {} AS s;",
        series(dialect, n)
    )
}

/// The trivial query's data: `n` users.
pub fn fill_trivial(dialect: Dialect, n: usize) -> String {
    format!(
        "{} {} {}",
        clear(dialect),
        users(dialect, n),
        analyze(dialect)
    )
}

/// The medium query's data: `n` users, and one post for each odd-numbered
/// user (its body NULL for every other one). The query returns the third
/// of the users with black hair, half of them with their post.
pub fn fill_medium(dialect: Dialect, n: usize) -> String {
    format!(
        "{} {} INSERT INTO posts (id, user_id, title, body) \
         SELECT i, i, 'Post by user ' || i, CASE WHEN i % 4 = 1 THEN NULL ELSE 'Body ' || i END \
         FROM {} AS s WHERE i % 2 = 1; {}",
        clear(dialect),
        users(dialect, n),
        series(dialect, n),
        analyze(dialect)
    )
}

/// The associations' data: `users` users, `posts` posts per user and
/// `comments` comments per post.
pub fn fill_associations(
    dialect: Dialect,
    (users_n, posts, comments): (usize, usize, usize),
) -> String {
    let posts_n = users_n * posts;
    let comments_n = posts_n * comments;
    format!(
        "{} {} \
         INSERT INTO posts (id, user_id, title, body) \
         SELECT i, (i - 1) / {posts} + 1, 'Post ' || i, CASE WHEN i % 2 = 0 THEN NULL ELSE 'Body ' || i END \
         FROM {} AS s; \
         INSERT INTO comments (id, post_id, text) SELECT i, (i - 1) / {comments} + 1, 'Comment ' || i \
         FROM {} AS s; {}",
        clear(dialect),
        users(dialect, users_n),
        series(dialect, posts_n),
        series(dialect, comments_n),
        analyze(dialect)
    )
}

/// After an INSERT benchmark's chunk of iterations: empty `users` again,
/// outside the timed part.
pub fn clear_users(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Sqlite => "DELETE FROM users;",
        Dialect::Pg => "TRUNCATE users, posts, comments RESTART IDENTITY;",
    }
}

/// Inserts between two [`clear_users`]: the table stays below 10 000
/// rows or so, whatever the number of iterations.
pub fn insert_chunk(rows_per_insert: usize) -> u64 {
    (10_000 / rows_per_insert).max(1) as u64
}

/// The rows every library inserts: `n` users, every other one without hair
/// colour.
pub fn new_users(n: usize) -> Vec<(String, Option<String>)> {
    (0..n)
        .map(|i| {
            let hair = (i % 2 == 0).then(|| "black".to_owned());
            (format!("User {i}"), hair)
        })
        .collect()
}

/// The raw drivers' SQL, written by hand.
pub mod raw_sql {
    use super::Dialect;

    pub const TRIVIAL: &str = "SELECT id, name, hair_color FROM users";

    pub fn medium(dialect: Dialect) -> &'static str {
        match dialect {
            Dialect::Sqlite => {
                "SELECT u.id, u.name, u.hair_color, p.id, p.user_id, p.title, p.body \
                 FROM users u LEFT JOIN posts p ON p.user_id = u.id WHERE u.hair_color = ?1"
            }
            Dialect::Pg => {
                "SELECT u.id, u.name, u.hair_color, p.id, p.user_id, p.title, p.body \
                 FROM users u LEFT JOIN posts p ON p.user_id = u.id WHERE u.hair_color = $1"
            }
        }
    }

    /// `INSERT INTO users (name, hair_color) VALUES` with `n` rows of
    /// placeholders.
    pub fn insert(dialect: Dialect, n: usize) -> String {
        let mut sql = String::from("INSERT INTO users (name, hair_color) VALUES ");
        for i in 0..n {
            if i > 0 {
                sql.push_str(", ");
            }
            match dialect {
                Dialect::Sqlite => sql.push_str(&format!("(?{}, ?{})", 2 * i + 1, 2 * i + 2)),
                Dialect::Pg => sql.push_str(&format!("(${}, ${})", 2 * i + 1, 2 * i + 2)),
            }
        }
        sql
    }

    /// Posts of a list of users: a JSON array on SQLite, an array on
    /// PostgreSQL (one statement for every list length, as quarry does).
    pub fn posts_of(dialect: Dialect) -> &'static str {
        match dialect {
            Dialect::Sqlite => {
                "SELECT id, user_id, title, body FROM posts \
                 WHERE user_id IN (SELECT value FROM json_each(?1))"
            }
            Dialect::Pg => "SELECT id, user_id, title, body FROM posts WHERE user_id = ANY($1)",
        }
    }

    /// Comments of a list of posts.
    pub fn comments_of(dialect: Dialect) -> &'static str {
        match dialect {
            Dialect::Sqlite => {
                "SELECT id, post_id, text FROM comments \
                 WHERE post_id IN (SELECT value FROM json_each(?1))"
            }
            Dialect::Pg => "SELECT id, post_id, text FROM comments WHERE post_id = ANY($1)",
        }
    }
}

/// A list of ids as a JSON array, for `json_each(?)` on SQLite.
pub fn json_ids(ids: impl IntoIterator<Item = i32>) -> String {
    let mut out = String::from("[");
    for (i, id) in ids.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&id.to_string());
    }
    out.push(']');
    out
}

/// Splits `children` by parent, in the parents' order, as Diesel's
/// `grouped_by` does: a map from each parent's id to its index.
pub fn grouped_by<P, C, K: Hash + Eq>(
    children: Vec<C>,
    parents: &[P],
    parent_key: impl Fn(&P) -> K,
    child_key: impl Fn(&C) -> K,
) -> Vec<Vec<C>> {
    let index: HashMap<K, usize> = parents
        .iter()
        .enumerate()
        .map(|(i, p)| (parent_key(p), i))
        .collect();
    let mut out: Vec<Vec<C>> = parents.iter().map(|_| Vec::new()).collect();
    for child in children {
        if let Some(&i) = index.get(&child_key(&child)) {
            out[i].push(child);
        }
    }
    out
}

/// Users with their posts, each post with its comments.
pub type Grouped<U, P, C> = Vec<(U, Vec<(P, Vec<C>)>)>;

/// `(User, Vec<(Post, Vec<Comment>)>)` from the three lists.
pub fn associate<U, P, C>(
    users: Vec<U>,
    posts: Vec<P>,
    comments: Vec<C>,
    user_id: impl Fn(&U) -> i32,
    post_id: impl Fn(&P) -> i32,
    post_user: impl Fn(&P) -> i32,
    comment_post: impl Fn(&C) -> i32,
) -> Grouped<U, P, C> {
    let comments = grouped_by(comments, &posts, &post_id, comment_post);
    let posts: Vec<(P, Vec<C>)> = posts.into_iter().zip(comments).collect();
    let posts = grouped_by(posts, &users, user_id, |(p, _)| post_user(p));
    users.into_iter().zip(posts).collect()
}

/// Checks a grouped result against the workload's shape.
pub fn check_associations<U, P, C>(
    grouped: &Grouped<U, P, C>,
    (users, posts, comments): (usize, usize, usize),
) {
    assert_eq!(grouped.len(), users);
    for (_, p) in grouped {
        assert_eq!(p.len(), posts);
        for (_, c) in p {
            assert_eq!(c.len(), comments);
        }
    }
}

/// Rows the medium query returns for `n` users: those with black hair.
pub fn medium_rows(n: usize) -> usize {
    (1..=n).filter(|i| i % 3 == 1).count()
}

/// Criterion for these benchmarks: short, so that the whole comparison
/// runs in about a quarter of an hour on two cores. Command-line options
/// (`--warm-up-time`, `--measurement-time`, `--sample-size`) still apply.
pub fn criterion() -> Criterion {
    Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(400))
        .measurement_time(Duration::from_millis(1600))
        .nresamples(20_000)
        .without_plots()
        .configure_from_args()
}

/// A workload's group: flat sampling, since one iteration may take
/// milliseconds.
pub fn group<'a>(c: &'a mut Criterion, workload: &str) -> BenchmarkGroup<'a, WallTime> {
    let mut group = c.benchmark_group(workload);
    group.sampling_mode(SamplingMode::Flat);
    group
}

/// Records a fact about this run for the report (`key<TAB>value` lines in
/// the file `BENCH_NOTES` names, when it is set).
pub fn note(key: &str, value: &str) {
    use std::io::Write;
    if let Some(path) = std::env::var_os("BENCH_NOTES") {
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .expect("the BENCH_NOTES file");
        writeln!(file, "{key}\t{value}").expect("the BENCH_NOTES file");
    }
}

/// Runs `iters` iterations in chunks of `chunk`, timing only `run` and
/// calling `cleanup` between chunks (for inserts, which grow the table).
pub fn timed_in_chunks<S>(
    state: &mut S,
    iters: u64,
    chunk: u64,
    mut run: impl FnMut(&mut S, u64) -> Duration,
    mut cleanup: impl FnMut(&mut S),
) -> Duration {
    let mut total = Duration::ZERO;
    let mut left = iters;
    while left > 0 {
        let n = left.min(chunk);
        total += run(state, n);
        cleanup(state);
        left -= n;
    }
    total
}
