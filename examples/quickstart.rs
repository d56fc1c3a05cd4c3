//! quarry's quickstart: an embedded SQLite database, a few rows, a handful
//! of typed queries. Run it with `cargo run --example quickstart`.

use quarry::prelude::*;

quarry::table! {
    users (id) {
        id -> Integer,
        name -> Text,
        email -> Nullable<Text>,
    }
    posts (id) {
        id -> Integer,
        author_id -> Integer references users(id),
        title -> Text,
        published -> Bool,
        views -> Integer,
    }
}

#[derive(Queryable, Debug)]
#[allow(dead_code)] // the fields are read through `Debug`
struct User {
    id: i32,
    name: String,
    email: Option<String>,
}

#[derive(Selectable, Debug)]
#[quarry(table = posts)]
#[allow(dead_code)] // the fields are read through `Debug`
struct Post {
    id: i32,
    title: String,
    views: i32,
}

fn main() -> Result<(), quarry::Error> {
    let path = std::env::temp_dir().join(format!("quarry-quickstart-{}.db", std::process::id()));
    let mut db = quarry::sqlite::Connection::open(&path)?;

    db.execute_batch(
        "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT);
         CREATE TABLE posts (id INTEGER PRIMARY KEY, author_id INTEGER NOT NULL REFERENCES users(id),
                             title TEXT NOT NULL, published BOOLEAN NOT NULL, views INTEGER NOT NULL);",
    )?;
    db.transaction(|db| {
        for (id, name, email) in [(1, "Ada", Some("ada@example.com")), (2, "Brian", None)] {
            db.execute(
                "INSERT INTO users (id, name, email) VALUES (?, ?, ?)",
                &[
                    Value::Int(id),
                    Value::Text(name),
                    email.map_or(Value::Null, Value::Text),
                ],
            )?;
        }
        for (id, author, title, published, views) in [
            (1, 1, "Notes on the Analytical Engine", true, 120),
            (2, 1, "Draft: Bernoulli numbers", false, 3),
            (3, 2, "Hello, world", true, 40),
        ] {
            db.execute(
                "INSERT INTO posts (id, author_id, title, published, views) VALUES (?, ?, ?, ?, ?)",
                &[
                    Value::Int(id),
                    Value::Int(author),
                    Value::Text(title),
                    Value::Bool(published),
                    Value::Int(views),
                ],
            )?;
        }
        Ok::<_, quarry::Error>(())
    })?;

    // Every column, into a struct by position.
    let users: Vec<User> = users::table.order(users::id).load(&mut db)?;
    println!("users: {users:?}");

    // Columns by field name, filtered and sorted.
    let popular: Vec<Post> = posts::table
        .select(Post::as_select())
        .filter(posts::published.eq(true).and(posts::views.gt(10)))
        .order(posts::views.desc())
        .load(&mut db)?;
    println!("published posts over 10 views: {popular:?}");

    // A tuple with a nullable column: `Option` is required by the compiler.
    let emails: Vec<(String, Option<String>)> = users::table
        .select((users::name, users::email))
        .load(&mut db)?;
    println!("emails: {emails:?}");

    // One row by key, a missing one, a count.
    let ada: User = users::table.find(1).get_result(&mut db)?;
    let nobody: Option<User> = users::table.find(42).get_result(&mut db).optional()?;
    let drafts: i64 = posts::table
        .filter(posts::published.eq(false))
        .count()
        .get_result(&mut db)?;
    println!(
        "find(1): {}, find(42): {nobody:?}, drafts: {drafts}",
        ada.name
    );

    // The SQL is a constant, computed at build time; values are binds.
    const SQL: &str = quarry::const_sql!(
        Sqlite,
        posts::table
            .select(posts::title)
            .filter(posts::views.gt(10))
    );
    println!("SQL: {SQL}");

    drop(db);
    let _ = std::fs::remove_file(&path);
    Ok(())
}
