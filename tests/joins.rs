//! Joins on real SQLite: every join kind, along single, named, composite
//! and self references, `on` conditions, aliases, and nullability that
//! follows the join.

use quarry::prelude::*;

quarry::table! {
    users (id) {
        id -> Integer,
        name -> Text,
    }
    posts (id) {
        id -> Integer,
        author_id -> Integer references users(id),
        editor_id -> Nullable<Integer> references users(id),
        title -> Text,
    }
    comments (id) {
        id -> Integer,
        post_id -> Integer references posts(id),
        body -> Text,
    }
    employees (id) {
        id -> Integer,
        name -> Text,
        manager_id -> Nullable<Integer> references employees(id) as manager,
    }
    orders (shop_id, number) {
        shop_id -> Integer,
        number -> Integer,
        customer -> Text,
    }
    order_lines (id) {
        id -> Integer,
        shop_id -> Integer,
        order_number -> Integer,
        item -> Text,
        foreign key (shop_id, order_number) references orders(shop_id, number) as order_ref,
    }
}

const DDL: &str = "
CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE posts (id INTEGER PRIMARY KEY, author_id INTEGER NOT NULL REFERENCES users(id),
                    editor_id INTEGER REFERENCES users(id), title TEXT NOT NULL);
CREATE TABLE comments (id INTEGER PRIMARY KEY, post_id INTEGER NOT NULL REFERENCES posts(id), body TEXT NOT NULL);
CREATE TABLE employees (id INTEGER PRIMARY KEY, name TEXT NOT NULL, manager_id INTEGER REFERENCES employees(id));
CREATE TABLE orders (shop_id INTEGER NOT NULL, number INTEGER NOT NULL, customer TEXT NOT NULL,
                     PRIMARY KEY (shop_id, number));
CREATE TABLE order_lines (id INTEGER PRIMARY KEY, shop_id INTEGER NOT NULL, order_number INTEGER NOT NULL,
                          item TEXT NOT NULL, FOREIGN KEY (shop_id, order_number) REFERENCES orders(shop_id, number));
INSERT INTO users VALUES (1, 'Ada'), (2, 'Brian'), (3, 'Chloé');
INSERT INTO posts VALUES (10, 1, 2, 'Engines'), (11, 1, NULL, 'Numbers'), (12, 2, 1, 'Hello');
INSERT INTO comments VALUES (100, 10, 'Great'), (101, 10, 'More!'), (102, 12, 'Hi');
INSERT INTO employees VALUES (1, 'Grace', NULL), (2, 'Alan', 1), (3, 'Edsger', 1), (4, 'Barbara', 2);
INSERT INTO orders VALUES (1, 1, 'ann'), (1, 2, 'bob'), (2, 1, 'cy');
INSERT INTO order_lines VALUES (1, 1, 1, 'apple'), (2, 1, 1, 'pear'), (3, 2, 1, 'fig'), (4, 1, 2, 'kiwi');
";

fn db() -> quarry::sqlite::Connection {
    let mut db = quarry::sqlite::Connection::open_in_memory().unwrap();
    db.execute_batch(DDL).unwrap();
    db
}

#[derive(Queryable, Debug, PartialEq)]
struct User {
    id: i32,
    name: String,
}

#[derive(Selectable, Debug, PartialEq)]
#[quarry(table = comments)]
struct Comment {
    id: i32,
    body: String,
}

#[test]
fn inner_join_follows_the_one_reference() {
    let mut db = db();
    let rows: Vec<(String, String)> = comments::table
        .inner_join(posts::table)
        .select((posts::title, comments::body))
        .order(comments::id)
        .load(&mut db)
        .unwrap();
    assert_eq!(
        rows,
        [
            ("Engines".to_owned(), "Great".to_owned()),
            ("Engines".to_owned(), "More!".to_owned()),
            ("Hello".to_owned(), "Hi".to_owned()),
        ]
    );
    // The other direction uses the same reference.
    let n: i64 = posts::table
        .inner_join(comments::table)
        .count()
        .get_result(&mut db)
        .unwrap();
    assert_eq!(n, 3);
}

#[test]
fn left_join_columns_come_back_nullable_without_asking() {
    let mut db = db();
    let rows: Vec<(String, Option<String>)> = posts::table
        .left_join(comments::table)
        .select((posts::title, comments::body))
        .order((posts::id, comments::id))
        .load(&mut db)
        .unwrap();
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[2], ("Numbers".to_owned(), None));
    // Filters may still use the optional side's columns.
    let titles: Vec<String> = posts::table
        .left_join(comments::table)
        .filter(comments::id.is_null())
        .select(posts::title)
        .load(&mut db)
        .unwrap();
    assert_eq!(titles, ["Numbers"]);
}

#[test]
fn the_optional_side_loads_as_a_whole_option_struct() {
    let mut db = db();
    // The default selection of a join is each table's row.
    type PostRow = (i32, i32, Option<i32>, String);
    type CommentRow = (i32, i32, String);
    let rows: Vec<(PostRow, Option<CommentRow>)> = posts::table
        .left_join(comments::table)
        .order((posts::id, comments::id))
        .load(&mut db)
        .unwrap();
    assert_eq!(rows[2].1, None);
    assert_eq!(rows[0].1, Some((100, 10, "Great".to_owned())));

    let rows: Vec<(User, Option<Comment>)> = users::table
        .left_join(posts::author)
        .left_join(comments::table)
        .select((users::star, Comment::as_select()))
        .order((users::id, posts::id, comments::id))
        .load(&mut db)
        .unwrap();
    assert_eq!(rows.len(), 5);
    assert_eq!(
        rows[0],
        (
            User {
                id: 1,
                name: "Ada".into()
            },
            Some(Comment {
                id: 100,
                body: "Great".into()
            })
        )
    );
    assert_eq!(
        rows[4],
        (
            User {
                id: 3,
                name: "Chloé".into()
            },
            None
        )
    );
}

#[test]
fn right_and_full_joins_make_the_other_side_nullable() {
    let mut db = db();
    let rows: Vec<(Option<String>, String)> = comments::table
        .right_join(posts::table)
        .select((comments::body, posts::title))
        .order((posts::id, comments::id))
        .load(&mut db)
        .unwrap();
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[2], (None, "Numbers".to_owned()));

    let rows: Vec<(Option<String>, Option<String>)> = users::table
        .full_join(posts::editor)
        .select((users::name, posts::title))
        .order((users::id, posts::id))
        .load(&mut db)
        .unwrap();
    // Ada edits Hello, Brian edits Engines, Chloé edits nothing; Numbers has no editor.
    assert!(rows.contains(&(Some("Chloé".to_owned()), None)));
    assert!(rows.contains(&(None, Some("Numbers".to_owned()))));
    assert_eq!(rows.len(), 4);
}

#[test]
fn several_references_are_joined_by_name() {
    let mut db = db();
    let by_author: Vec<(String, String)> = posts::table
        .inner_join(posts::author)
        .select((posts::title, users::name))
        .order(posts::id)
        .load(&mut db)
        .unwrap();
    assert_eq!(by_author[2], ("Hello".to_owned(), "Brian".to_owned()));

    let by_editor: Vec<(String, Option<String>)> = posts::table
        .left_join(posts::editor)
        .select((posts::title, users::name))
        .order(posts::id)
        .load(&mut db)
        .unwrap();
    assert_eq!(
        by_editor,
        [
            ("Engines".to_owned(), Some("Brian".to_owned())),
            ("Numbers".to_owned(), None),
            ("Hello".to_owned(), Some("Ada".to_owned())),
        ]
    );
}

#[test]
fn the_same_table_twice_through_an_alias() {
    let mut db = db();
    let editor = quarry::alias!(users as editor);
    let rows: Vec<(String, String, Option<String>)> = posts::table
        .inner_join(posts::author)
        .left_join(editor.on(posts::editor_id.eq(editor.field(users::id))))
        .select((posts::title, users::name, editor.field(users::name)))
        .order(posts::id)
        .load(&mut db)
        .unwrap();
    assert_eq!(
        rows[0],
        (
            "Engines".to_owned(),
            "Ada".to_owned(),
            Some("Brian".to_owned())
        )
    );
    assert_eq!(rows[1], ("Numbers".to_owned(), "Ada".to_owned(), None));
}

#[test]
fn a_self_reference_joins_through_an_alias() {
    let mut db = db();
    let boss = quarry::alias!(employees as boss);
    let rows: Vec<(String, Option<String>)> = employees::table
        .left_join(boss.on(employees::manager_id.eq(boss.field(employees::id))))
        .select((employees::name, boss.field(employees::name)))
        .order(employees::id)
        .load(&mut db)
        .unwrap();
    assert_eq!(
        rows,
        [
            ("Grace".to_owned(), None),
            ("Alan".to_owned(), Some("Grace".to_owned())),
            ("Edsger".to_owned(), Some("Grace".to_owned())),
            ("Barbara".to_owned(), Some("Alan".to_owned())),
        ]
    );
    // A whole alias row is optional too.
    type EmployeeRow = (i32, String, Option<i32>);
    let rows: Vec<(String, Option<EmployeeRow>)> = employees::table
        .left_join(boss.on(employees::manager_id.eq(boss.field(employees::id))))
        .select((employees::name, boss.star()))
        .filter(
            boss.field(employees::name)
                .eq("Alan")
                .or(boss.field(employees::id).is_null()),
        )
        .order(employees::id)
        .load(&mut db)
        .unwrap();
    assert_eq!(
        rows,
        [
            ("Grace".to_owned(), None),
            ("Barbara".to_owned(), Some((2, "Alan".to_owned(), Some(1))))
        ]
    );
}

#[test]
fn a_composite_reference_joins_on_both_columns() {
    let mut db = db();
    let rows: Vec<(String, String)> = order_lines::table
        .inner_join(orders::table)
        .select((orders::customer, order_lines::item))
        .order(order_lines::id)
        .load(&mut db)
        .unwrap();
    assert_eq!(
        rows,
        [
            ("ann".to_owned(), "apple".to_owned()),
            ("ann".to_owned(), "pear".to_owned()),
            ("cy".to_owned(), "fig".to_owned()),
            ("bob".to_owned(), "kiwi".to_owned()),
        ]
    );
    const SQL: &str = quarry::const_sql!(
        Sqlite,
        order_lines::table
            .inner_join(orders::table)
            .select(order_lines::id)
    );
    assert_eq!(
        SQL,
        r#"SELECT "order_lines"."id" FROM "order_lines" INNER JOIN "orders" ON "order_lines"."shop_id" = "orders"."shop_id" AND "order_lines"."order_number" = "orders"."number""#
    );
}

#[test]
fn on_joins_any_two_tables_with_binds_in_order() {
    let mut db = db();
    let q = users::table
        .inner_join(comments::table.on(comments::body.like("%!").and(users::id.eq(1))))
        .filter(users::name.ne("nobody"))
        .select((users::name, comments::body));
    let rows: Vec<(String, String)> = q.load(&mut db).unwrap();
    assert_eq!(rows, [("Ada".to_owned(), "More!".to_owned())]);
}

#[test]
fn joins_render_for_both_dialects() {
    const SQLITE: &str = quarry::const_sql!(
        Sqlite,
        posts::table
            .inner_join(posts::author)
            .left_join(comments::table)
            .filter(comments::body.eq("x"))
            .select((users::name, comments::body))
    );
    const PG: &str = quarry::const_sql!(
        Pg,
        posts::table
            .inner_join(posts::author)
            .left_join(comments::table)
            .filter(comments::body.eq("x"))
            .select((users::name, comments::body))
    );
    assert_eq!(
        SQLITE,
        r#"SELECT "users"."name", "comments"."body" FROM "posts" INNER JOIN "users" ON "posts"."author_id" = "users"."id" LEFT JOIN "comments" ON "comments"."post_id" = "posts"."id" WHERE "comments"."body" = ?"#
    );
    assert_eq!(
        PG,
        r#"SELECT "users"."name", "comments"."body" FROM "posts" INNER JOIN "users" ON "posts"."author_id" = "users"."id" LEFT JOIN "comments" ON "comments"."post_id" = "posts"."id" WHERE "comments"."body" = $1"#
    );
}

#[test]
fn a_selection_made_before_the_join_stays_valid() {
    let mut db = db();
    let rows: Vec<String> = posts::table
        .select(posts::title)
        .filter(posts::id.lt(12))
        .inner_join(comments::table)
        .filter(comments::body.eq("Great"))
        .load(&mut db)
        .unwrap();
    assert_eq!(rows, ["Engines"]);
}
