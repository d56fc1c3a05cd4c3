//! Common table expressions on both backends; each checked against the
//! same query written by hand.

mod common;

use common::{both_backends, posts, users};
use quarry::expression::{Bound, cast, count_star};
use quarry::prelude::*;
use quarry::query::{with, with_recursive};
use quarry::sql_types::Integer;

quarry::table! {
    /// The shape of a CTE: posts per author.
    author_stats (author_id) {
        author_id -> Integer,
        post_count -> BigInt,
    }

    /// The shape of a recursive CTE: the numbers 1 to 5.
    numbers {
        n -> Integer,
    }
}

both_backends! {
    async fn a_cte_is_joined_like_a_table_with_typed_columns(db) {
        db.seed_blog().await?;
        let rows: Vec<(String, i64)> = db
            .load(
                with(
                    author_stats::table,
                    posts::table.group_by(posts::author_id).select((posts::author_id, count_star())),
                )
                .query(
                    users::table
                        .inner_join(author_stats::table.on(author_stats::author_id.eq(users::id)))
                        .filter(author_stats::post_count.ge(1_i64))
                        .select((users::name, author_stats::post_count))
                        .order(users::id),
                ),
            )
            .await?;
        assert_eq!(
            rows,
            [("Ada".to_owned(), 2), ("Brian".to_owned(), 1), ("Chloé".to_owned(), 1)]
        );
        Ok(())
    }

    async fn a_recursive_cte_counts_to_five(db) {
        let rows: Vec<i32> = db
            .load(
                with_recursive(
                    numbers::table,
                    select(cast::<Integer, _>(Bound::<Integer, i32>::new(1))).union_all(
                        numbers::table.filter(numbers::n.lt(5)).select(numbers::n + 1),
                    ),
                )
                .query(numbers::table.select(numbers::n).order(numbers::n)),
            )
            .await?;
        assert_eq!(rows, [1, 2, 3, 4, 5]);
        Ok(())
    }
}

#[test]
fn cte_sql_for_both_dialects() {
    const SQLITE: &str = quarry::const_sql!(
        Sqlite,
        with(
            author_stats::table,
            posts::table
                .group_by(posts::author_id)
                .select((posts::author_id, count_star()))
        )
        .query(
            author_stats::table
                .select(author_stats::post_count)
                .filter(author_stats::author_id.eq(1))
        )
    );
    assert_eq!(
        SQLITE,
        r#"WITH "author_stats"("author_id", "post_count") AS (SELECT "posts"."author_id", COUNT(*) FROM "posts" GROUP BY "posts"."author_id") SELECT "author_stats"."post_count" FROM "author_stats" WHERE "author_stats"."author_id" = ?"#
    );
}
