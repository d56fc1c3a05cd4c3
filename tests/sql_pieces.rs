//! The missing pieces of issue #15 on both backends: `CROSS JOIN`, ORDER
//! BY a selected column's position, month and year arithmetic and date
//! parts, derived tables inside subqueries, and `EXISTS (SELECT 1 ...)`.
//! Each query is compared with the same query written by hand and run
//! raw, and its build-time SQL is pinned for both dialects.

mod common;

use common::{both_backends, posts, tags, two_backends, users};
use quarry::expression::{count_star, max, not_exists, scalar, sum};
use quarry::prelude::*;
use quarry::query::{derived, selected};
use quarry::sql_types::{BigInt, Bool, Integer, Nullable, Text};

quarry::table! {
    /// Posts per author, as a derived table.
    author_stats (author_id) {
        author_id -> Integer,
        n -> BigInt,
    }

    /// The total of the views, one row.
    totals {
        total -> Nullable<BigInt>,
    }

    /// Dates at month ends and in leap years, with a count to add.
    calendar (id) {
        id -> Integer,
        day -> Date,
        n -> Integer,
        at -> Timestamp,
    }
}

/// Posts per author.
macro_rules! stats {
    () => {
        derived(
            author_stats::table,
            posts::table
                .group_by(posts::author_id)
                .select((posts::author_id, count_star())),
        )
    };
}

// ---------------------------------------------------------------- CROSS JOIN

#[test]
fn cross_join_sql() {
    assert_eq!(
        quarry::const_sql!(
            Sqlite,
            users::table
                .cross_join(tags::table)
                .select((users::name, tags::label))
        ),
        r#"SELECT "users"."name", "post_tags"."label" FROM "users" CROSS JOIN "post_tags""#
    );
    assert_eq!(
        quarry::const_sql!(
            Pg,
            posts::table
                .cross_join(users::table)
                .inner_join(tags::table)
                .filter(users::id.eq(posts::author_id))
                .select((posts::title, users::name, tags::label))
        ),
        r#"SELECT "posts"."title", "users"."name", "post_tags"."label" FROM "posts" CROSS JOIN "users" INNER JOIN "post_tags" ON "post_tags"."post_id" = "posts"."id" WHERE "users"."id" = "posts"."author_id""#
    );
    let share = || {
        posts::table
            .cross_join(derived(
                totals::table,
                posts::table.select(sum(posts::views)),
            ))
            .select((posts::id, totals::total))
    };
    assert_eq!(
        quarry::const_sql!(Sqlite, share()),
        r#"SELECT "posts"."id", "totals"."total" FROM "posts" CROSS JOIN (WITH "quarry_derived"("total") AS (SELECT SUM("posts"."views") FROM "posts") SELECT * FROM "quarry_derived") AS "totals""#
    );
    assert_eq!(
        quarry::const_sql!(Pg, share()),
        r#"SELECT "posts"."id", "totals"."total" FROM "posts" CROSS JOIN (SELECT CAST(SUM("posts"."views") AS BIGINT) FROM "posts") AS "totals"("total")"#
    );
}

both_backends! {
    async fn cross_join_pairs_every_row(db) {
        db.seed_blog().await?;
        let rows: Vec<(String, String)> = db
            .load(
                users::table
                    .cross_join(tags::table)
                    .select((users::name, tags::label))
                    .order((users::id, tags::post_id, tags::label)),
            )
            .await?;
        let raw: Vec<(String, String)> = db
            .load_raw::<(Text, Text), _>(
                "SELECT u.name, t.label FROM users u CROSS JOIN post_tags t \
                 ORDER BY u.id, t.post_id, t.label",
            )
            .await?;
        assert_eq!(rows.len(), 12);
        assert_eq!(rows, raw);
        Ok(())
    }

    async fn cross_join_composes_with_joins_and_keeps_nullability(db) {
        db.seed_blog().await?;
        // A later join follows a declared reference through the cross join.
        let rows: Vec<(String, String, String)> = db
            .load(
                posts::table
                    .cross_join(users::table)
                    .inner_join(tags::table)
                    .filter(users::id.eq(posts::author_id))
                    .select((posts::title, users::name, tags::label))
                    .order((posts::id, tags::label)),
            )
            .await?;
        let raw: Vec<(String, String, String)> = db
            .load_raw::<(Text, Text, Text), _>(
                "SELECT p.title, u.name, t.label FROM posts p CROSS JOIN users u \
                 INNER JOIN post_tags t ON t.post_id = p.id WHERE u.id = p.author_id \
                 ORDER BY p.id, t.label",
            )
            .await?;
        assert_eq!(rows, raw);
        assert_eq!(rows.len(), 4);

        // The left join's optional side stays optional; the cross-joined
        // side is not made optional.
        let rows: Vec<(String, Option<String>, String)> = db
            .load(
                users::table
                    .left_join(posts::table)
                    .cross_join(tags::table)
                    .filter(tags::label.eq("intro"))
                    .select((users::name, posts::title, tags::label))
                    .order((users::id, posts::id)),
            )
            .await?;
        let raw: Vec<(String, Option<String>, String)> = db
            .load_raw::<(Text, Nullable<Text>, Text), _>(
                "SELECT u.name, p.title, t.label FROM users u LEFT JOIN posts p ON p.author_id = u.id \
                 CROSS JOIN post_tags t WHERE t.label = 'intro' ORDER BY u.id, p.id",
            )
            .await?;
        assert_eq!(rows, raw);
        Ok(())
    }

    async fn cross_join_with_a_derived_table(db) {
        db.seed_blog().await?;
        let rows: Vec<(i32, Option<i64>)> = db
            .load(
                posts::table
                    .cross_join(derived(totals::table, posts::table.select(sum(posts::views))))
                    .select((posts::id, totals::total))
                    .order(posts::id),
            )
            .await?;
        let raw: Vec<(i32, Option<i64>)> = db
            .load_raw::<(Integer, Nullable<BigInt>), _>(
                "SELECT p.id, CAST(t.total AS BIGINT) FROM posts p \
                 CROSS JOIN (SELECT SUM(views) AS total FROM posts) t ORDER BY p.id",
            )
            .await?;
        assert_eq!(rows, raw);
        assert_eq!(rows[0], (1, Some(170)));
        Ok(())
    }
}

// ------------------------------------------------- ORDER BY a selected column

#[test]
fn order_by_position_sql() {
    let q = || {
        posts::table
            .group_by(posts::author_id)
            .select((posts::author_id, count_star()))
            .order((selected::<1>().desc(), selected::<0>()))
    };
    assert_eq!(
        quarry::const_sql!(Sqlite, q()),
        r#"SELECT "posts"."author_id", COUNT(*) FROM "posts" GROUP BY "posts"."author_id" ORDER BY 2 DESC NULLS FIRST, 1 NULLS LAST"#
    );
    assert_eq!(
        quarry::const_sql!(Pg, q()),
        r#"SELECT "posts"."author_id", COUNT(*) FROM "posts" GROUP BY "posts"."author_id" ORDER BY 2 DESC, 1"#
    );
    // Mixed with an ordinary term, and ordered before `select`.
    assert_eq!(
        quarry::const_sql!(
            Pg,
            users::table
                .order(selected::<1>().asc())
                .then_order_by(users::id.desc())
                .select((users::id, users::name))
        ),
        r#"SELECT "users"."id", "users"."name" FROM "users" ORDER BY 2 ASC, "users"."id" DESC"#
    );
}

both_backends! {}

// ------------------------------------------------------------ Date arithmetic

#[cfg(feature = "chrono")]
mod dates {
    use super::*;
    use chrono::{Months, NaiveDate};
    use quarry::expression::{
        add_months, add_years, day, day_of_week, day_of_year, hour, minute, second,
    };
    use quarry::sql_types::Date;

    /// (day, n): month ends, leap days, going back and forward.
    const DAYS: [(&str, i32); 12] = [
        ("2024-01-31", 1),
        ("2024-01-31", 13),
        ("2024-01-31", -1),
        ("2024-02-29", 12),
        ("2024-02-29", 48),
        ("2024-02-29", -12),
        ("2023-03-31", -1),
        ("2024-03-31", -1),
        ("2024-05-31", 1),
        ("2023-08-31", 6),
        ("2024-12-15", 1),
        ("2000-02-29", -1200),
    ];

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a test date")
    }

    /// chrono's own calendar arithmetic, which also ends at the month's last day.
    fn plus_months(d: NaiveDate, n: i32) -> NaiveDate {
        let moved = if n >= 0 {
            d.checked_add_months(Months::new(n.unsigned_abs()))
        } else {
            d.checked_sub_months(Months::new(n.unsigned_abs()))
        };
        moved.expect("in range")
    }

    #[test]
    fn date_arithmetic_sql() {
        let q = || {
            calendar::table.select((
                add_months(calendar::day, calendar::n),
                add_years(calendar::day, 1),
                add_months(calendar::day, calendar::n + 1),
            ))
        };
        assert_eq!(
            quarry::const_sql!(Sqlite, q()),
            r#"SELECT date("calendar"."day", "calendar"."n" || ' months', 'floor'), date("calendar"."day", ? || ' years', 'floor'), date("calendar"."day", ("calendar"."n" + ?) || ' months', 'floor') FROM "calendar""#
        );
        assert_eq!(
            quarry::const_sql!(Pg, q()),
            r#"SELECT CAST("calendar"."day" + make_interval(months => "calendar"."n") AS DATE), CAST("calendar"."day" + make_interval(years => $1) AS DATE), CAST("calendar"."day" + make_interval(months => "calendar"."n" + $2) AS DATE) FROM "calendar""#
        );
        let parts = || {
            calendar::table.select((
                day(calendar::day),
                day_of_week(calendar::day),
                day_of_year(calendar::day),
                hour(calendar::at),
                minute(calendar::at),
                second(calendar::at),
            ))
        };
        assert_eq!(
            quarry::const_sql!(Sqlite, parts()),
            r#"SELECT CAST(strftime('%d', "calendar"."day") AS INTEGER), CAST(strftime('%w', "calendar"."day") AS INTEGER), CAST(strftime('%j', "calendar"."day") AS INTEGER), CAST(strftime('%H', "calendar"."at") AS INTEGER), CAST(strftime('%M', "calendar"."at") AS INTEGER), CAST(strftime('%S', "calendar"."at") AS INTEGER) FROM "calendar""#
        );
        assert_eq!(
            quarry::const_sql!(Pg, parts()),
            r#"SELECT CAST(EXTRACT(DAY FROM "calendar"."day") AS INTEGER), CAST(EXTRACT(DOW FROM "calendar"."day") AS INTEGER), CAST(EXTRACT(DOY FROM "calendar"."day") AS INTEGER), CAST(EXTRACT(HOUR FROM "calendar"."at") AS INTEGER), CAST(EXTRACT(MINUTE FROM "calendar"."at") AS INTEGER), CAST(FLOOR(EXTRACT(SECOND FROM "calendar"."at")) AS INTEGER) FROM "calendar""#
        );
    }

    both_backends! {
        async fn months_and_years_end_at_the_last_day_of_the_month(db) {
            let ty = if db.is_pg() { "DATE" } else { "TEXT" };
            let ts = if db.is_pg() { "TIMESTAMP" } else { "TEXT" };
            let ddl = format!(
                "CREATE TABLE calendar (id INTEGER PRIMARY KEY, day {ty} NOT NULL, n INTEGER NOT NULL, at {ts} NOT NULL)"
            );
            db.batch(&ddl, &ddl).await?;
            for (i, (d, n)) in DAYS.iter().enumerate() {
                db.execute(
                    "INSERT INTO calendar (id, day, n, at) VALUES ($1, $2, $3, $4)",
                    &[
                        quarry::Value::Int(i as i32),
                        quarry::Value::Date(date(d)),
                        quarry::Value::Int(*n),
                        quarry::Value::Timestamp(date(d).and_hms_milli_opt(13, 45, 30, 750).expect("a time")),
                    ],
                )
                .await?;
            }
            let rows: Vec<(NaiveDate, NaiveDate, NaiveDate, NaiveDate)> = db
                .load(
                    calendar::table
                        .select((
                            add_months(calendar::day, calendar::n),
                            add_months(calendar::day, -1),
                            add_years(calendar::day, 1),
                            add_years(calendar::day, calendar::n / 12),
                        ))
                        .order(calendar::id),
                )
                .await?;
            let raw_sql = if db.is_mysql() {
                "SELECT CAST(DATE_ADD(day, INTERVAL n MONTH) AS DATE), \
                 CAST(DATE_SUB(day, INTERVAL 1 MONTH) AS DATE), \
                 CAST(DATE_ADD(day, INTERVAL 1 YEAR) AS DATE), \
                 CAST(DATE_ADD(day, INTERVAL n DIV 12 YEAR) AS DATE) \
                 FROM calendar ORDER BY id"
            } else if db.is_pg() {
                "SELECT (day + make_interval(months => n))::date, (day - interval '1 month')::date, \
                 (day + interval '1 year')::date, (day + make_interval(years => n / 12))::date \
                 FROM calendar ORDER BY id"
            } else {
                "SELECT date(day, n || ' months', 'floor'), date(day, '-1 months', 'floor'), \
                 date(day, '+1 years', 'floor'), date(day, (n / 12) || ' years', 'floor') \
                 FROM calendar ORDER BY id"
            };
            let raw: Vec<(NaiveDate, NaiveDate, NaiveDate, NaiveDate)> =
                db.load_raw::<(Date, Date, Date, Date), _>(raw_sql).await?;
            assert_eq!(rows, raw);
            let expected: Vec<_> = DAYS
                .iter()
                .map(|(d, n)| {
                    let d = date(d);
                    (plus_months(d, *n), plus_months(d, -1), plus_months(d, 12), plus_months(d, n / 12 * 12))
                })
                .collect();
            assert_eq!(rows, expected);
            // The cases the backends used to disagree on, spelled out.
            assert_eq!(rows[0].0, date("2024-02-29"));
            assert_eq!(rows[1].0, date("2025-02-28"));
            assert_eq!(rows[3].2, date("2025-02-28"));
            assert_eq!(rows[4].0, date("2028-02-29"));
            assert_eq!(rows[6].0, date("2023-02-28"));

            // A bound count and a date bound as a value.
            let bound: NaiveDate = db
                .get_result(select(add_months(
                    quarry::expression::Bound::<Date, _>::new(date("2024-10-31")),
                    4,
                )))
                .await?;
            assert_eq!(bound, date("2025-02-28"));

            let parts: (i32, i32, i32, i32, i32, i32) = db
                .get_result(
                    calendar::table
                        .filter(calendar::id.eq(3))
                        .select((
                            day(calendar::day),
                            day_of_week(calendar::day),
                            day_of_year(calendar::day),
                            hour(calendar::at),
                            minute(calendar::at),
                            second(calendar::at),
                        )),
                )
                .await?;
            // 2024-02-29 was a Thursday, the 60th day; 13:45:30.750 has 30 whole seconds.
            assert_eq!(parts, (29, 4, 60, 13, 45, 30));
            Ok(())
        }
    }
}

// ------------------------------------------------------- Derived tables inside

#[test]
fn derived_tables_in_subqueries_sql() {
    let q = || {
        users::table
            .filter(
                users::id.eq_any(
                    stats!()
                        .filter(author_stats::n.ge(2_i64))
                        .select(author_stats::author_id),
                ),
            )
            .select((users::name, scalar(stats!().select(max(author_stats::n)))))
    };
    assert_eq!(
        quarry::const_sql!(Sqlite, q()),
        r#"SELECT "users"."name", (SELECT MAX("author_stats"."n") FROM (WITH "quarry_derived"("author_id", "n") AS (SELECT "posts"."author_id", COUNT(*) FROM "posts" GROUP BY "posts"."author_id") SELECT * FROM "quarry_derived") AS "author_stats") FROM "users" WHERE "users"."id" IN (SELECT "author_stats"."author_id" FROM (WITH "quarry_derived"("author_id", "n") AS (SELECT "posts"."author_id", COUNT(*) FROM "posts" GROUP BY "posts"."author_id") SELECT * FROM "quarry_derived") AS "author_stats" WHERE "author_stats"."n" >= ?)"#
    );
    assert_eq!(
        quarry::const_sql!(Pg, q()),
        r#"SELECT "users"."name", (SELECT MAX("author_stats"."n") FROM (SELECT "posts"."author_id", COUNT(*) FROM "posts" GROUP BY "posts"."author_id") AS "author_stats"("author_id", "n")) FROM "users" WHERE "users"."id" IN (SELECT "author_stats"."author_id" FROM (SELECT "posts"."author_id", COUNT(*) FROM "posts" GROUP BY "posts"."author_id") AS "author_stats"("author_id", "n") WHERE "author_stats"."n" >= $1)"#
    );
    assert_eq!(
        quarry::const_sql!(
            Pg,
            select(exists(stats!().filter(author_stats::n.gt(1_i64))))
        ),
        r#"SELECT EXISTS (SELECT 1 FROM (SELECT "posts"."author_id", COUNT(*) FROM "posts" GROUP BY "posts"."author_id") AS "author_stats"("author_id", "n") WHERE "author_stats"."n" > $1)"#
    );
}

both_backends! {
    async fn derived_tables_inside_subqueries(db) {
        db.seed_blog().await?;
        // A scalar subquery and an IN subquery, each reading a derived table.
        let rows: Vec<(String, Option<i64>)> = db
            .load(
                users::table
                    .filter(users::id.eq_any(
                        stats!().filter(author_stats::n.ge(2_i64)).select(author_stats::author_id),
                    ))
                    .select((users::name, scalar(stats!().select(max(author_stats::n))))),
            )
            .await?;
        let raw: Vec<(String, Option<i64>)> = db
            .load_raw::<(Text, Nullable<BigInt>), _>(
                "SELECT u.name, (SELECT MAX(s.n) FROM (SELECT author_id, COUNT(*) AS n FROM posts \
                 GROUP BY author_id) s) FROM users u WHERE u.id IN (SELECT s.author_id FROM \
                 (SELECT author_id, COUNT(*) AS n FROM posts GROUP BY author_id) s WHERE s.n >= 2)",
            )
            .await?;
        assert_eq!(rows, raw);
        assert_eq!(rows, [("Ada".to_owned(), Some(2))]);

        // EXISTS of a derived table, and one correlated with the outer query.
        let any: bool = db.get_result(select(exists(stats!().filter(author_stats::n.gt(1_i64))))).await?;
        let none: bool = db.get_result(select(exists(stats!().filter(author_stats::n.gt(5_i64))))).await?;
        assert_eq!((any, none), (true, false));
        let single_post_authors: Vec<String> = db
            .load(
                users::table
                    .filter(exists(
                        stats!()
                            .correlated_with(users::table)
                            .filter(author_stats::author_id.eq(users::id).and(author_stats::n.eq(1_i64))),
                    ))
                    .select(users::name)
                    .order(users::id),
            )
            .await?;
        let raw: Vec<String> = db
            .load_raw::<Text, _>(
                "SELECT u.name FROM users u WHERE EXISTS (SELECT 1 FROM (SELECT author_id, COUNT(*) AS n \
                 FROM posts GROUP BY author_id) s WHERE s.author_id = u.id AND s.n = 1) ORDER BY u.id",
            )
            .await?;
        assert_eq!(single_post_authors, raw);
        assert_eq!(single_post_authors, ["Brian", "Chloé"]);
        Ok(())
    }
}

// ------------------------------------------------------------ EXISTS (SELECT 1)

#[test]
fn exists_selects_one_sql() {
    let q = || {
        select(exists(
            posts::table
                .filter(posts::id.eq(1))
                .order(posts::views.desc()),
        ))
    };
    assert_eq!(
        quarry::const_sql!(Sqlite, q()),
        r#"SELECT EXISTS (SELECT 1 FROM "posts" WHERE "posts"."id" = ?)"#
    );
    assert_eq!(
        quarry::const_sql!(Pg, q()),
        r#"SELECT EXISTS (SELECT 1 FROM "posts" WHERE "posts"."id" = $1)"#
    );
    // A chosen selection is kept: it can change the answer.
    let counted = || {
        select(exists(
            posts::table
                .filter(posts::views.gt(1000))
                .select(count_star()),
        ))
    };
    assert_eq!(
        quarry::const_sql!(Pg, counted()),
        r#"SELECT EXISTS (SELECT COUNT(*) FROM "posts" WHERE "posts"."views" > $1)"#
    );
    assert_eq!(
        quarry::const_sql!(
            Sqlite,
            users::table
                .filter(not_exists(
                    posts::table
                        .correlated_with(users::table)
                        .filter(posts::author_id.eq(users::id))
                ))
                .select(users::id)
        ),
        r#"SELECT "users"."id" FROM "users" WHERE NOT EXISTS (SELECT 1 FROM "posts" WHERE "posts"."author_id" = "users"."id")"#
    );
}

both_backends! {
    async fn exists_answers_as_written(db) {
        db.seed_blog().await?;
        let cases: [(bool, &str); 3] = [
            (
                db.get_result(select(exists(posts::table.filter(posts::views.gt(100)).order(posts::views.desc()))))
                    .await?,
                "SELECT EXISTS (SELECT 1 FROM posts WHERE views > 100)",
            ),
            (
                db.get_result(select(exists(posts::table.filter(posts::views.gt(1000))))).await?,
                "SELECT EXISTS (SELECT 1 FROM posts WHERE views > 1000)",
            ),
            // COUNT(*) of no rows is still a row.
            (
                db.get_result(select(exists(posts::table.filter(posts::views.gt(1000)).select(count_star()))))
                    .await?,
                "SELECT EXISTS (SELECT COUNT(*) FROM posts WHERE views > 1000)",
            ),
        ];
        for (typed, sql) in cases {
            let raw: Vec<bool> = db.load_raw::<Bool, _>(sql).await?;
            assert_eq!(vec![typed], raw, "{sql}");
        }
        assert_eq!(cases.map(|c| c.0), [true, false, true]);
        Ok(())
    }
}

two_backends! {
    reason = "ORDER BY a selected position does not compile for MariaDB (no NULLS FIRST/LAST to place NULLs)";
    async fn order_by_selected_positions(db) {
        db.seed_blog().await?;
        let rows: Vec<(i32, i64)> = db
            .load(
                posts::table
                    .group_by(posts::author_id)
                    .select((posts::author_id, count_star()))
                    .order((selected::<1>().desc(), selected::<0>())),
            )
            .await?;
        let raw: Vec<(i32, i64)> = db
            .load_raw::<(Integer, BigInt), _>(
                "SELECT author_id, COUNT(*) FROM posts GROUP BY author_id ORDER BY 2 DESC, 1",
            )
            .await?;
        assert_eq!(rows, raw);
        assert_eq!(rows, [(1, 2), (2, 1), (3, 1)]);

        // Ordered before `select`, then by an ordinary term.
        let rows: Vec<(i32, String)> = db
            .load(
                users::table
                    .order(selected::<1>().desc())
                    .then_order_by(users::id)
                    .select((users::id, users::name)),
            )
            .await?;
        let raw: Vec<(i32, String)> = db
            .load_raw::<(Integer, Text), _>("SELECT id, name FROM users ORDER BY 2 DESC, id")
            .await?;
        assert_eq!(rows, raw);
        assert_eq!(rows[0].1, "Chloé");
        Ok(())
    }
}
