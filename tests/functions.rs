//! SQL functions and expressions on both backends: CASE, COALESCE, CAST,
//! string and date functions, declared functions and window functions.
//!
//! `Db` has no raw query that returns rows, so each result is compared
//! with rows worked out by hand from the blog's seed data
//! (`tests/common/mod.rs`).

mod common;

use common::{both_backends, posts, users};
use quarry::expression::{
    CastExpressionMethods, OverDsl, add_days, case_when, cast, coalesce, count_star, length, lower,
    rank, row_number, substring, sum, trim, upper, window,
};
use quarry::expression::{month, year};
use quarry::prelude::*;
use quarry::sql_types::{BigInt, Text};

quarry::table! {
    events (id) {
        id -> Integer,
        day -> Date,
        at -> Timestamp,
    }
}

both_backends! {
    #[cfg(feature = "chrono")]
    async fn date_parts_and_adding_days(db) {
        db.batch(
            "CREATE TABLE events (id INTEGER PRIMARY KEY, day TEXT NOT NULL, at TEXT NOT NULL);
             INSERT INTO events VALUES (1, '2024-02-28', '2023-12-31 23:30:00');",
            "CREATE TABLE events (id INTEGER PRIMARY KEY, day DATE NOT NULL, at TIMESTAMP NOT NULL);
             INSERT INTO events VALUES (1, '2024-02-28', '2023-12-31 23:30:00');",
        )
        .await?;
        let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        let row: (i32, i32, i32, i32, chrono::NaiveDate, chrono::NaiveDate) = db
            .get_result(events::table.select((
                year(events::day),
                month(events::day),
                year(events::at),
                month(events::at),
                add_days(events::day, 2),
                add_days(events::day, -59),
            )))
            .await?;
        let (Some(leap), Some(back)) = (day("2024-03-01"), day("2023-12-31")) else {
            panic!("test dates parse");
        };
        assert_eq!(row, (2024, 2, 2023, 12, leap, back));
        Ok(())
    }

    async fn window_functions(db) {
        db.seed_blog().await?;
        // SELECT id, ROW_NUMBER() OVER (PARTITION BY author_id ORDER BY views DESC),
        //        RANK() OVER (ORDER BY author_id),
        //        SUM(views) OVER (PARTITION BY author_id), COUNT(*) OVER ()
        // FROM posts ORDER BY id
        let rows: Vec<(i32, i64, i64, Option<i64>, i64)> = db
            .load(
                posts::table
                    .select((
                        posts::id,
                        row_number()
                            .over(window().partition_by(posts::author_id).order_by(posts::views.desc())),
                        rank().over(window().order_by(posts::author_id)),
                        sum(posts::views).over(window().partition_by(posts::author_id)),
                        count_star().over(window()),
                    ))
                    .order(posts::id),
            )
            .await?;
        assert_eq!(
            rows,
            [
                (1, 1, 1, Some(123), 4),
                (2, 2, 1, Some(123), 4),
                (3, 1, 3, Some(40), 4),
                (4, 1, 4, Some(7), 4),
            ]
        );
        Ok(())
    }

    async fn case_with_and_without_else(db) {
        db.seed_blog().await?;
        // CASE WHEN views >= 100 THEN title WHEN views >= 10 THEN 'some' ELSE 'few' END
        let rows: Vec<(i32, String, Option<i32>)> = db
            .load(
                posts::table
                    .select((
                        posts::id,
                        case_when(posts::views.ge(100), posts::title)
                            .when(posts::views.ge(10), "some")
                            .otherwise("few"),
                        // No ELSE: NULL when no branch is taken.
                        case_when(posts::published, posts::views),
                    ))
                    .order(posts::id),
            )
            .await?;
        assert_eq!(
            rows,
            [
                (1, "Notes on the Analytical Engine".into(), Some(120)),
                (2, "few".into(), None),
                (3, "some".into(), Some(40)),
                (4, "few".into(), Some(7)),
            ]
        );

        // A CASE in group_by, with its count. Without binds: PostgreSQL
        // matches a selected expression to a grouped one by its text, and
        // binds are numbered apart ($1 in GROUP BY, $4 in the selection).
        // Published posts count for their author, drafts for themselves.
        let buckets: Vec<(i32, i64)> = db
            .load(
                posts::table
                    .group_by(case_when(posts::published, posts::author_id).otherwise(posts::id))
                    .select((
                        case_when(posts::published, posts::author_id).otherwise(posts::id),
                        quarry::expression::count_star(),
                    ))
                    .order(case_when(posts::published, posts::author_id).otherwise(posts::id)),
            )
            .await?;
        assert_eq!(buckets, [(1, 1), (2, 2), (3, 1)]);
        Ok(())
    }

    async fn string_functions(db) {
        db.seed_blog().await?;
        let rows: Vec<(String, String, i32, String, String)> = db
            .load(
                users::table
                    .select((
                        lower(users::name),
                        upper(users::name),
                        length(users::name),
                        substring(users::name, 2, 3),
                        trim(users::name.concat("  ")),
                    ))
                    .order(users::id),
            )
            .await?;
        assert_eq!(
            rows,
            [
                ("ada".into(), "ADA".into(), 3, "da".into(), "Ada".into()),
                ("brian".into(), "BRIAN".into(), 5, "ria".into(), "Brian".into()),
                // Characters, not bytes: "é" counts once. SQLite's UPPER
                // changes ASCII letters only.
                (
                    "chloé".into(),
                    if db.backend() == "SQLite" { "CHLOé" } else { "CHLOÉ" }.into(),
                    5,
                    "hlo".into(),
                    "Chloé".into(),
                ),
            ]
        );

        // A nullable argument gives a nullable result.
        let emails: Vec<Option<String>> = db
            .load(users::table.select(upper(users::email)).order(users::id))
            .await?;
        assert_eq!(emails, [Some("ADA@EXAMPLE.COM".into()), None, Some("CHLOE@EXAMPLE.COM".into())]);

        let short: Vec<i32> = db
            .load(users::table.filter(length(users::name).lt(5)).select(users::id).order(users::id))
            .await?;
        assert_eq!(short, [1]);
        Ok(())
    }

    async fn coalesce_and_cast(db) {
        db.seed_blog().await?;
        let rows: Vec<(String, Option<i16>, String, i64)> = db
            .load(
                users::table
                    .select((
                        coalesce(users::email, "none"),
                        coalesce(users::age, users::age),
                        cast::<Text, _>(users::id),
                        users::id.cast::<BigInt>(),
                    ))
                    .order(users::id),
            )
            .await?;
        assert_eq!(
            rows,
            [
                ("ada@example.com".into(), Some(36), "1".into(), 1),
                ("none".into(), None, "2".into(), 2),
                ("chloe@example.com".into(), Some(29), "3".into(), 3),
            ]
        );
        let total: Vec<String> = db
            .load(posts::table.select(posts::views.cast::<Text>().concat("v")).order(posts::id))
            .await?;
        assert_eq!(total, ["120v", "3v", "40v", "7v"]);
        Ok(())
    }
}

/// Each node's text, SQLite and PostgreSQL side by side.
#[test]
fn function_sql_for_both_dialects() {
    macro_rules! both {
        ($q:expr, $sqlite:expr, $pg:expr) => {
            assert_eq!(quarry::const_sql!(Sqlite, $q), $sqlite);
            assert_eq!(quarry::const_sql!(Pg, $q), $pg);
        };
    }
    both!(
        users::table.select((
            lower(users::name),
            upper(users::name),
            length(users::name),
            trim(users::name)
        )),
        r#"SELECT LOWER("users"."name"), UPPER("users"."name"), LENGTH("users"."name"), TRIM("users"."name") FROM "users""#,
        r#"SELECT LOWER("users"."name"), UPPER("users"."name"), CHAR_LENGTH("users"."name"), TRIM("users"."name") FROM "users""#
    );
    both!(
        users::table.select(substring(users::name, 2, 3)),
        r#"SELECT SUBSTR("users"."name", ?, ?) FROM "users""#,
        r#"SELECT SUBSTR("users"."name", $1, $2) FROM "users""#
    );
    both!(
        posts::table.select(
            case_when(posts::views.ge(100), posts::title)
                .when(posts::published, "x")
                .otherwise("y")
        ),
        r#"SELECT CASE WHEN "posts"."views" >= ? THEN "posts"."title" WHEN "posts"."is_published" THEN ? ELSE ? END FROM "posts""#,
        r#"SELECT CASE WHEN "posts"."views" >= $1 THEN "posts"."title" WHEN "posts"."is_published" THEN $2 ELSE $3 END FROM "posts""#
    );
    both!(
        posts::table.select((
            row_number().over(
                window()
                    .partition_by((posts::author_id, posts::published))
                    .order_by(posts::views.desc())
            ),
            rank().over(window()),
            sum(posts::views).over(window().order_by(posts::id)),
        )),
        r#"SELECT ROW_NUMBER() OVER (PARTITION BY "posts"."author_id", "posts"."is_published" ORDER BY "posts"."views" DESC NULLS FIRST), RANK() OVER (), SUM("posts"."views") OVER (ORDER BY "posts"."id" NULLS LAST) FROM "posts""#,
        r#"SELECT ROW_NUMBER() OVER (PARTITION BY "posts"."author_id", "posts"."is_published" ORDER BY "posts"."views" DESC), RANK() OVER (), CAST(SUM("posts"."views") OVER (ORDER BY "posts"."id") AS BIGINT) FROM "posts""#
    );
    both!(
        events::table.select((
            year(events::day),
            month(events::at),
            add_days(events::day, 1)
        )),
        r#"SELECT CAST(strftime('%Y', "events"."day") AS INTEGER), CAST(strftime('%m', "events"."at") AS INTEGER), date("events"."day", ? || ' days') FROM "events""#,
        r#"SELECT CAST(EXTRACT(YEAR FROM "events"."day") AS INTEGER), CAST(EXTRACT(MONTH FROM "events"."at") AS INTEGER), ("events"."day" + CAST($1 AS INTEGER)) FROM "events""#
    );
    both!(
        users::table.select(coalesce(users::email, "none")),
        r#"SELECT COALESCE("users"."email", ?) FROM "users""#,
        r#"SELECT COALESCE("users"."email", $1) FROM "users""#
    );
    both!(
        users::table.select((
            cast::<Text, _>(users::id),
            users::rating.cast::<quarry::sql_types::Double>()
        )),
        r#"SELECT CAST("users"."id" AS TEXT), CAST("users"."rating" AS REAL) FROM "users""#,
        r#"SELECT CAST("users"."id" AS TEXT), CAST("users"."rating" AS DOUBLE PRECISION) FROM "users""#
    );
}
