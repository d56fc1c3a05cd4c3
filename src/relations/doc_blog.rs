// The blog the relations doctests use; included by them, not a module.
use quarry::prelude::*;

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

#[derive(Queryable, Related, Debug, Clone, PartialEq)]
#[quarry(table = users)]
struct User {
    id: i32,
    name: String,
}

#[derive(Queryable, Related, Debug, Clone, PartialEq)]
#[quarry(table = posts)]
struct Post {
    id: i32,
    author_id: i32,
    title: String,
}

#[derive(Queryable, Related, Debug, Clone, PartialEq)]
#[quarry(table = comments)]
struct Comment {
    id: i32,
    post_id: i32,
    body: String,
}

fn blog() -> Result<quarry::sqlite::Connection, quarry::Error> {
    let mut db = quarry::sqlite::Connection::open_in_memory()?;
    db.execute_batch(
        "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
         CREATE TABLE posts (id INTEGER PRIMARY KEY, author_id INTEGER NOT NULL, title TEXT NOT NULL);
         CREATE TABLE comments (id INTEGER PRIMARY KEY, post_id INTEGER NOT NULL, body TEXT NOT NULL);
         INSERT INTO users VALUES (1, 'Ada'), (2, 'Brian'), (3, 'Chloé');
         INSERT INTO posts VALUES (10, 1, 'Engines'), (11, 1, 'Numbers'), (12, 2, 'Hello');
         INSERT INTO comments VALUES (100, 10, 'Great'), (101, 10, 'More!'), (102, 12, 'Hi');",
    )?;
    Ok(db)
}
