//! A small blog schema shared by the integration tests, a fresh in-memory
//! SQLite database per test, and [`db`]: one test body run on both
//! backends.
#![allow(dead_code, unused_macros, unused_imports)]

pub mod db;

pub use db::Db;
pub(crate) use db::{both_backends, load_boxed, skip_mysql, two_backends};

use quarry::Value;
use quarry::sqlite::Connection;

quarry::table! {
    /// People who write.
    users (id) {
        id -> Integer,
        name -> Text,
        /// Not everyone shares it.
        email -> Nullable<Text>,
        age -> Nullable<SmallInt>,
        score -> BigInt,
        rating -> Double,
    }

    posts (id) {
        id -> Integer,
        author_id -> Integer references users(id),
        title -> Text,
        #[sql_name = "is_published"]
        published -> Bool,
        views -> Integer,
        body -> Nullable<Binary>,
    }

    /// A composite primary key.
    #[sql_name = "post_tags"]
    tags (post_id, label) {
        post_id -> Integer references posts(id),
        label -> Text,
    }
}

/// The blog schema in SQLite's DDL.
pub const DDL: &str = r#"
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT,
    age INTEGER,
    score INTEGER NOT NULL,
    rating REAL NOT NULL
);
CREATE TABLE posts (
    id INTEGER PRIMARY KEY,
    author_id INTEGER NOT NULL REFERENCES users(id),
    title TEXT NOT NULL,
    is_published BOOLEAN NOT NULL,
    views INTEGER NOT NULL,
    body BLOB
);
CREATE TABLE post_tags (
    post_id INTEGER NOT NULL REFERENCES posts(id),
    label TEXT NOT NULL,
    PRIMARY KEY (post_id, label)
);
"#;

/// The blog schema in PostgreSQL's DDL: each column of the type its
/// `table!` SQL type maps to (`SmallInt` is `SMALLINT`, `Double` is
/// `DOUBLE PRECISION`, `Binary` is `BYTEA`).
pub const PG_DDL: &str = r#"
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT,
    age SMALLINT,
    score BIGINT NOT NULL,
    rating DOUBLE PRECISION NOT NULL
);
CREATE TABLE posts (
    id INTEGER PRIMARY KEY,
    author_id INTEGER NOT NULL REFERENCES users(id),
    title TEXT NOT NULL,
    is_published BOOLEAN NOT NULL,
    views INTEGER NOT NULL,
    body BYTEA
);
CREATE TABLE post_tags (
    post_id INTEGER NOT NULL REFERENCES posts(id),
    label TEXT NOT NULL,
    PRIMARY KEY (post_id, label)
);
"#;

/// The blog schema in MariaDB's DDL: `Bool` is `BOOLEAN` (`TINYINT(1)`),
/// `Binary` is `LONGBLOB`, the key's text column a `VARCHAR` (a `TEXT`
/// cannot be a key without a prefix length).
pub const MYSQL_DDL: &str = r#"
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT,
    age SMALLINT,
    score BIGINT NOT NULL,
    rating DOUBLE NOT NULL
);
CREATE TABLE posts (
    id INTEGER PRIMARY KEY,
    author_id INTEGER NOT NULL REFERENCES users(id),
    title TEXT NOT NULL,
    is_published BOOLEAN NOT NULL,
    views INTEGER NOT NULL,
    body LONGBLOB
);
CREATE TABLE post_tags (
    post_id INTEGER NOT NULL REFERENCES posts(id),
    label VARCHAR(255) NOT NULL,
    PRIMARY KEY (post_id, label)
);
"#;

/// The blog's rows: three users, four posts and their tags, as
/// statements with `$n` parameters, which both backends read.
pub fn blog_rows() -> Vec<(&'static str, Vec<Value<'static>>)> {
    type UserSeed = (
        i32,
        &'static str,
        Option<&'static str>,
        Option<i16>,
        i64,
        f64,
    );
    let users: [UserSeed; 3] = [
        (1, "Ada", Some("ada@example.com"), Some(36), 100, 4.5),
        (2, "Brian", None, None, 50, 3.0),
        (3, "Chloé", Some("chloe@example.com"), Some(29), 75, 4.0),
    ];
    let posts: [(i32, i32, &str, bool, i32); 4] = [
        (1, 1, "Notes on the Analytical Engine", true, 120),
        (2, 1, "Draft: Bernoulli numbers", false, 3),
        (3, 2, "Hello, world", true, 40),
        (4, 3, "100% of 'quotes' and \"doubles\"", true, 7),
    ];
    let tags = [(1, "history"), (1, "math"), (2, "math"), (3, "intro")];

    let mut rows = Vec::new();
    for (id, name, email, age, score, rating) in users {
        rows.push((
            "INSERT INTO users (id, name, email, age, score, rating) VALUES ($1, $2, $3, $4, $5, $6)",
            vec![
                Value::Int(id),
                Value::Text(name),
                email.map_or(Value::Null, Value::Text),
                age.map_or(Value::Null, Value::SmallInt),
                Value::BigInt(score),
                Value::Double(rating),
            ],
        ));
    }
    for (id, author, title, published, views) in posts {
        rows.push((
            "INSERT INTO posts (id, author_id, title, is_published, views) VALUES ($1, $2, $3, $4, $5)",
            vec![
                Value::Int(id),
                Value::Int(author),
                Value::Text(title),
                Value::Bool(published),
                Value::Int(views),
            ],
        ));
    }
    for (post, label) in tags {
        rows.push((
            "INSERT INTO post_tags (post_id, label) VALUES ($1, $2)",
            vec![Value::Int(post), Value::Text(label)],
        ));
    }
    rows
}

/// A fresh in-memory SQLite database holding the blog.
pub fn seeded() -> Connection {
    let mut db = Connection::open_in_memory().expect("open in-memory SQLite");
    db.execute_batch(DDL).expect("create tables");
    for (sql, params) in blog_rows() {
        db.execute(sql, &params).expect("insert a blog row");
    }
    db
}
