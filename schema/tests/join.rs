//! The committed SQLite snapshot, compiled here, runs joins against the
//! database it was printed from: references become joins, composite ones
//! too, and the view and the key-less table load.

mod common;

#[allow(clippy::all)]
mod schema {
    include!("snapshots/sqlite.rs");
}

use quarry::prelude::*;
use schema::*;

const ROWS: &str = "
INSERT INTO users (id, name, email) VALUES (1, 'Ada', 'ada@example.com'), (2, 'Brian', NULL);
INSERT INTO posts (id, author_id, editor_id, title, published) VALUES
    (10, 1, 2, 'Engines', TRUE), (11, 2, NULL, 'Hello', FALSE);
INSERT INTO products (id, name, price) VALUES (1, 'Tea', 3.5);
INSERT INTO product_variants (product_id, variant, stock) VALUES (1, 'green', 7), (1, 'black', 2);
INSERT INTO orders (id, customer_id, placed_on) VALUES (100, 1, '2024-05-01');
INSERT INTO order_lines (order_id, line_no, product_id, variant, quantity) VALUES
    (100, 1, 1, 'black', 3), (100, 2, 1, 'green', 1);
INSERT INTO \"Settings\" (\"Key\", value) VALUES ('theme', 'dark');
INSERT INTO audit_log (at, \"type\", \"actorId\") VALUES ('2024-05-01 10:00:00', 'login', 1);
";

fn db() -> (tempfile::TempDir, quarry::sqlite::Connection) {
    let dir = tempfile::tempdir().unwrap();
    let path = common::sqlite_db(dir.path());
    let mut db = quarry::sqlite::Connection::open(&path).unwrap();
    db.execute_batch(ROWS).unwrap();
    (dir, db)
}

#[test]
fn two_references_to_users_join_by_name() {
    let (_dir, mut db) = db();
    let authors: Vec<(String, String)> = posts::table
        .inner_join(posts::author)
        .select((posts::title, users::name))
        .order(posts::id)
        .load(&mut db)
        .unwrap();
    assert_eq!(
        authors,
        [
            ("Engines".to_owned(), "Ada".to_owned()),
            ("Hello".to_owned(), "Brian".to_owned())
        ]
    );
    let editors: Vec<(String, Option<String>)> = posts::table
        .left_join(posts::editor)
        .select((posts::title, users::name))
        .order(posts::id)
        .load(&mut db)
        .unwrap();
    assert_eq!(
        editors,
        [
            ("Engines".to_owned(), Some("Brian".to_owned())),
            ("Hello".to_owned(), None)
        ]
    );
}

#[test]
fn a_composite_reference_joins_on_both_columns() {
    let (_dir, mut db) = db();
    let lines: Vec<(i16, String, i32)> = order_lines::table
        .inner_join(order_lines::product_variant)
        .select((
            order_lines::line_no,
            product_variants::variant,
            product_variants::stock,
        ))
        .order(order_lines::line_no)
        .load(&mut db)
        .unwrap();
    assert_eq!(
        lines,
        [(1, "black".to_owned(), 2), (2, "green".to_owned(), 7)]
    );
}

#[test]
fn keys_sql_names_views_and_keyless_tables() {
    let (_dir, mut db) = db();
    let ada: (i32, String, Option<String>) = users::table
        .find(1)
        .select((users::id, users::name, users::email))
        .get_result(&mut db)
        .unwrap();
    assert_eq!(
        ada,
        (1, "Ada".to_owned(), Some("ada@example.com".to_owned()))
    );

    let theme: (String, Option<String>) =
        settings::table.find("theme").get_result(&mut db).unwrap();
    assert_eq!(theme, ("theme".to_owned(), Some("dark".to_owned())));

    let published: Vec<(Option<String>, Option<String>)> = published_posts::table
        .select((published_posts::title, published_posts::author))
        .load(&mut db)
        .unwrap();
    assert_eq!(
        published,
        [(Some("Engines".to_owned()), Some("Ada".to_owned()))]
    );

    let log: Vec<(String, String)> = audit_log::table
        .inner_join(users::table)
        .select((audit_log::r#type, users::name))
        .load(&mut db)
        .unwrap();
    assert_eq!(log, [("login".to_owned(), "Ada".to_owned())]);
}
