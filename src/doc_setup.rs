//! The schema and data the documentation's examples share, so that each
//! example shows its one method and not twenty lines of setup.

/// Declares, in a doctest, the tables `users` and `posts`, a row struct
/// `User` and `fn db()`: an in-memory SQLite database holding
///
/// ```text
/// users: 1 Ada  ada@example.com      posts: 10 by 1 "Engines"  120 views, published
///        2 Brian (no email)                 11 by 1 "Numbers"   40 views
///        3 Cleo  cleo@example.com           12 by 2 "Lambda"    75 views, published
/// ```
///
/// A macro rather than a module, so that these tables are not part of
/// every build of quarry: a user's compile error would list them among
/// the types that implement a trait. Not part of the public API.
#[doc(hidden)]
#[macro_export]
macro_rules! __doc_setup {
    () => {
        $crate::table! {
            users (id) {
                id -> Integer,
                name -> Text,
                email -> Nullable<Text>,
            }

            posts (id) {
                id -> Integer,
                author_id -> Integer references users(id),
                title -> Text,
                views -> Integer,
                published -> Bool,
            }
        }

        #[derive($crate::Queryable, Debug, PartialEq)]
        struct User {
            id: i32,
            name: String,
            email: Option<String>,
        }

        fn db() -> $crate::sqlite::Connection {
            let mut conn = $crate::sqlite::Connection::open_in_memory().expect("open in-memory SQLite");
            conn.execute_batch(
                "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT);
                 CREATE TABLE posts (
                     id INTEGER PRIMARY KEY,
                     author_id INTEGER NOT NULL REFERENCES users(id),
                     title TEXT NOT NULL,
                     views INTEGER NOT NULL DEFAULT 0,
                     published BOOLEAN NOT NULL DEFAULT FALSE
                 );
                 INSERT INTO users VALUES (1, 'Ada', 'ada@example.com'), (2, 'Brian', NULL),
                                          (3, 'Cleo', 'cleo@example.com');
                 INSERT INTO posts VALUES (10, 1, 'Engines', 120, TRUE), (11, 1, 'Numbers', 40, FALSE),
                                          (12, 2, 'Lambda', 75, TRUE);",
            )
            .expect("create and fill the tables");
            conn
        }
    };
}
