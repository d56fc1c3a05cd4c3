//! `sql!`: SQL text expanded into the DSL at build time. Each query is
//! checked against the same query written with the DSL: the same SQL text
//! for SQLite and for PostgreSQL, and the same rows on both backends.

mod common;

use common::{both_backends, posts, tags, two_backends, users};
use quarry::expression::{
    Bound, avg, case_when, cast, coalesce, count, count_distinct, count_star, lower, max,
    not_exists, scalar, sum,
};
use quarry::prelude::*;
use quarry::query::{with, with_recursive};
use quarry::sql;
use quarry::sql_types::{Integer, Text};

quarry::table! {
    /// The shape of a CTE: posts per author.
    author_stats (author_id) {
        author_id -> Integer,
        post_count -> BigInt,
    }
    /// The shape of a recursive CTE.
    numbers {
        n -> Integer,
    }
}

/// Asserts that `sql!` and the DSL give the same SQL text on both
/// dialects and the same rows on this backend; evaluates to the rows.
macro_rules! same {
    ($db:ident, $row:ty, $sql:expr, $dsl:expr $(,)?) => {{
        assert_eq!(
            quarry::const_sql!(Sqlite, $sql),
            quarry::const_sql!(Sqlite, $dsl)
        );
        assert_eq!(quarry::const_sql!(Pg, $sql), quarry::const_sql!(Pg, $dsl));
        let from_sql: Vec<$row> = $db.load($sql).await?;
        let from_dsl: Vec<$row> = $db.load($dsl).await?;
        assert_eq!(from_sql, from_dsl);
        from_sql
    }};
}

both_backends! {
    async fn select_where_order_limit_offset(db) {
        db.seed_blog().await?;
        let min = 5;
        let rows = same!(
            db,
            (i32, String),
            sql!("SELECT p.id, p.title FROM posts p WHERE p.views > {min} AND p.published = TRUE ORDER BY p.id DESC LIMIT 2 OFFSET 1"),
            posts::table
                .filter(posts::views.gt(min).and(posts::published.eq(true)))
                .select((posts::id, posts::title))
                .order(posts::id.desc())
                .limit(2)
                .offset(1),
        );
        assert_eq!(rows.iter().map(|r| r.0).collect::<Vec<_>>(), [3, 1]);
        Ok(())
    }

    async fn select_star_unqualified_columns_and_operators(db) {
        db.seed_blog().await?;
        type UserRow = (i32, String, Option<String>, Option<i16>, i64, f64);
        same!(
            db,
            UserRow,
            sql!("SELECT * FROM users WHERE email IS NOT NULL AND NOT (score < 80) ORDER BY id"),
            users::table
                .filter(users::email.is_not_null().and(quarry::not(users::score.lt(80))))
                .order(users::id),
        );
        // A value on the left of a comparison is turned around.
        same!(
            db,
            String,
            sql!("SELECT name FROM users WHERE 60 < score ORDER BY id"),
            users::table.filter(users::score.gt(60)).select(users::name).order(users::id),
        );
        same!(
            db,
            i32,
            sql!("SELECT id FROM posts WHERE views BETWEEN 5 AND 50 OR title LIKE '%Engine%' ORDER BY id"),
            posts::table
                .filter(posts::views.between(5, 50).or(posts::title.like("%Engine%")))
                .select(posts::id)
                .order(posts::id),
        );
        same!(
            db,
            i32,
            sql!("SELECT id FROM posts WHERE author_id IN (1, 3) AND id NOT IN (4) ORDER BY id"),
            posts::table
                .filter(posts::author_id.eq_any([1, 3]).and(posts::id.ne_all([4])))
                .select(posts::id)
                .order(posts::id),
        );
        let ids = vec![1, 2];
        same!(
            db,
            String,
            sql!("SELECT name FROM users WHERE id = ANY({ids.clone()}) ORDER BY id"),
            users::table.filter(users::id.eq_any(ids.clone())).select(users::name).order(users::id),
        );
        same!(
            db,
            (i32, String),
            sql!("SELECT views * 2 + 1, LOWER(title) || '!' FROM posts ORDER BY id"),
            posts::table.select((posts::views * 2 + 1, lower(posts::title).concat("!"))).order(posts::id),
        );
        Ok(())
    }

    async fn negations_star_of_a_table_and_count_distinct(db) {
        db.seed_blog().await?;
        same!(
            db,
            i32,
            sql!("SELECT id FROM posts WHERE views NOT BETWEEN 5 AND 50 AND title NOT LIKE '%Draft%' ORDER BY id"),
            posts::table
                .filter(quarry::not(posts::views.between(5, 50)).and(posts::title.not_like("%Draft%")))
                .select(posts::id)
                .order(posts::id),
        );
        type UserRow = (i32, String, Option<String>, Option<i16>, i64, f64);
        same!(
            db,
            (UserRow, String),
            sql!("SELECT u.*, p.title FROM users AS u INNER JOIN posts AS p ON p.author_id = u.id WHERE p.id = 3"),
            users::table
                .inner_join(posts::table.on(posts::author_id.eq(users::id)))
                .filter(posts::id.eq(3))
                .select((users::star, posts::title)),
        );
        same!(
            db,
            i64,
            sql!("SELECT COUNT(DISTINCT author_id) FROM posts"),
            posts::table.select(count_distinct(posts::author_id)),
        );
        Ok(())
    }

    #[cfg(feature = "postgres")]
    async fn ilike_runs_on_postgres(db) {
        db.seed_blog().await?;
        let Some(conn) = db.pg() else { return Ok(()) };
        let pattern = "%ENGINE%";
        assert_eq!(
            quarry::const_sql!(Pg, sql!("SELECT id FROM posts WHERE title ILIKE {pattern}")),
            quarry::const_sql!(Pg, posts::table.filter(posts::title.ilike(pattern)).select(posts::id)),
        );
        let ids: Vec<i32> = sql!("SELECT id FROM posts WHERE title ILIKE {pattern}").load_async(conn).await?;
        assert_eq!(ids, [1]);
        Ok(())
    }

    async fn named_arguments_and_expressions_in_braces(db) {
        db.seed_blog().await?;
        let limits = (1, 100);
        same!(
            db,
            String,
            sql!("SELECT title FROM posts WHERE views >= {limits.0} AND views < {cap} ORDER BY id", cap = limits.1 + 1),
            posts::table
                .filter(posts::views.ge(limits.0).and(posts::views.lt(limits.1 + 1)))
                .select(posts::title)
                .order(posts::id),
        );
        Ok(())
    }

    async fn joins_and_nullability_after_outer_joins(db) {
        db.seed_blog().await?;
        let min = 5;
        let rows = same!(
            db,
            (String, Option<String>),
            sql!("SELECT p.title, u.name FROM posts p LEFT JOIN users u ON u.id = p.author_id WHERE p.views > {min} ORDER BY p.id"),
            posts::table
                .left_join(users::table.on(users::id.eq(posts::author_id)))
                .filter(posts::views.gt(min))
                .select((posts::title, users::name))
                .order(posts::id),
        );
        assert_eq!(rows.len(), 3);
        same!(
            db,
            (String, String),
            sql!("SELECT u.name, t.label FROM users u JOIN posts p ON p.author_id = u.id INNER JOIN tags t ON t.post_id = p.id ORDER BY t.post_id, t.label"),
            users::table
                .inner_join(posts::table.on(posts::author_id.eq(users::id)))
                .inner_join(tags::table.on(tags::post_id.eq(posts::id)))
                .select((users::name, tags::label))
                .order((tags::post_id, tags::label)),
        );
        same!(
            db,
            (Option<String>, String),
            sql!("SELECT t.label, p.title FROM tags t RIGHT JOIN posts p ON t.post_id = p.id ORDER BY p.id, t.label"),
            tags::table
                .right_join(posts::table.on(tags::post_id.eq(posts::id)))
                .select((tags::label, posts::title))
                .order((posts::id, tags::label)),
        );
        Ok(())
    }

    async fn a_table_used_twice_becomes_an_alias(db) {
        db.seed_blog().await?;
        let other = quarry::alias!(users as other);
        same!(
            db,
            (String, String),
            sql!("SELECT u.name, other.name FROM users u JOIN users other ON other.score > u.score ORDER BY u.id, other.id"),
            users::table
                .inner_join(other.on(other.field(users::score).gt(users::score)))
                .select((users::name, other.field(users::name)))
                .order((users::id, other.field(users::id))),
        );
        Ok(())
    }

    async fn group_by_having_and_aggregates(db) {
        db.seed_blog().await?;
        let rows = same!(
            db,
            (i32, i64, Option<i64>),
            sql!("SELECT author_id, COUNT(*), SUM(views) FROM posts GROUP BY author_id HAVING COUNT(*) >= 1 ORDER BY author_id"),
            posts::table
                .group_by(posts::author_id)
                .select((posts::author_id, count_star(), sum(posts::views)))
                .having(count_star().ge(1))
                .order(posts::author_id),
        );
        assert_eq!(rows[0], (1, 2, Some(123)));
        same!(
            db,
            (String, i64, Option<i32>),
            sql!("SELECT u.name, COUNT(p.id), MAX(p.views) FROM users u LEFT JOIN posts p ON p.author_id = u.id GROUP BY u.id ORDER BY u.id"),
            users::table
                .left_join(posts::table.on(posts::author_id.eq(users::id)))
                .group_by(users::id)
                .select((users::name, count(posts::id), max(posts::views)))
                .order(users::id),
        );
        same!(
            db,
            (bool, Option<f64>),
            sql!("SELECT published, AVG(views) FROM posts GROUP BY published ORDER BY published"),
            posts::table.group_by(posts::published).select((posts::published, avg(posts::views))).order(posts::published),
        );
        Ok(())
    }


    async fn subqueries_in_where_and_select(db) {
        db.seed_blog().await?;
        same!(
            db,
            String,
            sql!("SELECT u.name FROM users u WHERE u.id IN (SELECT p.author_id FROM posts p WHERE p.published = FALSE) ORDER BY u.id"),
            users::table
                .filter(users::id.eq_any(posts::table.filter(posts::published.eq(false)).select(posts::author_id)))
                .select(users::name)
                .order(users::id),
        );
        same!(
            db,
            String,
            sql!("SELECT u.name FROM users u WHERE EXISTS (SELECT p.id FROM posts p WHERE p.author_id = u.id AND p.views > 50)"),
            users::table
                .filter(quarry::exists(
                    posts::table
                        .correlated_with(users::table)
                        .filter(posts::author_id.eq(users::id).and(posts::views.gt(50)))
                        .select(posts::id),
                ))
                .select(users::name),
        );
        same!(
            db,
            String,
            sql!("SELECT u.name FROM users u WHERE NOT EXISTS (SELECT p.id FROM posts p WHERE p.author_id = u.id AND p.published = FALSE) ORDER BY u.id"),
            users::table
                .filter(not_exists(
                    posts::table
                        .correlated_with(users::table)
                        .filter(posts::author_id.eq(users::id).and(posts::published.eq(false)))
                        .select(posts::id),
                ))
                .select(users::name)
                .order(users::id),
        );
        same!(
            db,
            (String, Option<i64>),
            sql!("SELECT u.name, (SELECT COUNT(*) FROM posts p WHERE p.author_id = u.id) FROM users u ORDER BY u.id"),
            users::table
                .select((
                    users::name,
                    scalar(
                        posts::table
                            .correlated_with(users::table)
                            .filter(posts::author_id.eq(users::id))
                            .select(count_star()),
                    ),
                ))
                .order(users::id),
        );
        same!(
            db,
            String,
            sql!("SELECT title FROM posts WHERE views = (SELECT MAX(views) FROM posts)"),
            posts::table.filter(posts::views.eq(scalar(posts::table.select(max(posts::views))))).select(posts::title),
        );
        Ok(())
    }

    async fn set_operations(db) {
        db.seed_blog().await?;
        let low = || posts::table.filter(posts::views.lt(10)).select(posts::id);
        let ada = || posts::table.filter(posts::author_id.eq(1)).select(posts::id);
        let mut rows = same!(
            db,
            i32,
            sql!("SELECT id FROM posts WHERE views < 10 UNION SELECT id FROM posts WHERE author_id = 1"),
            low().union(ada()),
        );
        rows.sort();
        assert_eq!(rows, [1, 2, 4]);
        let mut rows = same!(
            db,
            i32,
            sql!("SELECT id FROM posts WHERE views < 10 UNION ALL SELECT id FROM posts WHERE author_id = 1"),
            low().union_all(ada()),
        );
        rows.sort();
        assert_eq!(rows, [1, 2, 2, 4]);
        same!(
            db,
            i32,
            sql!("SELECT id FROM posts WHERE views < 10 INTERSECT SELECT id FROM posts WHERE author_id = 1"),
            low().intersect(ada()),
        );
        same!(
            db,
            i32,
            sql!("SELECT id FROM posts WHERE views < 10 EXCEPT SELECT id FROM posts WHERE author_id = 1"),
            low().except(ada()),
        );
        Ok(())
    }

    async fn case_coalesce_and_cast(db) {
        db.seed_blog().await?;
        same!(
            db,
            (i32, String),
            sql!("SELECT id, CASE WHEN views > 100 THEN 'hot' WHEN views > 10 THEN 'warm' ELSE 'cold' END FROM posts ORDER BY id"),
            posts::table
                .select((
                    posts::id,
                    case_when(posts::views.gt(100), Bound::<Text, _>::new("hot"))
                        .when(posts::views.gt(10), "warm")
                        .otherwise("cold"),
                ))
                .order(posts::id),
        );
        same!(
            db,
            (String, String),
            sql!("SELECT name, COALESCE(email, 'none') FROM users ORDER BY id"),
            users::table.select((users::name, coalesce(users::email, "none"))).order(users::id),
        );
        same!(
            db,
            Option<i32>,
            sql!("SELECT CASE WHEN views > 100 THEN views END FROM posts ORDER BY id"),
            posts::table.select(case_when(posts::views.gt(100), posts::views)).order(posts::id),
        );
        same!(
            db,
            i64,
            sql!("SELECT CAST(views AS BIGINT) FROM posts ORDER BY id"),
            posts::table.select(cast::<quarry::sql_types::BigInt, _>(posts::views)).order(posts::id),
        );
        Ok(())
    }

    async fn common_table_expressions(db) {
        db.seed_blog().await?;
        let rows = same!(
            db,
            (String, i64),
            sql!("WITH author_stats AS (SELECT author_id, COUNT(*) FROM posts GROUP BY author_id)
                  SELECT u.name, s.post_count FROM users u JOIN author_stats s ON s.author_id = u.id
                  WHERE s.post_count >= 1 ORDER BY u.id"),
            with(
                author_stats::table,
                posts::table.group_by(posts::author_id).select((posts::author_id, count_star())),
            )
            .query(
                users::table
                    .inner_join(author_stats::table.on(author_stats::author_id.eq(users::id)))
                    .filter(author_stats::post_count.ge(1))
                    .select((users::name, author_stats::post_count))
                    .order(users::id),
            ),
        );
        assert_eq!(rows[0], ("Ada".to_owned(), 2));
        let rows = same!(
            db,
            i32,
            sql!("WITH RECURSIVE numbers AS (SELECT CAST(1 AS INTEGER) UNION ALL SELECT n + 1 FROM numbers WHERE n < 5)
                  SELECT n FROM numbers ORDER BY n"),
            with_recursive(
                numbers::table,
                quarry::select(cast::<Integer, _>(Bound::<Integer, _>::new(1)))
                    .union_all(numbers::table.filter(numbers::n.lt(5)).select(numbers::n + 1)),
            )
            .query(numbers::table.select(numbers::n).order(numbers::n)),
        );
        assert_eq!(rows, [1, 2, 3, 4, 5]);
        Ok(())
    }
}

/// The SQL text is a build-time constant, as the DSL's is.
const BY_ID: &str = quarry::const_sql!(Pg, sql!("SELECT name FROM users WHERE id = 1"));

#[test]
fn the_sql_text_is_a_build_time_constant_in_each_dialect() {
    assert_eq!(
        BY_ID,
        r#"SELECT "users"."name" FROM "users" WHERE "users"."id" = $1"#
    );
    assert_eq!(
        quarry::const_sql!(Sqlite, sql!("SELECT name FROM users WHERE id = 1")),
        r#"SELECT "users"."name" FROM "users" WHERE "users"."id" = ?"#
    );
}

quarry::table! {
    accounts (id) {
        id -> Integer,
        name -> Text,
        score -> Integer,
        note -> Nullable<Text>,
    }
}

const ACCOUNTS: &str = "CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT NOT NULL, score INTEGER NOT NULL, note TEXT)";

/// `same!` for a write: the same SQL text on both dialects, and the same
/// returned rows when the `sql!` statement runs, `$undo` reverts it, and
/// the DSL statement runs.
macro_rules! same_write {
    ($db:ident, $row:ty, $sql:expr, $dsl:expr, undo: $undo:expr $(,)?) => {{
        assert_eq!(
            quarry::const_sql!(Sqlite, $sql),
            quarry::const_sql!(Sqlite, $dsl)
        );
        assert_eq!(quarry::const_sql!(Pg, $sql), quarry::const_sql!(Pg, $dsl));
        let from_sql: Vec<$row> = $db.load($sql).await?;
        $db.run($undo).await?;
        let from_dsl: Vec<$row> = $db.load($dsl).await?;
        assert_eq!(from_sql, from_dsl);
        from_sql
    }};
}

both_backends! {}

two_backends! {
    reason = "ORDER BY a selected position does not compile for MariaDB (no NULLS FIRST/LAST to place NULLs)";
    async fn distinct_order_by_position_and_alias(db) {
        db.seed_blog().await?;
        same!(
            db,
            i32,
            sql!("SELECT DISTINCT author_id FROM posts ORDER BY author_id"),
            posts::table.select(posts::author_id).distinct().order(posts::author_id),
        );
        same!(
            db,
            (String, i32),
            sql!("SELECT title, views AS v FROM posts ORDER BY v DESC, 1"),
            posts::table
                .select((posts::title, posts::views))
                .order((posts::views.desc(), quarry::query::selected::<1>())),
        );
        Ok(())
    }
}

two_backends! {
    reason = "MariaDB has no UPDATE ... RETURNING";
    async fn insert_update_delete_with_returning(db) {
        db.batch(ACCOUNTS, ACCOUNTS).await?;
        let (id, name) = (1, "Ada");
        let rows = same_write!(
            db,
            (i32, String),
            sql!("INSERT INTO accounts (id, name, score) VALUES ({id}, {name}, 10) RETURNING id, name"),
            quarry::insert_into(accounts::table)
                .values((accounts::id.eq(id), accounts::name.eq(name), accounts::score.eq(10)))
                .returning((accounts::id, accounts::name)),
            undo: sql!("DELETE FROM accounts WHERE id = {id}"),
        );
        assert_eq!(rows, [(1, "Ada".to_owned())]);
        assert_eq!(db.run(sql!("INSERT INTO accounts (id, name, score) VALUES (2, 'Brian', 20)")).await?, 1);

        let bonus = 5;
        let rows = same_write!(
            db,
            (String, i32),
            sql!("UPDATE accounts SET score = score + {bonus}, note = 'bonus' WHERE score >= 15 RETURNING name, score"),
            quarry::update(accounts::table)
                .filter(accounts::score.ge(15))
                .set((accounts::score.eq(accounts::score + bonus), accounts::note.eq("bonus")))
                .returning((accounts::name, accounts::score)),
            undo: sql!("UPDATE accounts SET score = score - {bonus} WHERE note = 'bonus'"),
        );
        assert_eq!(rows, [("Brian".to_owned(), 25)]);

        let rows = same_write!(
            db,
            (i32, Option<String>),
            sql!("DELETE FROM accounts WHERE note IS NOT NULL RETURNING id, note"),
            quarry::delete(accounts::table)
                .filter(accounts::note.is_not_null())
                .returning((accounts::id, accounts::note)),
            undo: sql!("INSERT INTO accounts (id, name, score, note) VALUES (2, 'Brian', 25, 'bonus')"),
        );
        assert_eq!(rows, [(2, Some("bonus".to_owned()))]);
        let left: Vec<String> = db.load(sql!("SELECT name FROM accounts")).await?;
        assert_eq!(left, ["Ada"]);

        // INSERT ... SELECT, and a plain INSERT counted by `run`.
        let copy = || {
            quarry::insert_into(accounts::table).from_select(
                (accounts::id, accounts::name, accounts::score),
                accounts::table
                    .filter(accounts::id.eq(1))
                    .select((accounts::id + 10, accounts::name, accounts::score)),
            )
        };
        assert_eq!(
            quarry::const_sql!(Pg, sql!("INSERT INTO accounts (id, name, score) SELECT id + 10, name, score FROM accounts WHERE id = 1")),
            quarry::const_sql!(Pg, copy())
        );
        assert_eq!(
            quarry::const_sql!(Sqlite, sql!("INSERT INTO accounts (id, name, score) SELECT id + 10, name, score FROM accounts WHERE id = 1")),
            quarry::const_sql!(Sqlite, copy())
        );
        assert_eq!(db.run(sql!("INSERT INTO accounts (id, name, score) SELECT id + 10, name, score FROM accounts WHERE id = 1")).await?, 1);
        db.run(sql!("DELETE FROM accounts WHERE id = 11")).await?;
        assert_eq!(db.run(copy()).await?, 1);
        let ids: Vec<i32> = db.load(sql!("SELECT id FROM accounts ORDER BY id")).await?;
        assert_eq!(ids, [1, 11]);
        Ok(())
    }
}
