//! Twelve reporting queries, each run typed and as hand-written SQL through
//! the raw escape hatch on the same data, on SQLite and PostgreSQL. The
//! hand-written SQL is next to each query and is portable; the typed rows
//! must equal the hand-written ones exactly.

mod common;

use common::{Db, both_backends, posts, tags, users};
use quarry::expression::{
    Bound, OverDsl, avg, case_when, count, count_star, max, not_exists, row_number, scalar, sum,
    window,
};
use quarry::prelude::*;
use quarry::query::{with, with_recursive};
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
    async fn r01_posts_and_views_per_author(db) {
        seeded(db).await?;
        same_rows!(
            db, (Text, BigInt, Nullable<BigInt>), (String, i64, Option<i64>),
            users::table
                .inner_join(posts::table)
                .group_by(users::id)
                .select((users::name, count(posts::id), sum(posts::views)))
                .order(users::id),
            "SELECT u.name, COUNT(p.id), CAST(SUM(p.views) AS BIGINT) FROM users u \
             INNER JOIN posts p ON p.author_id = u.id GROUP BY u.id, u.name ORDER BY u.id"
        );
        Ok(())
    }

    async fn r02_prolific_authors_with_having(db) {
        seeded(db).await?;
        same_rows!(
            db, Integer, i32,
            posts::table.group_by(posts::author_id).having(count_star().gt(1_i64)).select(posts::author_id),
            "SELECT author_id FROM posts GROUP BY author_id HAVING COUNT(*) > 1"
        );
        Ok(())
    }

    async fn r03_average_views_by_publication_state(db) {
        seeded(db).await?;
        same_rows!(
            db, (quarry::sql_types::Bool, Nullable<Double>), (bool, Option<f64>),
            posts::table
                .group_by(posts::published)
                .select((posts::published, avg(posts::views)))
                .order(posts::published),
            "SELECT is_published, CAST(AVG(views) AS DOUBLE PRECISION) FROM posts \
             GROUP BY is_published ORDER BY is_published"
        );
        Ok(())
    }

    async fn r04_authors_without_drafts_correlated_not_exists(db) {
        seeded(db).await?;
        same_rows!(
            db, Text, String,
            users::table
                .filter(not_exists(
                    posts::table
                        .correlated_with(users::table)
                        .filter(posts::author_id.eq(users::id).and(posts::published.eq(false))),
                ))
                .select(users::name)
                .order(users::id),
            "SELECT name FROM users u WHERE NOT EXISTS \
             (SELECT 1 FROM posts p WHERE p.author_id = u.id AND p.is_published = FALSE) ORDER BY u.id"
        );
        Ok(())
    }

    async fn r05_authors_of_popular_posts_in_subquery(db) {
        seeded(db).await?;
        same_rows!(
            db, Text, String,
            users::table
                .filter(users::id.eq_any(posts::table.filter(posts::views.gt(30)).select(posts::author_id)))
                .select(users::name)
                .order(users::id),
            "SELECT name FROM users WHERE id IN (SELECT author_id FROM posts WHERE views > 30) ORDER BY id"
        );
        Ok(())
    }

    async fn r06_derived_table_of_author_stats_joined_to_users(db) {
        seeded(db).await?;
        same_rows!(
            db, (Text, BigInt, Nullable<BigInt>), (String, i64, Option<i64>),
            with(
                author_stats::table,
                posts::table
                    .group_by(posts::author_id)
                    .select((posts::author_id, count_star(), sum(posts::views))),
            )
            .query(
                users::table
                    .inner_join(author_stats::table.on(author_stats::author_id.eq(users::id)))
                    .filter(author_stats::total_views.gt(10_i64))
                    .select((users::name, author_stats::post_count, author_stats::total_views))
                    .order(users::id),
            ),
            "SELECT u.name, s.post_count, s.total_views FROM users u INNER JOIN \
             (SELECT author_id, COUNT(*) AS post_count, CAST(SUM(views) AS BIGINT) AS total_views \
              FROM posts GROUP BY author_id) s ON s.author_id = u.id \
             WHERE s.total_views > 10 ORDER BY u.id"
        );
        Ok(())
    }

    async fn r07_view_thresholds_from_a_recursive_cte(db) {
        seeded(db).await?;
        same_rows!(
            db, (Integer, BigInt), (i32, i64),
            with_recursive(
                levels::table,
                select(quarry::expression::cast::<Integer, _>(Bound::<Integer, i32>::new(1)))
                    .union_all(levels::table.filter(levels::n.lt(100)).select(levels::n * 10)),
            )
            .query(
                levels::table
                    .inner_join(posts::table.on(posts::views.ge(levels::n)))
                    .group_by(levels::n)
                    .select((levels::n, count_star()))
                    .order(levels::n),
            ),
            "WITH RECURSIVE levels(n) AS (SELECT 1 UNION ALL SELECT n * 10 FROM levels WHERE n < 100) \
             SELECT l.n, COUNT(*) FROM levels l INNER JOIN posts p ON p.views >= l.n \
             GROUP BY l.n ORDER BY l.n"
        );
        Ok(())
    }

    async fn r08_posts_by_heat_with_case(db) {
        seeded(db).await?;
        let heat = || {
            case_when(posts::views.gt(100), Bound::<Text, _>::new("hot"))
                .when(posts::views.gt(10), "warm")
                .otherwise("cold")
        };
        same_rows!(
            db, (Text, Text), (String, String),
            posts::table.select((posts::title, heat())).order(posts::id),
            "SELECT title, CASE WHEN views > 100 THEN 'hot' WHEN views > 10 THEN 'warm' ELSE 'cold' END \
             FROM posts ORDER BY id"
        );
        Ok(())
    }

    async fn r09_rank_of_posts_within_each_author(db) {
        seeded(db).await?;
        same_rows!(
            db, (Text, BigInt), (String, i64),
            posts::table
                .select((
                    posts::title,
                    row_number().over(window().partition_by(posts::author_id).order_by(posts::views.desc())),
                ))
                .order(posts::id),
            "SELECT title, ROW_NUMBER() OVER (PARTITION BY author_id ORDER BY views DESC) \
             FROM posts ORDER BY id"
        );
        Ok(())
    }

    async fn r10_each_users_best_post_as_a_scalar_subquery(db) {
        seeded(db).await?;
        same_rows!(
            db, (Text, Nullable<Integer>), (String, Option<i32>),
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
                .order(users::id),
            "SELECT u.name, (SELECT MAX(p.views) FROM posts p WHERE p.author_id = u.id) FROM users u ORDER BY u.id"
        );
        Ok(())
    }

    async fn r11_tags_per_author_across_three_tables(db) {
        seeded(db).await?;
        same_rows!(
            db, (Text, BigInt), (String, i64),
            users::table
                .inner_join(posts::table)
                .left_join(tags::table)
                .group_by(users::id)
                .select((users::name, count(tags::label)))
                .order(users::id),
            "SELECT u.name, COUNT(t.label) FROM users u INNER JOIN posts p ON p.author_id = u.id \
             LEFT JOIN post_tags t ON t.post_id = p.id GROUP BY u.id, u.name ORDER BY u.id"
        );
        Ok(())
    }

    async fn r12_union_of_published_authors_and_users_with_email(db) {
        seeded(db).await?;
        let typed = posts::table
            .inner_join(users::table)
            .filter(posts::views.lt(10))
            .select(users::name)
            .union(users::table.filter(users::email.is_not_null()).select(users::name));
        let mut rows: Vec<String> = db.load(typed).await?;
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

#[test]
fn each_report_has_its_sql_at_build_time() {
    const R02: &str = quarry::const_sql!(
        Pg,
        posts::table
            .group_by(posts::author_id)
            .having(count_star().gt(1_i64))
            .select(posts::author_id)
    );
    assert_eq!(
        R02,
        r#"SELECT "posts"."author_id" FROM "posts" GROUP BY "posts"."author_id" HAVING COUNT(*) > $1"#
    );
    const R09: &str = quarry::const_sql!(
        Sqlite,
        posts::table.select((
            posts::title,
            row_number().over(
                window()
                    .partition_by(posts::author_id)
                    .order_by(posts::views.desc())
            ),
        ))
    );
    assert_eq!(
        R09,
        r#"SELECT "posts"."title", ROW_NUMBER() OVER (PARTITION BY "posts"."author_id" ORDER BY "posts"."views" DESC) FROM "posts""#
    );
}
