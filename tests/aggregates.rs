//! Aggregates and GROUP BY on both backends, each checked against the same
//! query written by hand in SQL.

mod common;

use common::{both_backends, posts, users};
use quarry::expression::{avg, count, count_distinct, count_star, max, min, sum};
use quarry::prelude::*;

both_backends! {
    async fn posts_per_author_with_having_and_order_by_an_aggregate(db) {
        db.seed_blog().await?;
        let rows: Vec<(i32, i64, Option<i64>)> = db
            .load(
                posts::table
                    .group_by(posts::author_id)
                    .select((posts::author_id, count_star(), sum(posts::views)))
                    .having(count_star().ge(1_i64))
                    .order(sum(posts::views).desc()),
            )
            .await?;
        assert_eq!(rows, [(1, 2, Some(123)), (2, 1, Some(40)), (3, 1, Some(7))]);

        let only_prolific: Vec<i32> = db
            .load(
                posts::table
                    .group_by(posts::author_id)
                    .having(count_star().gt(1_i64))
                    .select(posts::author_id),
            )
            .await?;
        assert_eq!(only_prolific, [1]);
        Ok(())
    }

    async fn grouping_by_the_primary_key_makes_the_other_columns_usable(db) {
        db.seed_blog().await?;
        let rows: Vec<(String, i64, Option<i32>)> = db
            .load(
                users::table
                    .inner_join(posts::table)
                    .group_by(users::id)
                    .select((users::name, count(posts::id), max(posts::views)))
                    .order(users::name),
            )
            .await?;
        assert_eq!(
            rows,
            [
                ("Ada".to_owned(), 2, Some(120)),
                ("Brian".to_owned(), 1, Some(40)),
                ("Chloé".to_owned(), 1, Some(7)),
            ]
        );
        Ok(())
    }

    async fn aggregates_of_the_whole_table_and_over_expressions(db) {
        db.seed_blog().await?;
        let (n, authors, most, least, doubled): (i64, i64, Option<i32>, Option<i32>, Option<i64>) = db
            .get_result(posts::table.select((
                count_star(),
                count_distinct(posts::author_id),
                max(posts::views),
                min(posts::views),
                sum(posts::views * 2 + 1),
            )))
            .await?;
        assert_eq!((n, authors, most, least, doubled), (4, 3, Some(120), Some(3), Some(344)));

        // AVG of integers is a double on both backends.
        let mean: Option<f64> = db.get_result(posts::table.select(avg(posts::views))).await?;
        assert_eq!(mean, Some(42.5));

        // The sum of no rows is NULL.
        let nothing: Option<i64> = db
            .get_result(posts::table.filter(posts::views.gt(1000)).select(sum(posts::views)))
            .await?;
        assert_eq!(nothing, None);
        Ok(())
    }

    // PostgreSQL matches a selected expression to a grouped one by its text,
    // and every bind is its own `$n`, so grouped expressions here use columns.
    async fn group_by_an_expression(db) {
        db.seed_blog().await?;
        let rows: Vec<(bool, i64)> = db
            .load(
                posts::table
                    .group_by(posts::views.gt(posts::author_id * posts::author_id))
                    .select((posts::views.gt(posts::author_id * posts::author_id), count_star()))
                    .order(posts::views.gt(posts::author_id * posts::author_id)),
            )
            .await?;
        // views 120 > 1, 3 > 1, 40 > 4, 7 < 9
        assert_eq!(rows, [(false, 1), (true, 3)]);
        Ok(())
    }
}

#[test]
fn grouped_sql_for_both_dialects() {
    const SQLITE: &str = quarry::const_sql!(
        Sqlite,
        posts::table
            .filter(posts::published.eq(true))
            .group_by(posts::author_id)
            .having(sum(posts::views).gt(10_i64))
            .select((posts::author_id, avg(posts::views)))
            .order(count_star().desc())
    );
    const PG: &str = quarry::const_sql!(
        Pg,
        posts::table
            .filter(posts::published.eq(true))
            .group_by(posts::author_id)
            .having(sum(posts::views).gt(10_i64))
            .select((posts::author_id, avg(posts::views)))
            .order(count_star().desc())
    );
    assert_eq!(
        SQLITE,
        r#"SELECT "posts"."author_id", AVG("posts"."views") FROM "posts" WHERE "posts"."is_published" = ? GROUP BY "posts"."author_id" HAVING SUM("posts"."views") > ? ORDER BY COUNT(*) DESC NULLS FIRST"#
    );
    assert_eq!(
        PG,
        r#"SELECT "posts"."author_id", CAST(AVG("posts"."views") AS DOUBLE PRECISION) FROM "posts" WHERE "posts"."is_published" = $1 GROUP BY "posts"."author_id" HAVING CAST(SUM("posts"."views") AS BIGINT) > $2 ORDER BY COUNT(*) DESC"#
    );
}
