//! Twelve reporting queries, each run typed and as hand-written SQL through
//! the raw escape hatch on the same data, on SQLite and PostgreSQL. The
//! hand-written SQL is portable; the typed rows must equal the hand-written
//! ones exactly.
//!
//! Each typed query is written once, as a macro (`r01!()` .. `r12!()`), and
//! used both by its run-time test and by its `rNN_sql` test, which pins the
//! SQL text `const_sql!` computes at build time for each dialect.

mod common;

use common::{Db, both_backends, posts, tags, users};
use quarry::expression::{
    Bound, OverDsl, avg, case_when, count, count_star, max, not_exists, row_number, scalar, sum,
    window,
};
use quarry::prelude::*;
use quarry::query::{derived, with_recursive};
use quarry::sql_types::{BigInt, Double, Integer, Nullable, Text};

quarry::table! {
    author_stats (author_id) {
        author_id -> Integer,
        post_count -> BigInt,
        total_views -> Nullable<BigInt>,
    }
    levels {
        n -> Integer,
    }
}

/// r01: posts and total views per author, over an inner join.
macro_rules! r01 {
    () => {
        users::table
            .inner_join(posts::table)
            .group_by(users::id)
            .select((users::name, count(posts::id), sum(posts::views)))
            .order(users::id)
    };
}

/// r02: authors with more than one post, through `HAVING`.
macro_rules! r02 {
    () => {
        posts::table
            .group_by(posts::author_id)
            .having(count_star().gt(1_i64))
            .select(posts::author_id)
    };
}

/// r03: average views by publication state.
macro_rules! r03 {
    () => {
        posts::table
            .group_by(posts::published)
            .select((posts::published, avg(posts::views)))
            .order(posts::published)
    };
}

/// r04: authors without drafts, through a correlated `NOT EXISTS`.
macro_rules! r04 {
    () => {
        users::table
            .filter(not_exists(
                posts::table.correlated_with(users::table).filter(
                    posts::author_id
                        .eq(users::id)
                        .and(posts::published.eq(false)),
                ),
            ))
            .select(users::name)
            .order(users::id)
    };
}

/// r05: authors of popular posts, through an `IN` subquery.
macro_rules! r05 {
    () => {
        users::table
            .filter(
                users::id.eq_any(
                    posts::table
                        .filter(posts::views.gt(30))
                        .select(posts::author_id),
                ),
            )
            .select(users::name)
            .order(users::id)
    };
}

/// r06: per-author stats of published posts from a derived table (a
/// subquery in FROM), joined to users.
macro_rules! r06 {
    () => {
        users::table
            .inner_join(
                derived(
                    author_stats::table,
                    posts::table
                        .filter(posts::published.eq(true))
                        .group_by(posts::author_id)
                        .select((posts::author_id, count_star(), sum(posts::views))),
                )
                .on(author_stats::author_id.eq(users::id)),
            )
            .filter(author_stats::total_views.gt(10_i64))
            .select((
                users::name,
                author_stats::post_count,
                author_stats::total_views,
            ))
            .order(users::id)
    };
}

/// r07: post counts at view thresholds from a recursive CTE.
macro_rules! r07 {
    () => {
        with_recursive(
            levels::table,
            select(quarry::expression::cast::<Integer, _>(
                Bound::<Integer, i32>::new(1),
            ))
            .union_all(
                levels::table
                    .filter(levels::n.lt(100))
                    .select(levels::n * 10),
            ),
        )
        .query(
            levels::table
                .inner_join(posts::table.on(posts::views.ge(levels::n)))
                .group_by(levels::n)
                .select((levels::n, count_star()))
                .order(levels::n),
        )
    };
}

/// r08: each post's heat, through `CASE`.
macro_rules! r08 {
    () => {
        posts::table
            .select((
                posts::title,
                case_when(posts::views.gt(100), Bound::<Text, _>::new("hot"))
                    .when(posts::views.gt(10), "warm")
                    .otherwise("cold"),
            ))
            .order(posts::id)
    };
}

/// r09: each post's rank within its author's posts, through a window.
macro_rules! r09 {
    () => {
        posts::table
            .select((
                posts::title,
                row_number().over(
                    window()
                        .partition_by(posts::author_id)
                        .order_by(posts::views.desc()),
                ),
            ))
            .order(posts::id)
    };
}

/// r10: each user's best post's views, through a scalar subquery.
macro_rules! r10 {
    () => {
        users::table
            .select((
                users::name,
                scalar(
                    posts::table
                        .correlated_with(users::table)
                        .filter(posts::author_id.eq(users::id))
                        .select(max(posts::views)),
                ),
            ))
            .order(users::id)
    };
}

/// r11: tags per author across three tables.
macro_rules! r11 {
    () => {
        users::table
            .inner_join(posts::table)
            .left_join(tags::table)
            .group_by(users::id)
            .select((users::name, count(tags::label)))
            .order(users::id)
    };
}

/// r12: authors of little-read posts `UNION` users with an email.
macro_rules! r12 {
    () => {
        posts::table
            .inner_join(users::table)
            .filter(posts::views.lt(10))
            .select(users::name)
            .union(
                users::table
                    .filter(users::email.is_not_null())
                    .select(users::name),
            )
    };
}

/// r13: grouping by the key and, redundantly, by columns it determines
/// (functional dependencies): the key decides the groups, the other
/// grouped columns may be selected, as may the ones left out.
macro_rules! r13 {
    () => {
        users::table
            .inner_join(posts::table)
            .group_by((users::id, users::name, users::email))
            .select((users::name, users::email, users::score, count(posts::id)))
            .order(users::id)
    };
}

/// r14: grouping by the keys of two joined tables: every column of both
/// may be selected.
macro_rules! r14 {
    () => {
        users::table
            .inner_join(posts::table)
            .left_join(tags::table)
            .group_by((posts::id, users::id))
            .select((users::name, posts::title, posts::views, count(tags::label)))
            .order(posts::id)
    };
}

/// Runs the typed query and the hand-written SQL and checks they agree.
macro_rules! same_rows {
    ($db:expr, $st:ty, $rust:ty, $typed:expr, $sql:expr) => {{
        let typed: Vec<$rust> = $db.load($typed).await?;
        let raw: Vec<$rust> = $db.load_raw::<$st, $rust>($sql).await?;
        assert_eq!(
            typed,
            raw,
            "typed query and hand-written SQL differ on {}",
            $db.backend()
        );
        assert!(!typed.is_empty(), "a report with no rows proves little");
        typed
    }};
}

async fn seeded(db: &mut Db) -> Result<(), quarry::Error> {
    db.seed_blog().await
}

both_backends! {
    async fn r13_grouping_by_a_key_and_the_columns_it_determines(db) {
        seeded(db).await?;
        same_rows!(
            db, (Text, Nullable<Text>, BigInt, BigInt), (String, Option<String>, i64, i64),
            r13!(),
            "SELECT u.name, u.email, u.score, COUNT(p.id) FROM users u \
             INNER JOIN posts p ON p.author_id = u.id GROUP BY u.id, u.name, u.email ORDER BY u.id"
        );
        Ok(())
    }

    async fn r14_grouping_by_the_keys_of_two_joined_tables(db) {
        seeded(db).await?;
        same_rows!(
            db, (Text, Text, Integer, BigInt), (String, String, i32, i64),
            r14!(),
            "SELECT u.name, p.title, p.views, COUNT(t.label) FROM users u \
             INNER JOIN posts p ON p.author_id = u.id LEFT JOIN post_tags t ON t.post_id = p.id \
             GROUP BY p.id, u.id, u.name, p.title, p.views ORDER BY p.id"
        );
        Ok(())
    }

    async fn r01_posts_and_views_per_author(db) {
        seeded(db).await?;
        same_rows!(
            db, (Text, BigInt, Nullable<BigInt>), (String, i64, Option<i64>),
            r01!(),
            "SELECT u.name, COUNT(p.id), CAST(SUM(p.views) AS BIGINT) FROM users u \
             INNER JOIN posts p ON p.author_id = u.id GROUP BY u.id, u.name ORDER BY u.id"
        );
        Ok(())
    }

    async fn r02_prolific_authors_with_having(db) {
        seeded(db).await?;
        same_rows!(
            db, Integer, i32,
            r02!(),
            "SELECT author_id FROM posts GROUP BY author_id HAVING COUNT(*) > 1"
        );
        Ok(())
    }

    async fn r03_average_views_by_publication_state(db) {
        seeded(db).await?;
        same_rows!(
            db, (quarry::sql_types::Bool, Nullable<Double>), (bool, Option<f64>),
            r03!(),
            "SELECT is_published, CAST(AVG(views) AS DOUBLE PRECISION) FROM posts \
             GROUP BY is_published ORDER BY is_published"
        );
        Ok(())
    }

    async fn r04_authors_without_drafts_correlated_not_exists(db) {
        seeded(db).await?;
        same_rows!(
            db, Text, String,
            r04!(),
            "SELECT name FROM users u WHERE NOT EXISTS \
             (SELECT 1 FROM posts p WHERE p.author_id = u.id AND p.is_published = FALSE) ORDER BY u.id"
        );
        Ok(())
    }

    async fn r05_authors_of_popular_posts_in_subquery(db) {
        seeded(db).await?;
        same_rows!(
            db, Text, String,
            r05!(),
            "SELECT name FROM users WHERE id IN (SELECT author_id FROM posts WHERE views > 30) ORDER BY id"
        );
        Ok(())
    }

    async fn r06_derived_table_of_author_stats_joined_to_users(db) {
        seeded(db).await?;
        same_rows!(
            db, (Text, BigInt, Nullable<BigInt>), (String, i64, Option<i64>),
            r06!(),
            "SELECT u.name, s.post_count, s.total_views FROM users u INNER JOIN \
             (SELECT author_id, COUNT(*) AS post_count, CAST(SUM(views) AS BIGINT) AS total_views \
              FROM posts WHERE is_published = TRUE GROUP BY author_id) s ON s.author_id = u.id \
             WHERE s.total_views > 10 ORDER BY u.id"
        );
        Ok(())
    }

    async fn r07_view_thresholds_from_a_recursive_cte(db) {
        seeded(db).await?;
        same_rows!(
            db, (Integer, BigInt), (i32, i64),
            r07!(),
            "WITH RECURSIVE levels(n) AS (SELECT 1 UNION ALL SELECT n * 10 FROM levels WHERE n < 100) \
             SELECT l.n, COUNT(*) FROM levels l INNER JOIN posts p ON p.views >= l.n \
             GROUP BY l.n ORDER BY l.n"
        );
        Ok(())
    }

    async fn r08_posts_by_heat_with_case(db) {
        seeded(db).await?;
        same_rows!(
            db, (Text, Text), (String, String),
            r08!(),
            "SELECT title, CASE WHEN views > 100 THEN 'hot' WHEN views > 10 THEN 'warm' ELSE 'cold' END \
             FROM posts ORDER BY id"
        );
        Ok(())
    }

    async fn r09_rank_of_posts_within_each_author(db) {
        seeded(db).await?;
        same_rows!(
            db, (Text, BigInt), (String, i64),
            r09!(),
            "SELECT title, ROW_NUMBER() OVER (PARTITION BY author_id ORDER BY views DESC) \
             FROM posts ORDER BY id"
        );
        Ok(())
    }

    async fn r10_each_users_best_post_as_a_scalar_subquery(db) {
        seeded(db).await?;
        same_rows!(
            db, (Text, Nullable<Integer>), (String, Option<i32>),
            r10!(),
            "SELECT u.name, (SELECT MAX(p.views) FROM posts p WHERE p.author_id = u.id) FROM users u ORDER BY u.id"
        );
        Ok(())
    }

    async fn r11_tags_per_author_across_three_tables(db) {
        seeded(db).await?;
        same_rows!(
            db, (Text, BigInt), (String, i64),
            r11!(),
            "SELECT u.name, COUNT(t.label) FROM users u INNER JOIN posts p ON p.author_id = u.id \
             LEFT JOIN post_tags t ON t.post_id = p.id GROUP BY u.id, u.name ORDER BY u.id"
        );
        Ok(())
    }

    async fn r12_union_of_published_authors_and_users_with_email(db) {
        seeded(db).await?;
        let mut rows: Vec<String> = db.load(r12!()).await?;
        let mut raw: Vec<String> = db
            .load_raw::<Text, String>(
                "SELECT u.name FROM posts p INNER JOIN users u ON p.author_id = u.id WHERE p.views < 10 \
                 UNION SELECT name FROM users WHERE email IS NOT NULL",
            )
            .await?;
        rows.sort();
        raw.sort();
        assert_eq!(rows, raw);
        assert_eq!(rows, ["Ada", "Chloé"]);
        Ok(())
    }
}

// The SQL each report's typed query renders to, read from an associated
// const: the text is computed when the test is built, for each dialect.

#[test]
fn r01_sql() {
    const SQLITE: &str = quarry::const_sql!(Sqlite, r01!());
    const PG: &str = quarry::const_sql!(Pg, r01!());
    assert_eq!(
        SQLITE,
        r#"SELECT "users"."name", COUNT("posts"."id"), SUM("posts"."views") FROM "users" INNER JOIN "posts" ON "posts"."author_id" = "users"."id" GROUP BY "users"."id" ORDER BY "users"."id" NULLS LAST"#
    );
    assert_eq!(
        PG,
        r#"SELECT "users"."name", COUNT("posts"."id"), CAST(SUM("posts"."views") AS BIGINT) FROM "users" INNER JOIN "posts" ON "posts"."author_id" = "users"."id" GROUP BY "users"."id" ORDER BY "users"."id""#
    );
}

#[test]
fn r02_sql() {
    const SQLITE: &str = quarry::const_sql!(Sqlite, r02!());
    const PG: &str = quarry::const_sql!(Pg, r02!());
    assert_eq!(
        SQLITE,
        r#"SELECT "posts"."author_id" FROM "posts" GROUP BY "posts"."author_id" HAVING COUNT(*) > ?"#
    );
    assert_eq!(
        PG,
        r#"SELECT "posts"."author_id" FROM "posts" GROUP BY "posts"."author_id" HAVING COUNT(*) > $1"#
    );
}

#[test]
fn r03_sql() {
    const SQLITE: &str = quarry::const_sql!(Sqlite, r03!());
    const PG: &str = quarry::const_sql!(Pg, r03!());
    assert_eq!(
        SQLITE,
        r#"SELECT "posts"."is_published", AVG("posts"."views") FROM "posts" GROUP BY "posts"."is_published" ORDER BY "posts"."is_published" NULLS LAST"#
    );
    assert_eq!(
        PG,
        r#"SELECT "posts"."is_published", CAST(AVG("posts"."views") AS DOUBLE PRECISION) FROM "posts" GROUP BY "posts"."is_published" ORDER BY "posts"."is_published""#
    );
}

#[test]
fn r04_sql() {
    const SQLITE: &str = quarry::const_sql!(Sqlite, r04!());
    const PG: &str = quarry::const_sql!(Pg, r04!());
    assert_eq!(
        SQLITE,
        r#"SELECT "users"."name" FROM "users" WHERE NOT EXISTS (SELECT 1 FROM "posts" WHERE "posts"."author_id" = "users"."id" AND "posts"."is_published" = ?) ORDER BY "users"."id" NULLS LAST"#
    );
    assert_eq!(
        PG,
        r#"SELECT "users"."name" FROM "users" WHERE NOT EXISTS (SELECT 1 FROM "posts" WHERE "posts"."author_id" = "users"."id" AND "posts"."is_published" = $1) ORDER BY "users"."id""#
    );
}

#[test]
fn r05_sql() {
    const SQLITE: &str = quarry::const_sql!(Sqlite, r05!());
    const PG: &str = quarry::const_sql!(Pg, r05!());
    assert_eq!(
        SQLITE,
        r#"SELECT "users"."name" FROM "users" WHERE "users"."id" IN (SELECT "posts"."author_id" FROM "posts" WHERE "posts"."views" > ?) ORDER BY "users"."id" NULLS LAST"#
    );
    assert_eq!(
        PG,
        r#"SELECT "users"."name" FROM "users" WHERE "users"."id" IN (SELECT "posts"."author_id" FROM "posts" WHERE "posts"."views" > $1) ORDER BY "users"."id""#
    );
}

#[test]
fn r06_sql() {
    const SQLITE: &str = quarry::const_sql!(Sqlite, r06!());
    const PG: &str = quarry::const_sql!(Pg, r06!());
    // SQLite cannot name a subquery's columns in its alias, so the derived
    // table holds a CTE that does.
    assert_eq!(
        SQLITE,
        r#"SELECT "users"."name", "author_stats"."post_count", "author_stats"."total_views" FROM "users" INNER JOIN (WITH "quarry_derived"("author_id", "post_count", "total_views") AS (SELECT "posts"."author_id", COUNT(*), SUM("posts"."views") FROM "posts" WHERE "posts"."is_published" = ? GROUP BY "posts"."author_id") SELECT * FROM "quarry_derived") AS "author_stats" ON "author_stats"."author_id" = "users"."id" WHERE "author_stats"."total_views" > ? ORDER BY "users"."id" NULLS LAST"#
    );
    assert_eq!(
        PG,
        r#"SELECT "users"."name", "author_stats"."post_count", "author_stats"."total_views" FROM "users" INNER JOIN (SELECT "posts"."author_id", COUNT(*), CAST(SUM("posts"."views") AS BIGINT) FROM "posts" WHERE "posts"."is_published" = $1 GROUP BY "posts"."author_id") AS "author_stats"("author_id", "post_count", "total_views") ON "author_stats"."author_id" = "users"."id" WHERE "author_stats"."total_views" > $2 ORDER BY "users"."id""#
    );
}

#[test]
fn r07_sql() {
    const SQLITE: &str = quarry::const_sql!(Sqlite, r07!());
    const PG: &str = quarry::const_sql!(Pg, r07!());
    assert_eq!(
        SQLITE,
        r#"WITH RECURSIVE "levels"("n") AS (SELECT CAST(? AS INTEGER) UNION ALL SELECT "levels"."n" * ? FROM "levels" WHERE "levels"."n" < ?) SELECT "levels"."n", COUNT(*) FROM "levels" INNER JOIN "posts" ON "posts"."views" >= "levels"."n" GROUP BY "levels"."n" ORDER BY "levels"."n" NULLS LAST"#
    );
    assert_eq!(
        PG,
        r#"WITH RECURSIVE "levels"("n") AS ((SELECT CAST($1 AS INTEGER)) UNION ALL (SELECT "levels"."n" * $2 FROM "levels" WHERE "levels"."n" < $3)) SELECT "levels"."n", COUNT(*) FROM "levels" INNER JOIN "posts" ON "posts"."views" >= "levels"."n" GROUP BY "levels"."n" ORDER BY "levels"."n""#
    );
}

#[test]
fn r08_sql() {
    const SQLITE: &str = quarry::const_sql!(Sqlite, r08!());
    const PG: &str = quarry::const_sql!(Pg, r08!());
    assert_eq!(
        SQLITE,
        r#"SELECT "posts"."title", CASE WHEN "posts"."views" > ? THEN ? WHEN "posts"."views" > ? THEN ? ELSE ? END FROM "posts" ORDER BY "posts"."id" NULLS LAST"#
    );
    assert_eq!(
        PG,
        r#"SELECT "posts"."title", CASE WHEN "posts"."views" > $1 THEN $2 WHEN "posts"."views" > $3 THEN $4 ELSE $5 END FROM "posts" ORDER BY "posts"."id""#
    );
}

#[test]
fn r09_sql() {
    const SQLITE: &str = quarry::const_sql!(Sqlite, r09!());
    const PG: &str = quarry::const_sql!(Pg, r09!());
    assert_eq!(
        SQLITE,
        r#"SELECT "posts"."title", ROW_NUMBER() OVER (PARTITION BY "posts"."author_id" ORDER BY "posts"."views" DESC NULLS FIRST) FROM "posts" ORDER BY "posts"."id" NULLS LAST"#
    );
    assert_eq!(
        PG,
        r#"SELECT "posts"."title", ROW_NUMBER() OVER (PARTITION BY "posts"."author_id" ORDER BY "posts"."views" DESC) FROM "posts" ORDER BY "posts"."id""#
    );
}

#[test]
fn r10_sql() {
    const SQLITE: &str = quarry::const_sql!(Sqlite, r10!());
    const PG: &str = quarry::const_sql!(Pg, r10!());
    assert_eq!(
        SQLITE,
        r#"SELECT "users"."name", (SELECT MAX("posts"."views") FROM "posts" WHERE "posts"."author_id" = "users"."id") FROM "users" ORDER BY "users"."id" NULLS LAST"#
    );
    assert_eq!(
        PG,
        r#"SELECT "users"."name", (SELECT MAX("posts"."views") FROM "posts" WHERE "posts"."author_id" = "users"."id") FROM "users" ORDER BY "users"."id""#
    );
}

#[test]
fn r11_sql() {
    const SQLITE: &str = quarry::const_sql!(Sqlite, r11!());
    const PG: &str = quarry::const_sql!(Pg, r11!());
    assert_eq!(
        SQLITE,
        r#"SELECT "users"."name", COUNT("post_tags"."label") FROM "users" INNER JOIN "posts" ON "posts"."author_id" = "users"."id" LEFT JOIN "post_tags" ON "post_tags"."post_id" = "posts"."id" GROUP BY "users"."id" ORDER BY "users"."id" NULLS LAST"#
    );
    assert_eq!(
        PG,
        r#"SELECT "users"."name", COUNT("post_tags"."label") FROM "users" INNER JOIN "posts" ON "posts"."author_id" = "users"."id" LEFT JOIN "post_tags" ON "post_tags"."post_id" = "posts"."id" GROUP BY "users"."id" ORDER BY "users"."id""#
    );
}

#[test]
fn r12_sql() {
    const SQLITE: &str = quarry::const_sql!(Sqlite, r12!());
    const PG: &str = quarry::const_sql!(Pg, r12!());
    assert_eq!(
        SQLITE,
        r#"SELECT "users"."name" FROM "posts" INNER JOIN "users" ON "posts"."author_id" = "users"."id" WHERE "posts"."views" < ? UNION SELECT "users"."name" FROM "users" WHERE "users"."email" IS NOT NULL"#
    );
    assert_eq!(
        PG,
        r#"(SELECT "users"."name" FROM "posts" INNER JOIN "users" ON "posts"."author_id" = "users"."id" WHERE "posts"."views" < $1) UNION (SELECT "users"."name" FROM "users" WHERE "users"."email" IS NOT NULL)"#
    );
}

#[test]
fn r13_sql() {
    const SQLITE: &str = quarry::const_sql!(Sqlite, r13!());
    const PG: &str = quarry::const_sql!(Pg, r13!());
    assert_eq!(
        SQLITE,
        r#"SELECT "users"."name", "users"."email", "users"."score", COUNT("posts"."id") FROM "users" INNER JOIN "posts" ON "posts"."author_id" = "users"."id" GROUP BY "users"."id", "users"."name", "users"."email" ORDER BY "users"."id" NULLS LAST"#
    );
    assert_eq!(
        PG,
        r#"SELECT "users"."name", "users"."email", "users"."score", COUNT("posts"."id") FROM "users" INNER JOIN "posts" ON "posts"."author_id" = "users"."id" GROUP BY "users"."id", "users"."name", "users"."email" ORDER BY "users"."id""#
    );
}

#[test]
fn r14_sql() {
    const SQLITE: &str = quarry::const_sql!(Sqlite, r14!());
    const PG: &str = quarry::const_sql!(Pg, r14!());
    assert_eq!(
        SQLITE,
        r#"SELECT "users"."name", "posts"."title", "posts"."views", COUNT("post_tags"."label") FROM "users" INNER JOIN "posts" ON "posts"."author_id" = "users"."id" LEFT JOIN "post_tags" ON "post_tags"."post_id" = "posts"."id" GROUP BY "posts"."id", "users"."id" ORDER BY "posts"."id" NULLS LAST"#
    );
    assert_eq!(
        PG,
        r#"SELECT "users"."name", "posts"."title", "posts"."views", COUNT("post_tags"."label") FROM "users" INNER JOIN "posts" ON "posts"."author_id" = "users"."id" LEFT JOIN "post_tags" ON "post_tags"."post_id" = "posts"."id" GROUP BY "posts"."id", "users"."id" ORDER BY "posts"."id""#
    );
}
