//! The schema and data the documentation's examples share, so that each
//! example shows its one method and not twenty lines of setup.
//!
//! Not part of the public API: it may change with any release.
//!
//! ```text
//! users: 1 Ada  ada@example.com      posts: 10 by 1 "Engines"  120 views, published
//!        2 Brian (no email)                 11 by 1 "Numbers"   40 views
//!        3 Cleo  cleo@example.com           12 by 2 "Lambda"    75 views, published
//! ```

crate::table! {
    /// People who write posts.
    users (id) {
        id -> Integer,
        name -> Text,
        email -> Nullable<Text>,
    }

    /// Posts, each by one user.
    posts (id) {
        id -> Integer,
        author_id -> Integer references users(id),
        title -> Text,
        views -> Integer,
        published -> Bool,
    }
}

/// A row of `users`.
#[derive(crate::Queryable, Debug, PartialEq)]
pub struct User {
    /// The key.
    pub id: i32,
    /// The name.
    pub name: String,
    /// The address, when there is one.
    pub email: Option<String>,
}

/// The DDL of [`users`] and [`posts`] for SQLite.
pub const SQLITE_DDL: &str = "
    CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT);
    CREATE TABLE posts (
        id INTEGER PRIMARY KEY,
        author_id INTEGER NOT NULL REFERENCES users(id),
        title TEXT NOT NULL,
        views INTEGER NOT NULL DEFAULT 0,
        published BOOLEAN NOT NULL DEFAULT FALSE
    );";

/// The rows of the picture in the module doc.
pub const SEED: &str = "
    INSERT INTO users VALUES (1, 'Ada', 'ada@example.com'), (2, 'Brian', NULL),
                             (3, 'Cleo', 'cleo@example.com');
    INSERT INTO posts VALUES (10, 1, 'Engines', 120, TRUE), (11, 1, 'Numbers', 40, FALSE),
                             (12, 2, 'Lambda', 75, TRUE);";

/// An in-memory SQLite database with the tables and rows above.
///
/// # Panics
///
/// When SQLite cannot open an in-memory database, which the examples would
/// report anyway.
pub fn db() -> crate::sqlite::Connection {
    let mut conn = crate::sqlite::Connection::open_in_memory().expect("open in-memory SQLite");
    conn.execute_batch(SQLITE_DDL).expect("create the tables");
    conn.execute_batch(SEED).expect("insert the rows");
    conn
}
