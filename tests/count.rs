//! `count()` counts the rows the query returns, on every backend: each
//! count is checked against the rows the same query loads.

mod common;

use common::{both_backends, posts, users};
use quarry::prelude::*;

/// Loads `query` and counts it, and checks that both say the same.
macro_rules! counts_its_rows {
    ($db:ident, $row:ty, $query:expr) => {{
        let n: i64 = $db.get_result($query.clone().count()).await?;
        let rows: Vec<$row> = $db.load($query).await?;
        assert_eq!(n, rows.len() as i64, "{}", stringify!($query));
        n
    }};
}

both_backends! {
    async fn a_filtered_query_counts_its_rows(db) {
        db.seed_blog().await?;
        counts_its_rows!(db, i32, posts::table.select(posts::id).filter(posts::published.eq(true)));
        counts_its_rows!(db, i32, posts::table.select(posts::id).filter(posts::views.gt(1_000_000)));
        Ok(())
    }

    async fn distinct_counts_distinct_rows(db) {
        db.seed_blog().await?;
        let authors = counts_its_rows!(db, i32, posts::table.select(posts::author_id).distinct());
        let all: i64 = db.get_result(posts::table.count()).await?;
        assert!(authors < all, "the blog has an author with two posts");
        counts_its_rows!(
            db,
            (i32, bool),
            posts::table.select((posts::author_id, posts::published)).distinct()
        );
        // A nullable column: NULLs are one distinct value.
        counts_its_rows!(db, Option<String>, users::table.select(users::email).distinct());
        Ok(())
    }

    async fn limit_and_offset_count_the_rows_they_keep(db) {
        db.seed_blog().await?;
        let all: i64 = db.get_result(posts::table.count()).await?;
        assert_eq!(counts_its_rows!(db, i32, posts::table.select(posts::id).limit(1)), 1);
        assert_eq!(counts_its_rows!(db, i32, posts::table.select(posts::id).limit(1000)), all);
        assert_eq!(
            counts_its_rows!(db, i32, posts::table.select(posts::id).order(posts::id).offset(1)),
            all - 1
        );
        assert_eq!(
            counts_its_rows!(db, i32, posts::table.select(posts::id).order(posts::id).limit(2).offset(1)),
            2.min(all - 1)
        );
        assert_eq!(
            counts_its_rows!(db, i32, posts::table.select(posts::id).order(posts::id).limit(5).offset(1000)),
            0
        );
        Ok(())
    }

    async fn a_grouped_query_counts_its_groups(db) {
        db.seed_blog().await?;
        counts_its_rows!(db, i32, posts::table.group_by(posts::author_id).select(posts::author_id));
        counts_its_rows!(
            db,
            i32,
            posts::table
                .filter(posts::published.eq(true))
                .group_by(posts::author_id)
                .select(posts::author_id)
        );
        Ok(())
    }

    async fn a_join_counts_its_rows(db) {
        db.seed_blog().await?;
        counts_its_rows!(db, (String, String), users::table.inner_join(posts::table).select((users::name, posts::title)));
        counts_its_rows!(db, (String, Option<String>), users::table.left_join(posts::table).select((users::name, posts::title)).limit(2));
        counts_its_rows!(db, String, users::table.inner_join(posts::table).select(users::name).distinct());
        // Two selected columns of one name: MariaDB refuses them in the
        // counted subquery (error 1060), and says so.
        let ids = users::table.inner_join(posts::table).select((users::id, posts::id)).distinct();
        if db.is_mysql() {
            let err = db.get_result::<_, i64>(ids.clone().count()).await.unwrap_err();
            assert!(err.to_string().contains("Duplicate column name"), "{err}");
        } else {
            counts_its_rows!(db, (i32, i32), ids);
        }
        Ok(())
    }
}

/// The SQL of each kind of count.
#[test]
fn a_query_that_keeps_its_rows_is_counted_directly_and_others_from_outside() {
    let plain = quarry::debug_query::<Sqlite, _>(
        posts::table
            .filter(posts::views.gt(1))
            .order(posts::id)
            .count(),
    );
    assert_eq!(
        plain.sql(),
        r#"SELECT COUNT(*) FROM "posts" WHERE "posts"."views" > ?"#
    );
    let limited = quarry::debug_query::<Pg, _>(posts::table.select(posts::id).limit(1).count());
    assert_eq!(
        limited.sql(),
        r#"SELECT COUNT(*) FROM (SELECT 1 FROM "posts" LIMIT $1) AS "counted""#
    );
    let distinct =
        quarry::debug_query::<Pg, _>(posts::table.select(posts::author_id).distinct().count());
    assert_eq!(
        distinct.sql(),
        r#"SELECT COUNT(*) FROM (SELECT DISTINCT "posts"."author_id" FROM "posts") AS "counted""#
    );
}
