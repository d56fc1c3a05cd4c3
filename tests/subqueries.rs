//! Subqueries and set operations on both backends.

mod common;

use common::{both_backends, posts, users};
use quarry::expression::{count_star, max, not_exists, scalar};
use quarry::prelude::*;

both_backends! {
    async fn eq_any_and_ne_all_take_a_subquery(db) {
        db.seed_blog().await?;
        let with_published: Vec<String> = db
            .load(
                users::table
                    .filter(users::id.eq_any(posts::table.filter(posts::published.eq(true)).select(posts::author_id)))
                    .select(users::name)
                    .order(users::id),
            )
            .await?;
        assert_eq!(with_published, ["Ada", "Brian", "Chloé"]);

        let without_drafts: Vec<String> = db
            .load(
                users::table
                    .filter(users::id.ne_all(posts::table.filter(posts::published.eq(false)).select(posts::author_id)))
                    .select(users::name)
                    .order(users::id),
            )
            .await?;
        assert_eq!(without_drafts, ["Brian", "Chloé"]);
        Ok(())
    }

    async fn exists_and_not_exists_correlated(db) {
        db.seed_blog().await?;
        let popular_authors: Vec<String> = db
            .load(
                users::table
                    .filter(exists(
                        posts::table
                            .correlated_with(users::table)
                            .filter(posts::author_id.eq(users::id).and(posts::views.gt(50))),
                    ))
                    .select(users::name),
            )
            .await?;
        assert_eq!(popular_authors, ["Ada"]);

        let never_drafted: Vec<String> = db
            .load(
                users::table
                    .filter(not_exists(
                        posts::table
                            .correlated_with(users::table)
                            .filter(posts::author_id.eq(users::id).and(posts::published.eq(false))),
                    ))
                    .select(users::name)
                    .order(users::id),
            )
            .await?;
        assert_eq!(never_drafted, ["Brian", "Chloé"]);
        Ok(())
    }

    async fn scalar_subqueries_in_select_and_filter(db) {
        db.seed_blog().await?;
        // Per user: the number of their posts, a correlated scalar subquery.
        let counts: Vec<(String, Option<i64>)> = db
            .load(
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
            )
            .await?;
        assert_eq!(
            counts,
            [("Ada".to_owned(), Some(2)), ("Brian".to_owned(), Some(1)), ("Chloé".to_owned(), Some(1))]
        );

        // Posts with the most views, an uncorrelated scalar subquery.
        let top: Vec<String> = db
            .load(
                posts::table
                    .filter(posts::views.eq(scalar(posts::table.select(max(posts::views)))))
                    .select(posts::title),
            )
            .await?;
        assert_eq!(top, ["Notes on the Analytical Engine"]);
        Ok(())
    }

    async fn set_operations_combine_rows_of_one_type(db) {
        db.seed_blog().await?;
        let low = posts::table.filter(posts::views.lt(10)).select(posts::id);
        let ada = posts::table.filter(posts::author_id.eq(1)).select(posts::id);
        let mut union: Vec<i32> = db.load(low.clone().union(ada.clone())).await?;
        union.sort();
        assert_eq!(union, [1, 2, 4]);
        let mut all: Vec<i32> = db.load(low.clone().union_all(ada.clone())).await?;
        all.sort();
        assert_eq!(all, [1, 2, 2, 4]);
        let both: Vec<i32> = db.load(low.clone().intersect(ada.clone())).await?;
        assert_eq!(both, [2]);
        let only_low: Vec<i32> = db.load(low.except(ada)).await?;
        assert_eq!(only_low, [4]);
        Ok(())
    }
}

#[test]
fn subquery_sql_for_both_dialects() {
    const SQLITE: &str = quarry::const_sql!(
        Sqlite,
        users::table
            .filter(
                users::id.eq_any(
                    posts::table
                        .filter(posts::views.gt(5))
                        .select(posts::author_id)
                )
            )
            .select(users::name)
            .union(users::table.filter(users::id.eq(3)).select(users::name))
    );
    const PG: &str = quarry::const_sql!(
        Pg,
        users::table
            .filter(
                users::id.eq_any(
                    posts::table
                        .filter(posts::views.gt(5))
                        .select(posts::author_id)
                )
            )
            .select(users::name)
            .union(users::table.filter(users::id.eq(3)).select(users::name))
    );
    assert_eq!(
        SQLITE,
        r#"SELECT "users"."name" FROM "users" WHERE "users"."id" IN (SELECT "posts"."author_id" FROM "posts" WHERE "posts"."views" > ?) UNION SELECT "users"."name" FROM "users" WHERE "users"."id" = ?"#
    );
    assert_eq!(
        PG,
        r#"(SELECT "users"."name" FROM "users" WHERE "users"."id" IN (SELECT "posts"."author_id" FROM "posts" WHERE "posts"."views" > $1)) UNION (SELECT "users"."name" FROM "users" WHERE "users"."id" = $2)"#
    );
}
