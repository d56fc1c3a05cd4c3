//! `LIMIT` and `OFFSET` counts: a negative one is the same error on every
//! backend, raised before the statement runs, naming the clause and not the
//! value. Left to the databases, SQLite would return every row for either,
//! MariaDB every row for a negative LIMIT and none for a negative OFFSET,
//! and PostgreSQL would refuse both.

mod common;

use common::{both_backends, load_boxed, posts};
use quarry::prelude::*;
use quarry::{Error, sql};

/// Asserts that `result` is the bind error for a negative `clause` count,
/// and that its text does not hold the count.
fn assert_negative<T: std::fmt::Debug>(result: Result<T, Error>, clause: &str, count: i64) {
    match result {
        Err(Error::Bind { message, .. }) => {
            assert_eq!(message, format!("{clause} must not be negative"));
        }
        other => panic!("expected a bind error for a negative {clause}, got {other:?}"),
    }
    let text = Error::Bind {
        index: 1,
        message: format!("{clause} must not be negative"),
    }
    .to_string();
    assert!(!text.contains(&count.to_string()), "{text}");
}

both_backends! {
    async fn negative_limit_is_an_error(db) {
        db.seed_blog().await?;
        for count in [-1, -7, i64::MIN] {
            let rows: Result<Vec<i32>, _> =
                db.load(posts::table.select(posts::id).order(posts::id).limit(count)).await;
            assert_negative(rows, "LIMIT", count);
        }
        // The connection is still usable, and a zero LIMIT is no rows.
        let none: Vec<i32> = db.load(posts::table.select(posts::id).limit(0)).await?;
        assert!(none.is_empty());
        Ok(())
    }

    async fn negative_offset_is_an_error(db) {
        db.seed_blog().await?;
        let alone: Result<Vec<i32>, _> =
            db.load(posts::table.select(posts::id).order(posts::id).offset(-1)).await;
        assert_negative(alone, "OFFSET", -1);
        let paged: Result<Vec<i32>, _> = db
            .load(posts::table.select(posts::id).order(posts::id).limit(2).offset(-3))
            .await;
        assert_negative(paged, "OFFSET", -3);
        let both: Result<Vec<i32>, _> = db
            .load(posts::table.select(posts::id).order(posts::id).limit(-2).offset(-3))
            .await;
        assert_negative(both, "LIMIT", -2);
        let ids: Vec<i32> = db
            .load(posts::table.select(posts::id).order(posts::id).limit(2).offset(1))
            .await?;
        assert_eq!(ids, [2, 3]);
        Ok(())
    }

    async fn negative_counts_in_boxed_queries(db) {
        db.seed_blog().await?;
        let limit: Result<Vec<i32>, _> = load_boxed!(db, DB => posts::table
            .select(posts::id)
            .order(posts::id)
            .into_boxed::<DB>()
            .limit(-1));
        assert_negative(limit, "LIMIT", -1);
        let offset: Result<Vec<i32>, _> = load_boxed!(db, DB => posts::table
            .select(posts::id)
            .order(posts::id)
            .into_boxed::<DB>()
            .offset(-1));
        assert_negative(offset, "OFFSET", -1);
        // A negative count given before boxing is refused too.
        let before: Result<Vec<i32>, _> = load_boxed!(db, DB => posts::table
            .select(posts::id)
            .order(posts::id)
            .limit(-4)
            .into_boxed::<DB>());
        assert_negative(before, "LIMIT", -4);
        let ids: Vec<i32> = load_boxed!(db, DB => posts::table
            .select(posts::id)
            .order(posts::id)
            .into_boxed::<DB>()
            .offset(3))?;
        assert_eq!(ids, [4]);
        Ok(())
    }

    async fn negative_counts_in_sql_macro(db) {
        db.seed_blog().await?;
        let count: i64 = -1;
        let limit: Result<Vec<i32>, _> =
            db.load(sql!("SELECT p.id FROM posts p ORDER BY p.id LIMIT {count}")).await;
        assert_negative(limit, "LIMIT", count);
        let offset: Result<Vec<i32>, _> = db
            .load(sql!("SELECT p.id FROM posts p ORDER BY p.id LIMIT 2 OFFSET {count}"))
            .await;
        assert_negative(offset, "OFFSET", count);
        Ok(())
    }
}
