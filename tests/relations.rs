//! Relations on both backends: `belonging_to` and `grouped_by` (parents
//! without children too), named, composite and self references, eager loads
//! of three levels, a many-to-many through an association table with
//! columns of its own, many-to-one loads in both styles, and the N+1
//! detector. Every test counts the statements it ran with a
//! `StatementScope`.

// The nested row types are what the tests check, so they are spelled out.
#![allow(clippy::type_complexity)]

mod common;

use common::{Db, both_backends};
use quarry::StatementScope;
use quarry::prelude::*;
use quarry::relations::{
    BelongingToDsl, GroupedByDsl, belongs_to, eager, has_many, has_many_joined, many_to_many,
};

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
    teams (id) {
        id -> Integer,
        name -> Text,
    }
    memberships (user_id, team_id) {
        user_id -> Integer references users(id),
        team_id -> Integer references teams(id),
        role -> Text,
        joined_at -> Text,
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

/// The same DDL and rows on both backends.
const SCHEMA: &str = "
CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE posts (id INTEGER PRIMARY KEY, author_id INTEGER NOT NULL REFERENCES users(id),
                    editor_id INTEGER REFERENCES users(id), title TEXT NOT NULL);
CREATE TABLE comments (id INTEGER PRIMARY KEY, post_id INTEGER NOT NULL REFERENCES posts(id), body TEXT NOT NULL);
CREATE TABLE teams (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE memberships (user_id INTEGER NOT NULL REFERENCES users(id), team_id INTEGER NOT NULL REFERENCES teams(id),
                          role TEXT NOT NULL, joined_at TEXT NOT NULL, PRIMARY KEY (user_id, team_id));
CREATE TABLE employees (id INTEGER PRIMARY KEY, name TEXT NOT NULL, manager_id INTEGER REFERENCES employees(id));
CREATE TABLE orders (shop_id INTEGER NOT NULL, number INTEGER NOT NULL, customer TEXT NOT NULL,
                     PRIMARY KEY (shop_id, number));
CREATE TABLE order_lines (id INTEGER PRIMARY KEY, shop_id INTEGER NOT NULL, order_number INTEGER NOT NULL,
                          item TEXT NOT NULL, FOREIGN KEY (shop_id, order_number) REFERENCES orders(shop_id, number));
INSERT INTO users VALUES (1, 'Ada'), (2, 'Brian'), (3, 'Chloé');
INSERT INTO posts VALUES (10, 1, 2, 'Engines'), (11, 1, NULL, 'Numbers'), (12, 2, 1, 'Hello');
INSERT INTO comments VALUES (100, 10, 'Great'), (101, 10, 'More!'), (102, 12, 'Hi');
INSERT INTO teams VALUES (1, 'Core'), (2, 'Docs');
INSERT INTO memberships VALUES (1, 1, 'lead', '2024-01-02'), (1, 2, 'member', '2024-03-04'),
                               (2, 1, 'member', '2024-05-06');
INSERT INTO employees VALUES (1, 'Grace', NULL), (2, 'Alan', 1), (3, 'Edsger', 1), (4, 'Barbara', 2);
INSERT INTO orders VALUES (1, 1, 'ann'), (1, 2, 'bob'), (2, 1, 'cy');
INSERT INTO order_lines VALUES (1, 1, 1, 'apple'), (2, 1, 1, 'pear'), (3, 2, 1, 'fig'), (4, 1, 2, 'kiwi');
";

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
    editor_id: Option<i32>,
    title: String,
}

#[derive(Queryable, Related, Debug, Clone, PartialEq)]
#[quarry(table = comments)]
struct Comment {
    id: i32,
    post_id: i32,
    body: String,
}

#[derive(Queryable, Related, Debug, Clone, PartialEq)]
#[quarry(table = teams)]
struct Team {
    id: i32,
    name: String,
}

#[derive(Queryable, Related, Debug, Clone, PartialEq)]
#[quarry(table = memberships)]
struct Membership {
    user_id: i32,
    team_id: i32,
    role: String,
    joined_at: String,
}

#[derive(Queryable, Related, Debug, Clone, PartialEq)]
#[quarry(table = employees)]
struct Employee {
    id: i32,
    name: String,
    manager_id: Option<i32>,
}

#[derive(Queryable, Related, Debug, Clone, PartialEq)]
#[quarry(table = orders)]
struct Order {
    shop_id: i32,
    number: i32,
    customer: String,
}

#[derive(Queryable, Related, Debug, Clone, PartialEq)]
#[quarry(table = order_lines)]
struct OrderLine {
    id: i32,
    shop_id: i32,
    order_number: i32,
    item: String,
}

async fn seed(db: &mut Db) -> Result<(), quarry::Error> {
    db.batch(SCHEMA, SCHEMA).await
}

/// A scope that counts every statement, in any build, with a threshold
/// low enough for three-row tables.
fn scope() -> StatementScope {
    StatementScope::new().enabled(true).threshold(2)
}

/// `eager(..).load::<P>(..)`, `.load_async::<P>(..)` or
/// `EagerMysql::load_async::<P>(..)`, whichever is this backend's.
macro_rules! load_eager {
    ($db:expr, $parent:ty, $eager:expr) => {
        match $db {
            Db::Sqlite(conn) => $eager.load::<$parent>(conn),
            #[cfg(feature = "mysql")]
            Db::Mysql(conn) => {
                quarry::mysql::EagerMysql::load_async::<$parent>($eager, &*conn).await
            }
            #[cfg(feature = "postgres")]
            Db::Pg(conn) => $eager.load_async::<$parent>(conn).await,
        }
    };
}

fn titles(posts: &[Post]) -> Vec<&str> {
    posts.iter().map(|p| p.title.as_str()).collect()
}

both_backends! {
    /// The children of all parents in one statement, paired back in the
    /// parents' order; a post without comments gets an empty list.
    async fn belonging_to_and_grouped_by(db) {
        seed(db).await?;
        let scope = scope();
        let _in = scope.enter();
        let posts: Vec<Post> = db.load(posts::table.order(posts::id)).await?;
        // One reference from comments to posts: found from the tables alone.
        let comments: Vec<Comment> =
            db.load(Comment::belonging_to(&posts).order(comments::id)).await?;
        let grouped = comments.grouped_by(&posts);
        let bodies: Vec<Vec<&str>> = grouped
            .iter()
            .map(|cs| cs.iter().map(|c| c.body.as_str()).collect())
            .collect();
        assert_eq!(bodies, [vec!["Great", "More!"], vec![], vec!["Hi"]]);
        assert_eq!(scope.report().total(), 2);
        scope.report().assert_no_repeats();

        // Parents with no children at all, and no parents.
        let numbers: Vec<Post> = db.load(posts::table.filter(posts::id.eq(11))).await?;
        let none: Vec<Comment> = db.load(Comment::belonging_to(&numbers)).await?;
        assert_eq!(none.grouped_by(&numbers), [Vec::<Comment>::new()]);
        let nobody: Vec<Comment> = db.load(Comment::belonging_to(&Vec::<Post>::new())).await?;
        assert!(nobody.is_empty());
        Ok(())
    }

    /// Two references from posts to users: each is named, and each pairs
    /// posts with a different user.
    async fn a_named_reference_when_two_exist(db) {
        seed(db).await?;
        let scope = scope();
        let _in = scope.enter();
        let users: Vec<User> = db.load(users::table.order(users::id)).await?;
        let written: Vec<Post> = db
            .load(Post::belonging_to_via(posts::author, &users).order(posts::id))
            .await?;
        let by_author = written.grouped_by_via(posts::author, &users);
        assert_eq!(titles(&by_author[0]), ["Engines", "Numbers"]);
        assert_eq!(titles(&by_author[1]), ["Hello"]);
        assert!(by_author[2].is_empty());
        let edited: Vec<Post> = db
            .load(Post::belonging_to_via(posts::editor, &users).order(posts::id))
            .await?;
        let by_editor = edited.grouped_by_via(posts::editor, &users);
        assert_eq!(titles(&by_editor[0]), ["Hello"]);
        assert_eq!(titles(&by_editor[1]), ["Engines"]);
        assert!(by_editor[2].is_empty());

        let loaded: Vec<(User, Vec<Post>)> = load_eager!(
            db,
            User,
            eager(users::table.order(users::id), has_many::<Post, _>(posts::author))
        )?;
        assert_eq!(titles(&loaded[0].1), ["Engines", "Numbers"]);
        assert_eq!(scope.report().total(), 5);
        Ok(())
    }

    /// users -> posts -> comments: three statements for three levels.
    async fn a_three_level_load_runs_one_statement_per_level(db) {
        seed(db).await?;
        let scope = scope();
        let _in = scope.enter();
        let loaded: Vec<(User, Vec<(Post, Vec<Comment>)>)> = load_eager!(
            db,
            User,
            eager(
                users::table.order(users::id),
                has_many::<Post, _>(posts::author).with(has_many::<Comment, _>(comments::post)),
            )
        )?;
        assert_eq!(scope.report().total(), 3);
        scope.report().assert_no_repeats();
        let shape: Vec<(&str, Vec<(&str, usize)>)> = loaded
            .iter()
            .map(|(u, posts)| {
                (
                    u.name.as_str(),
                    posts.iter().map(|(p, c)| (p.title.as_str(), c.len())).collect(),
                )
            })
            .collect();
        assert_eq!(
            shape,
            [
                ("Ada", vec![("Engines", 2), ("Numbers", 0)]),
                ("Brian", vec![("Hello", 1)]),
                ("Chloé", vec![]),
            ]
        );
        Ok(())
    }

    /// Teams through memberships, each with the membership's role and date,
    /// from one statement that joins the association table to the teams.
    async fn many_to_many_through_an_association_with_columns(db) {
        seed(db).await?;
        let scope = scope();
        let _in = scope.enter();
        let loaded: Vec<(User, Vec<(Membership, Team)>)> = load_eager!(
            db,
            User,
            eager(
                users::table.order(users::id),
                many_to_many::<Membership, Team, _, _>(memberships::user, memberships::team),
            )
        )?;
        assert_eq!(scope.report().total(), 2);
        let mut ada: Vec<(&str, &str, &str)> = loaded[0]
            .1
            .iter()
            .map(|(m, t)| (t.name.as_str(), m.role.as_str(), m.joined_at.as_str()))
            .collect();
        ada.sort();
        assert_eq!(ada, [("Core", "lead", "2024-01-02"), ("Docs", "member", "2024-03-04")]);
        assert_eq!(loaded[1].1.len(), 1);
        assert!(loaded[2].1.is_empty());
        Ok(())
    }

    /// Many-to-one, both styles: the author of each post by its own
    /// statement (selectin), and the editor of each post joined into the
    /// posts' statement (joined).
    async fn many_to_one_in_both_styles(db) {
        seed(db).await?;
        let scope = scope();
        let _in = scope.enter();
        let posts: Vec<(Post, Option<User>)> = load_eager!(
            db,
            Post,
            eager(posts::table.order(posts::id), belongs_to::<User, _>(posts::editor))
        )?;
        assert_eq!(scope.report().total(), 2);
        let editors: Vec<Option<&str>> =
            posts.iter().map(|(_, u)| u.as_ref().map(|u| u.name.as_str())).collect();
        assert_eq!(editors, [Some("Brian"), None, Some("Ada")]);

        let users: Vec<(User, Vec<(Post, Option<User>)>)> = load_eager!(
            db,
            User,
            eager(
                users::table.order(users::id),
                has_many_joined::<Post, User, _, _>(posts::author, posts::editor),
            )
        )?;
        // Two more: the users, and their posts joined with the editors.
        assert_eq!(scope.report().total(), 4);
        let ada: Vec<(&str, Option<&str>)> = users[0]
            .1
            .iter()
            .map(|(p, e)| (p.title.as_str(), e.as_ref().map(|e| e.name.as_str())))
            .collect();
        assert_eq!(ada.len(), 2);
        assert!(ada.contains(&("Engines", Some("Brian"))));
        assert!(ada.contains(&("Numbers", None)));
        Ok(())
    }

    /// Two relations of the same rows, loaded side by side.
    async fn two_relations_of_one_level(db) {
        seed(db).await?;
        let scope = scope();
        let _in = scope.enter();
        let loaded: Vec<(User, (Vec<Post>, Vec<(Membership, Team)>))> = load_eager!(
            db,
            User,
            eager(
                users::table.order(users::id),
                (
                    has_many::<Post, _>(posts::author),
                    many_to_many::<Membership, Team, _, _>(memberships::user, memberships::team),
                ),
            )
        )?;
        assert_eq!(scope.report().total(), 3);
        assert_eq!(loaded[0].1.0.len(), 2);
        assert_eq!(loaded[0].1.1.len(), 2);
        assert_eq!(loaded[1].1.1.len(), 1);
        Ok(())
    }

    /// A composite reference: lines of orders keyed by (shop, number).
    async fn a_composite_reference(db) {
        seed(db).await?;
        let scope = scope();
        let _in = scope.enter();
        let orders: Vec<Order> =
            db.load(orders::table.order((orders::shop_id, orders::number))).await?;
        let lines: Vec<OrderLine> =
            db.load(OrderLine::belonging_to(&orders).order(order_lines::id)).await?;
        let grouped = lines.grouped_by(&orders);
        let items: Vec<Vec<&str>> = grouped
            .iter()
            .map(|ls| ls.iter().map(|l| l.item.as_str()).collect())
            .collect();
        assert_eq!(items, [vec!["apple", "pear"], vec!["kiwi"], vec!["fig"]]);

        let loaded: Vec<(Order, Vec<OrderLine>)> = load_eager!(
            db,
            Order,
            eager(
                orders::table.filter(orders::shop_id.eq(1)).order(orders::number),
                has_many::<OrderLine, _>(order_lines::order_ref),
            )
        )?;
        assert_eq!(loaded.iter().map(|(_, l)| l.len()).collect::<Vec<_>>(), [2, 1]);
        assert_eq!(scope.report().total(), 4);
        Ok(())
    }

    /// A self-reference: each manager's reports, two levels deep.
    async fn a_self_reference(db) {
        seed(db).await?;
        let scope = scope();
        let _in = scope.enter();
        let bosses: Vec<Employee> =
            db.load(employees::table.filter(employees::manager_id.is_null())).await?;
        let reports: Vec<Employee> = db
            .load(Employee::belonging_to(&bosses).order(employees::id))
            .await?;
        let grouped = reports.grouped_by(&bosses);
        assert_eq!(grouped[0].iter().map(|e| e.name.as_str()).collect::<Vec<_>>(), ["Alan", "Edsger"]);

        let tree: Vec<(Employee, Vec<(Employee, Vec<Employee>)>)> = load_eager!(
            db,
            Employee,
            eager(
                employees::table.filter(employees::manager_id.is_null()),
                has_many::<Employee, _>(employees::manager)
                    .with(has_many::<Employee, _>(employees::manager)),
            )
        )?;
        assert_eq!(tree[0].1.len(), 2);
        let alan = tree[0].1.iter().find(|(e, _)| e.name == "Alan").map(|(_, r)| r.len());
        assert_eq!(alan, Some(1));
        assert_eq!(scope.report().total(), 5);
        Ok(())
    }

    /// A loop of per-row queries is caught, with the file and line of the
    /// call that ran it; the eager load of the same data is not.
    async fn the_detector_catches_a_query_per_row(db) {
        seed(db).await?;
        let scope = scope();
        let users: Vec<User> = db.load(users::table.order(users::id)).await?;
        {
            let _in = scope.enter();
            let mut counts = Vec::new();
            for user in &users {
                let posts: Vec<Post> =
                    db.load(posts::table.filter(posts::author_id.eq(user.id))).await?;
                counts.push(posts.len());
            }
            assert_eq!(counts, [2, 1, 0]);
        }
        let report = scope.report();
        let repeated: Vec<_> = report.repeated().collect();
        assert_eq!(repeated.len(), 1);
        assert_eq!(repeated[0].count, 3);
        let from = if db.is_mysql() {
            "FROM `posts` WHERE `posts`.`author_id` = "
        } else {
            r#"FROM "posts" WHERE "posts"."author_id" = "#
        };
        assert!(repeated[0].sql.contains(from), "{}", repeated[0].sql);
        // The test helper `db.load` made the call; see the test below for
        // the user's own line.
        assert!(repeated[0].caller.is_some());
        let failed = std::panic::catch_unwind(|| report.assert_no_repeats());
        let message = failed.expect_err("a repeated statement fails the assertion");
        let message = message.downcast_ref::<String>().cloned().unwrap_or_default();
        assert!(message.contains("3 times"), "{message}");
        Ok(())
    }
}

/// The caller is the user's own line when the DSL is called directly.
#[test]
fn the_report_names_the_line_of_the_per_row_query() {
    let mut db = quarry::sqlite::Connection::open_in_memory().unwrap();
    db.execute_batch(SCHEMA).unwrap();
    let scope = scope();
    let users: Vec<User> = users::table.load(&mut db).unwrap();
    let mut line = 0;
    {
        let _in = scope.enter();
        for user in &users {
            let per_row = posts::table.filter(posts::author_id.eq(user.id));
            line = line!() + 1;
            let _: Vec<Post> = per_row.load(&mut db).unwrap();
        }
    }
    let report = scope.report();
    let repeated: Vec<_> = report.repeated().collect();
    let caller = repeated[0].caller.unwrap();
    assert_eq!((caller.file(), caller.line()), (file!(), line));
    assert!(
        repeated[0]
            .to_string()
            .contains(&format!("relations.rs:{line}"))
    );
}

/// `belonging_to`'s statement in each dialect: `IN` a JSON list on SQLite,
/// `= ANY` an array on PostgreSQL; a composite key compares row values.
#[test]
fn belonging_to_renders_for_both_dialects() {
    let users = vec![User {
        id: 1,
        name: "Ada".into(),
    }];
    let q = Post::belonging_to_via(posts::author, &users);
    assert_eq!(
        quarry::debug_query::<Sqlite, _>(q.clone()).sql(),
        r#"SELECT "posts"."id", "posts"."author_id", "posts"."editor_id", "posts"."title" FROM "posts" WHERE "posts"."author_id" IN (SELECT value FROM json_each(?))"#
    );
    assert_eq!(
        quarry::debug_query::<Pg, _>(q).sql(),
        r#"SELECT "posts"."id", "posts"."author_id", "posts"."editor_id", "posts"."title" FROM "posts" WHERE "posts"."author_id" = ANY($1)"#
    );
    let orders = vec![Order {
        shop_id: 1,
        number: 2,
        customer: "bob".into(),
    }];
    let q = OrderLine::belonging_to(&orders);
    let sqlite = quarry::debug_query::<Sqlite, _>(q.clone()).sql();
    assert!(sqlite.ends_with(r#"WHERE ("order_lines"."shop_id", "order_lines"."order_number") IN (SELECT k0.value, k1.value FROM json_each(?) AS k0 JOIN json_each(?) AS k1 ON k1.key = k0.key)"#), "{sqlite}");
    let pg = quarry::debug_query::<Pg, _>(q).sql();
    assert!(pg.ends_with(r#"WHERE ("order_lines"."shop_id", "order_lines"."order_number") IN (SELECT * FROM unnest($1, $2))"#), "{pg}");
}
