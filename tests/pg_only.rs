//! What only PostgreSQL runs, against the real server: `ILIKE`,
//! `DISTINCT ON`, row locks (`FOR UPDATE ... SKIP LOCKED` across two
//! connections) and array columns. On SQLite these do not compile (see
//! `ui-tests/cases/backends`). Each test gets its own schema.

mod common;

use common::db::with_pg_schema;
use common::{PG_DDL, blog_rows, posts, users};
use quarry::pg::Connection;
use quarry::prelude::*;
use quarry::{Error, insert_into};

quarry::table! {
    articles (id) {
        id -> Integer,
        tags -> Array<Text>,
        scores -> Nullable<Array<Nullable<Integer>>>,
    }
}

/// The same table, declared as if `scores` had neither NULL arrays nor
/// NULL elements: what the schema promised and the data does not hold.
mod strict {
    quarry::table! {
        #[sql_name = "articles"]
        articles (id) {
            id -> Integer,
            scores -> Array<Integer>,
        }
    }
}

/// `articles.scores`: a nullable array of nullable integers.
type Scores = Option<Vec<Option<i32>>>;

const ARTICLES_DDL: &str = "CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    tags TEXT[] NOT NULL,
    scores INTEGER[]
)";

async fn seeded(url: &str) -> Result<Connection, Error> {
    let conn = Connection::connect(url).await?;
    conn.batch_execute(PG_DDL).await?;
    for (sql, params) in blog_rows() {
        conn.execute(sql, &params).await?;
    }
    Ok(conn)
}

#[tokio::test]
async fn ilike_matches_whatever_the_case() {
    with_pg_schema(module_path!(), async |schema| {
        let conn = seeded(&schema.url).await?;

        let ids: Vec<i32> = users::table
            .select(users::id)
            .filter(users::name.ilike("ADA"))
            .load_async(&conn)
            .await?;
        assert_eq!(ids, [1]);
        // `LIKE` is case-sensitive on PostgreSQL.
        let like: Vec<i32> = users::table
            .select(users::id)
            .filter(users::name.like("ADA"))
            .load_async(&conn)
            .await?;
        assert!(like.is_empty());

        let others: Vec<i32> = users::table
            .select(users::id)
            .filter(users::name.not_ilike("a%"))
            .order(users::id)
            .load_async(&conn)
            .await?;
        assert_eq!(others, [2, 3]);

        // A nullable operand: NULL emails match neither way.
        let with_email: Vec<i32> = users::table
            .select(users::id)
            .filter(users::email.ilike("%@EXAMPLE.com"))
            .order(users::id)
            .load_async(&conn)
            .await?;
        assert_eq!(with_email, [1, 3]);
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn distinct_on_keeps_the_first_row_of_each_group() {
    with_pg_schema(module_path!(), async |schema| {
        let conn = seeded(&schema.url).await?;

        let most_viewed: Vec<(i32, String)> = posts::table
            .distinct_on(posts::author_id)
            .select((posts::author_id, posts::title))
            .order((posts::author_id, posts::views.desc()))
            .load_async(&conn)
            .await?;
        assert_eq!(
            most_viewed,
            [
                (1, "Notes on the Analytical Engine".to_owned()),
                (2, "Hello, world".to_owned()),
                (3, "100% of 'quotes' and \"doubles\"".to_owned()),
            ]
        );

        let least_viewed: Vec<(i32, String)> = posts::table
            .distinct_on(posts::author_id)
            .select((posts::author_id, posts::title))
            .filter(posts::author_id.eq(1))
            .order((posts::author_id, posts::views))
            .load_async(&conn)
            .await?;
        assert_eq!(least_viewed, [(1, "Draft: Bernoulli numbers".to_owned())]);

        // A bind value in DISTINCT ON is bound first: text, then the
        // WHERE clause's integer. (No ORDER BY: PostgreSQL would need it to
        // repeat the expression, and `$1` and `$3` are not the same one.)
        let mut ids: Vec<i32> = users::table
            .distinct_on(users::name.concat("!"))
            .select(users::id)
            .filter(users::id.gt(1))
            .load_async(&conn)
            .await?;
        ids.sort();
        assert_eq!(ids, [2, 3]);
        Ok(())
    })
    .await;
}

/// The error of a query that found a row locked, as PostgreSQL reports it.
fn is_lock_not_available(e: &Error) -> bool {
    matches!(e, Error::Postgres(_)) && e.sqlstate() == Some("55P03")
}

#[tokio::test]
async fn skip_locked_leaves_out_the_rows_another_transaction_locked() {
    with_pg_schema(module_path!(), async |schema| {
        let mut first = seeded(&schema.url).await?;
        let mut second = Connection::connect(&schema.url).await?;

        first
            .transaction(async |tx| {
                // The first transaction locks Ada's row...
                let locked: Vec<i32> = users::table
                    .select(users::id)
                    .filter(users::id.eq(1))
                    .for_update()
                    .load_async(&*tx)
                    .await?;
                assert_eq!(locked, [1]);

                second
                    .transaction(async |other| {
                        // ...so the second one's SKIP LOCKED skips it,
                        let free: Vec<i32> = users::table
                            .select(users::id)
                            .order(users::id)
                            .for_update()
                            .skip_locked()
                            .load_async(&*other)
                            .await?;
                        assert_eq!(free, [2, 3]);
                        // and a job-queue style "next free row" is Brian's.
                        let next: i32 = users::table
                            .select(users::id)
                            .order(users::id)
                            .limit(1)
                            .for_update()
                            .skip_locked()
                            .get_result_async(&*other)
                            .await?;
                        assert_eq!(next, 2);
                        Ok::<_, Error>(())
                    })
                    .await?;

                // NOWAIT fails at once on the locked row instead of waiting.
                let err = second
                    .transaction(async |other| {
                        users::table
                            .select(users::id)
                            .filter(users::id.eq(1))
                            .for_update()
                            .no_wait()
                            .load_async::<i32, _>(&*other)
                            .await
                    })
                    .await
                    .expect_err("row 1 is locked by the first transaction");
                assert!(is_lock_not_available(&err), "{err:?}");
                Ok::<_, Error>(())
            })
            .await?;

        // Once the first transaction has ended, the row is free again.
        let all: Vec<i32> = second
            .transaction(async |other| {
                users::table
                    .select(users::id)
                    .order(users::id)
                    .for_update()
                    .skip_locked()
                    .load_async(&*other)
                    .await
            })
            .await?;
        assert_eq!(all, [1, 2, 3]);
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn for_share_lets_others_share_but_not_update() {
    with_pg_schema(module_path!(), async |schema| {
        let mut first = seeded(&schema.url).await?;
        let mut second = Connection::connect(&schema.url).await?;

        first
            .transaction(async |tx| {
                let name: String = users::table
                    .select(users::name)
                    .filter(users::id.eq(2))
                    .for_share()
                    .get_result_async(&*tx)
                    .await?;
                assert_eq!(name, "Brian");

                second
                    .transaction(async |other| {
                        let shared: Vec<i32> = users::table
                            .select(users::id)
                            .filter(users::id.eq(2))
                            .for_share()
                            .no_wait()
                            .load_async(&*other)
                            .await?;
                        assert_eq!(shared, [2]);
                        Ok::<_, Error>(())
                    })
                    .await?;

                let err = second
                    .transaction(async |other| {
                        users::table
                            .select(users::id)
                            .filter(users::id.eq(2))
                            .for_no_key_update()
                            .no_wait()
                            .load_async::<i32, _>(&*other)
                            .await
                    })
                    .await
                    .expect_err("row 2 is share-locked by the first transaction");
                assert!(is_lock_not_available(&err), "{err:?}");
                Ok::<_, Error>(())
            })
            .await?;
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn array_columns_round_trip_as_vectors() {
    with_pg_schema(module_path!(), async |schema| {
        let conn = Connection::connect(&schema.url).await?;
        conn.batch_execute(ARTICLES_DDL).await?;

        let rows: [(i32, Vec<&str>, Scores); 3] = [
            (1, vec!["rust", "sql"], Some(vec![Some(3), None, Some(-7)])),
            (2, vec![], None),
            (3, vec!["it's", "\"quoted\"", "é"], Some(vec![])),
        ];
        for (id, tags, scores) in &rows {
            let inserted = insert_into(articles::table)
                .values((
                    articles::id.eq(*id),
                    articles::tags.eq(tags),
                    articles::scores.eq(scores.clone()),
                ))
                .execute_async(&conn)
                .await?;
            assert_eq!(inserted, 1);
        }

        let loaded: Vec<(i32, Vec<String>, Scores)> = articles::table
            .order(articles::id)
            .load_async(&conn)
            .await?;
        let expected: Vec<(i32, Vec<String>, Scores)> = rows
            .iter()
            .map(|(id, tags, scores)| {
                (
                    *id,
                    tags.iter().map(|t| t.to_string()).collect(),
                    scores.clone(),
                )
            })
            .collect();
        assert_eq!(loaded, expected);

        #[derive(Queryable, Debug, PartialEq)]
        struct Article {
            id: i32,
            tags: Vec<String>,
            scores: Option<Vec<Option<i32>>>,
        }
        let first: Article = articles::table.find(1).get_result_async(&conn).await?;
        assert_eq!(
            first,
            Article {
                id: 1,
                tags: vec!["rust".to_owned(), "sql".to_owned()],
                scores: Some(vec![Some(3), None, Some(-7)]),
            }
        );

        // An array is one bind value, compared as a whole.
        let ids: Vec<i32> = articles::table
            .select(articles::id)
            .filter(articles::tags.eq(vec!["rust".to_owned(), "sql".to_owned()]))
            .load_async(&conn)
            .await?;
        assert_eq!(ids, [1]);
        let empty: Vec<i32> = articles::table
            .select(articles::id)
            .filter(articles::tags.eq(Vec::<String>::new()))
            .load_async(&conn)
            .await?;
        assert_eq!(empty, [2]);
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn an_array_that_breaks_the_schema_is_a_decode_error() {
    with_pg_schema(module_path!(), async |schema| {
        let conn = Connection::connect(&schema.url).await?;
        conn.batch_execute(ARTICLES_DDL).await?;
        conn.batch_execute(
            "INSERT INTO articles VALUES (1, '{}', '{1,NULL}'), (2, '{}', NULL), (3, '{}', '{4}')",
        )
        .await?;

        let ok: Vec<i32> = strict::articles::table
            .select(strict::articles::scores)
            .filter(strict::articles::id.eq(3))
            .get_result_async(&conn)
            .await?;
        assert_eq!(ok, [4]);

        for id in [1, 2] {
            let err = strict::articles::table
                .select(strict::articles::scores)
                .filter(strict::articles::id.eq(id))
                .get_result_async::<Vec<i32>, _>(&conn)
                .await
                .expect_err("a NULL where the schema promised none");
            match err {
                Error::Decode {
                    column, expected, ..
                } => {
                    assert_eq!(column, "scores");
                    assert_eq!(expected, "Array<Integer> as Vec<i32>");
                }
                other => panic!("expected a decode error, got {other:?}"),
            }
        }
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn arrays_of_every_mapped_element_type() {
    quarry::table! {
        #[sql_name = "everything"]
        everything (id) {
            id -> Integer,
            smalls -> Array<SmallInt>,
            bigs -> Array<BigInt>,
            doubles -> Array<Double>,
            flags -> Array<Bool>,
            blobs -> Array<Binary>,
        }
    }
    with_pg_schema(module_path!(), async |schema| {
        let conn = Connection::connect(&schema.url).await?;
        conn.batch_execute(
            "CREATE TABLE everything (id INTEGER PRIMARY KEY, smalls SMALLINT[] NOT NULL,
             bigs BIGINT[] NOT NULL, doubles DOUBLE PRECISION[] NOT NULL,
             flags BOOLEAN[] NOT NULL, blobs BYTEA[] NOT NULL)",
        )
        .await?;
        type Row = (i32, Vec<i16>, Vec<i64>, Vec<f64>, Vec<bool>, Vec<Vec<u8>>);
        let row: Row = (
            1,
            vec![i16::MIN, 0, i16::MAX],
            vec![i64::MIN, i64::MAX],
            vec![0.5, -1e300],
            vec![true, false],
            vec![vec![0, 255], vec![]],
        );
        insert_into(everything::table)
            .values((
                everything::id.eq(row.0),
                everything::smalls.eq(&row.1),
                everything::bigs.eq(&row.2),
                everything::doubles.eq(&row.3),
                everything::flags.eq(&row.4),
                everything::blobs.eq(&row.5),
            ))
            .execute_async(&conn)
            .await?;
        let loaded: Row = everything::table.get_result_async(&conn).await?;
        assert_eq!(loaded, row);
        Ok(())
    })
    .await;
}

#[cfg(all(
    feature = "chrono",
    feature = "uuid",
    feature = "serde_json",
    feature = "rust_decimal"
))]
#[tokio::test]
async fn arrays_of_the_feature_types() {
    use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
    use rust_decimal::Decimal;

    quarry::table! {
        #[sql_name = "features"]
        features (id) {
            id -> Integer,
            days -> Array<Date>,
            times -> Array<Time>,
            stamps -> Array<Timestamp>,
            instants -> Array<Nullable<Timestamptz>>,
            ids -> Array<Uuid>,
            docs -> Array<Json>,
            amounts -> Array<Numeric>,
        }
    }
    with_pg_schema(module_path!(), async |schema| {
        let conn = Connection::connect(&schema.url).await?;
        conn.batch_execute(
            "CREATE TABLE features (id INTEGER PRIMARY KEY, days DATE[] NOT NULL,
             times TIME[] NOT NULL, stamps TIMESTAMP[] NOT NULL, instants TIMESTAMPTZ[] NOT NULL,
             ids UUID[] NOT NULL, docs JSONB[] NOT NULL, amounts NUMERIC[] NOT NULL)",
        )
        .await?;
        let day = NaiveDate::from_ymd_opt(1815, 12, 10).expect("a date");
        let time = NaiveTime::from_hms_opt(23, 59, 58).expect("a time");
        type Row = (
            i32,
            Vec<NaiveDate>,
            Vec<NaiveTime>,
            Vec<NaiveDateTime>,
            Vec<Option<DateTime<Utc>>>,
            Vec<uuid::Uuid>,
            Vec<serde_json::Value>,
            Vec<Decimal>,
        );
        let row: Row = (
            1,
            vec![day],
            vec![time],
            vec![day.and_time(time)],
            vec![Some(day.and_time(time).and_utc()), None],
            vec![uuid::Uuid::from_u128(7), uuid::Uuid::nil()],
            vec![serde_json::json!({"a": [1, 2]}), serde_json::json!(null)],
            vec![Decimal::new(-12345, 2), Decimal::ZERO],
        );
        insert_into(features::table)
            .values((
                features::id.eq(row.0),
                features::days.eq(&row.1),
                features::times.eq(&row.2),
                features::stamps.eq(&row.3),
                features::instants.eq(&row.4),
                features::ids.eq(&row.5),
                features::docs.eq(&row.6),
                features::amounts.eq(&row.7),
            ))
            .execute_async(&conn)
            .await?;
        let loaded: Row = features::table.get_result_async(&conn).await?;
        assert_eq!(loaded, row);
        Ok(())
    })
    .await;
}

/// `numeric[]` and `time[]` elements read as their scalars do: exactly, or
/// a decode error naming the column (the driver's own decoders rounded a
/// numeric beyond 28 places and wrapped `24:00:00` to `00:00:00`).
#[cfg(all(feature = "chrono", feature = "rust_decimal"))]
#[tokio::test]
async fn numeric_and_time_array_elements_are_exact_or_an_error() {
    use chrono::NaiveTime;
    use rust_decimal::Decimal;

    quarry::table! {
        #[sql_name = "exact"]
        exact (id) {
            id -> Integer,
            amounts -> Array<Numeric>,
            maybe_amounts -> Array<Nullable<Numeric>>,
            times -> Array<Time>,
            maybe_times -> Array<Nullable<Time>>,
        }
    }

    /// Asserts a decode error on `column`, expecting `expected`, saying
    /// `says`, and not quoting the value.
    fn assert_decode(err: Error, column: &str, expected: &str, says: &str, value: &str) {
        let text = err.to_string();
        match err {
            Error::Decode {
                column: c,
                expected: e,
                found,
                ..
            } => {
                assert_eq!((c.as_str(), e), (column, expected));
                assert!(found.contains(says), "{found}");
                assert!(!text.contains(value), "{text}");
            }
            other => panic!("expected a decode error, got {other:?}"),
        }
    }

    with_pg_schema(module_path!(), async |schema| {
        let conn = Connection::connect(&schema.url).await?;
        conn.batch_execute(
            "CREATE TABLE exact (id INTEGER PRIMARY KEY,
               amounts NUMERIC[] NOT NULL DEFAULT '{}',
               maybe_amounts NUMERIC[] NOT NULL DEFAULT '{}',
               times TIME[] NOT NULL DEFAULT '{}',
               maybe_times TIME[] NOT NULL DEFAULT '{}');
             INSERT INTO exact (id, amounts, maybe_amounts, times, maybe_times) VALUES
               (1, '{1.50,1.500000000000000000000000000000}', '{NULL,2.25}',
                '{23:59:59.999999}', '{NULL,12:00:00}');
             INSERT INTO exact (id, amounts) VALUES (2, '{1,0.00000000000000000000000000001}');
             INSERT INTO exact (id, maybe_amounts)
               VALUES (3, '{NULL,0.1234567890123456789012345678901}');
             INSERT INTO exact (id, times) VALUES (4, '{01:00:00,24:00:00}');
             INSERT INTO exact (id, maybe_times) VALUES (5, '{NULL,24:00:00}');",
        )
        .await?;

        type Row = (
            Vec<Decimal>,
            Vec<Option<Decimal>>,
            Vec<NaiveTime>,
            Vec<Option<NaiveTime>>,
        );
        let row: Row = exact::table
            .select((
                exact::amounts,
                exact::maybe_amounts,
                exact::times,
                exact::maybe_times,
            ))
            .filter(exact::id.eq(1))
            .get_result_async(&conn)
            .await?;
        let amounts: Vec<String> = row.0.iter().map(Decimal::to_string).collect();
        // The scale is kept; zeros past 28 places are padding, dropped.
        assert_eq!(amounts, ["1.50", "1.5"]);
        assert_eq!(row.1, [None, Some(Decimal::new(225, 2))]);
        let last = NaiveTime::from_hms_micro_opt(23, 59, 59, 999_999).expect("a time");
        assert_eq!(row.2, [last]);
        let noon = NaiveTime::from_hms_opt(12, 0, 0).expect("a time");
        assert_eq!(row.3, [None, Some(noon)]);

        let err = exact::table
            .select(exact::amounts)
            .filter(exact::id.eq(2))
            .get_result_async::<Vec<Decimal>, _>(&conn)
            .await
            .expect_err("29 places do not fit a Decimal");
        let expected = "Array<Numeric> as Vec<Decimal>";
        assert_decode(
            err,
            "amounts",
            expected,
            "beyond Decimal's range or places",
            "0.000",
        );

        let err = exact::table
            .select(exact::maybe_amounts)
            .filter(exact::id.eq(3))
            .get_result_async::<Vec<Option<Decimal>>, _>(&conn)
            .await
            .expect_err("31 places do not fit a Decimal");
        let expected = "Array<Nullable<Numeric>> as Vec<Option<Decimal>>";
        assert_decode(
            err,
            "maybe_amounts",
            expected,
            "beyond Decimal's range or places",
            "0.123",
        );

        let err = exact::table
            .select(exact::times)
            .filter(exact::id.eq(4))
            .get_result_async::<Vec<NaiveTime>, _>(&conn)
            .await
            .expect_err("24:00:00 is not a NaiveTime");
        let expected = "Array<Time> as Vec<NaiveTime>";
        assert_decode(err, "times", expected, "outside 00:00:00", "24:00");

        let err = exact::table
            .select(exact::maybe_times)
            .filter(exact::id.eq(5))
            .get_result_async::<Vec<Option<NaiveTime>>, _>(&conn)
            .await
            .expect_err("24:00:00 is not a NaiveTime");
        let expected = "Array<Nullable<Time>> as Vec<Option<NaiveTime>>";
        assert_decode(err, "maybe_times", expected, "outside 00:00:00", "24:00");
        Ok(())
    })
    .await;
}
