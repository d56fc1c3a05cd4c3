//! Derived tables (a subquery in FROM) on both backends: selected,
//! filtered, grouped and joined through their declared columns, each
//! checked against the same query written by hand.

mod common;

use common::{both_backends, posts, users};
use quarry::expression::{Bound, case_when, count_star, max};
use quarry::prelude::*;
use quarry::query::derived;
use quarry::sql_types::{BigInt, Integer, Nullable, Text};

quarry::table! {
    /// The shape of a derived table: published posts per author.
    author_stats (author_id) {
        author_id -> Integer,
        post_count -> BigInt,
        best -> Nullable<Integer>,
    }

    /// Posts put in buckets by a CASE.
    heat {
        post_id -> Integer,
        bucket -> Text,
    }
}

/// Published posts per author, with views above `min_views`.
macro_rules! stats {
    ($min_views:expr) => {
        derived(
            author_stats::table,
            posts::table
                .filter(posts::published.eq(true).and(posts::views.gt($min_views)))
                .group_by(posts::author_id)
                .select((posts::author_id, count_star(), max(posts::views))),
        )
    };
}

both_backends! {
    async fn a_derived_table_is_the_from_clause(db) {
        db.seed_blog().await?;
        let rows: Vec<(i32, i64)> = db
            .load(
                stats!(5)
                    .filter(author_stats::best.gt(10))
                    .select((author_stats::author_id, author_stats::post_count))
                    .order(author_stats::author_id),
            )
            .await?;
        let raw: Vec<(i32, i64)> = db
            .load_raw::<(Integer, BigInt), _>(
                "SELECT author_id, n FROM (SELECT author_id, COUNT(*) AS n, MAX(views) AS best \
                 FROM posts WHERE is_published = TRUE AND views > 5 GROUP BY author_id) s \
                 WHERE best > 10 ORDER BY author_id",
            )
            .await?;
        assert_eq!(rows, raw);
        assert_eq!(rows, [(1, 1), (2, 1)]);
        Ok(())
    }

    async fn a_left_joined_derived_table_loads_as_options(db) {
        db.seed_blog().await?;
        // Binds in the subquery, the ON condition and WHERE, in that order.
        let rows: Vec<(String, Option<i64>)> = db
            .load(
                users::table
                    .left_join(
                        stats!(30).on(author_stats::author_id
                            .eq(users::id)
                            .and(author_stats::post_count.ge(1_i64))),
                    )
                    .filter(users::id.le(3))
                    .select((users::name, author_stats::post_count))
                    .order(users::id),
            )
            .await?;
        let raw: Vec<(String, Option<i64>)> = db
            .load_raw::<(Text, Nullable<BigInt>), _>(
                "SELECT u.name, s.n FROM users u LEFT JOIN \
                 (SELECT author_id, COUNT(*) AS n FROM posts \
                  WHERE is_published = TRUE AND views > 30 GROUP BY author_id) s \
                 ON s.author_id = u.id AND s.n >= 1 WHERE u.id <= 3 ORDER BY u.id",
            )
            .await?;
        assert_eq!(rows, raw);
        assert_eq!(
            rows,
            [("Ada".to_owned(), Some(1)), ("Brian".to_owned(), Some(1)), ("Chloé".to_owned(), None)]
        );
        Ok(())
    }

    async fn grouping_by_a_case_of_bound_values_goes_through_a_derived_table(db) {
        // PostgreSQL sees `CASE WHEN views > $1 ...` in GROUP BY and the same
        // CASE with `$4` in SELECT as two expressions; grouping the derived
        // table's column is one on both backends.
        db.seed_blog().await?;
        let bucket = case_when(posts::views.gt(30), Bound::<Text, _>::new("hot")).otherwise("cold");
        let rows: Vec<(String, i64)> = db
            .load(
                derived(heat::table, posts::table.select((posts::id, bucket)))
                    .group_by(heat::bucket)
                    .select((heat::bucket, count_star()))
                    .order(heat::bucket),
            )
            .await?;
        assert_eq!(rows, [("cold".to_owned(), 2), ("hot".to_owned(), 2)]);
        Ok(())
    }

    async fn a_derived_table_named_after_the_table_it_reads(db) {
        // The two most viewed posts, as `posts`, joined to their authors;
        // then a derived table inside a derived table.
        db.seed_blog().await?;
        let top = || derived(posts::table, posts::table.order(posts::views.desc()).limit(2));
        let rows: Vec<(String, i32)> = db
            .load(
                users::table
                    .inner_join(top().on(posts::author_id.eq(users::id)))
                    .select((users::name, posts::views))
                    .order(posts::views.desc()),
            )
            .await?;
        assert_eq!(rows, [("Ada".to_owned(), 120), ("Brian".to_owned(), 40)]);
        let nested: Vec<i32> = db
            .load(derived(posts::table, top().select(posts::star)).select(posts::id).order(posts::id))
            .await?;
        assert_eq!(nested, [1, 3]);
        Ok(())
    }

    async fn a_derived_table_is_grouped_in_the_outer_query(db) {
        db.seed_blog().await?;
        let rows: Vec<(i64, i64)> = db
            .load(
                stats!(0)
                    .group_by(author_stats::post_count)
                    .select((author_stats::post_count, count_star()))
                    .order(author_stats::post_count),
            )
            .await?;
        // Ada has one published post, Brian one, Chloé one.
        assert_eq!(rows, [(1, 3)]);
        Ok(())
    }
}

#[test]
fn a_derived_table_names_its_columns_on_each_backend() {
    let q = || stats!(5).select(author_stats::author_id);
    assert_eq!(
        quarry::debug_query::<Sqlite, _>(q()).sql(),
        r#"SELECT "author_stats"."author_id" FROM (WITH "quarry_derived"("author_id", "post_count", "best") AS (SELECT "posts"."author_id", COUNT(*), MAX("posts"."views") FROM "posts" WHERE "posts"."is_published" = ? AND "posts"."views" > ? GROUP BY "posts"."author_id") SELECT * FROM "quarry_derived") AS "author_stats""#
    );
    assert_eq!(
        quarry::debug_query::<Pg, _>(q()).sql(),
        r#"SELECT "author_stats"."author_id" FROM (SELECT "posts"."author_id", COUNT(*), MAX("posts"."views") FROM "posts" WHERE "posts"."is_published" = $1 AND "posts"."views" > $2 GROUP BY "posts"."author_id") AS "author_stats"("author_id", "post_count", "best")"#
    );
}
