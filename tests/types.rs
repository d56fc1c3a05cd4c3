//! Round trips of every SQL type on both backends: each value is written
//! with a raw insert and read back equal, in a `NOT NULL` column and in a
//! nullable one (`Some` and `None`), and found again through the DSL's
//! binds (`rt::v.eq(value)`). Values include the types' limits; NaN is left
//! out, since it equals nothing.
//!
//! The date, time, UUID, JSON and decimal types run under their cargo
//! features: `cargo test --features chrono,uuid,serde_json,rust_decimal`.

mod common;

#[allow(unused_imports)]
use common::both_backends;
#[allow(unused_imports)]
use quarry::prelude::*;

/// `name: SqlType as RustType, sqlite "DDL type", pg "DDL type", [values];`
/// declares a table `rt (id, v, n)` of that type and a test module `name`
/// whose `round_trip` body runs on both backends.
macro_rules! round_trip {
    ($(
        $(#[$attr:meta])*
        $name:ident: $sql:ident as $rust:ty, sqlite $sqlite:literal, pg $pg:literal,
        [$($value:expr),* $(,)?];
    )*) => {$(
        $(#[$attr])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            use quarry::expression::ToValue;

            quarry::table! {
                rt (id) {
                    id -> Integer,
                    v -> $sql,
                    n -> Nullable<$sql>,
                }
            }

            fn values() -> Vec<$rust> {
                vec![$($value),*]
            }

            both_backends! {
                async fn round_trip(db) {
                    db.batch(
                        concat!("CREATE TABLE rt (id INTEGER PRIMARY KEY, v ", $sqlite, " NOT NULL, n ", $sqlite, ")"),
                        concat!("CREATE TABLE rt (id INTEGER PRIMARY KEY, v ", $pg, " NOT NULL, n ", $pg, ")"),
                    )
                    .await?;
                    let mut values = values();
                    if db.is_mysql() {
                        // MariaDB stores no infinity or NaN: binding one is
                        // a bind error (tests/limits.rs), not a value.
                        values.retain(|v| crate::held_by_mariadb(v));
                    }
                    // Every value twice: `n` is NULL on odd rows.
                    let mut expected = Vec::new();
                    for (i, value) in values.iter().enumerate() {
                        let id = i32::try_from(i).unwrap();
                        let nullable = (i % 2 == 0).then_some(value);
                        db.execute(
                            "INSERT INTO rt (id, v, n) VALUES ($1, $2, $3)",
                            &[quarry::Value::Int(id), value.to_value(), nullable.to_value()],
                        )
                        .await?;
                        expected.push((value.clone(), nullable.cloned()));
                    }

                    let back: Vec<($rust, Option<$rust>)> = db
                        .load(rt::table.select((rt::v, rt::n)).order(rt::id))
                        .await?;
                    assert_eq!(back, expected, "read back on {}", db.backend());

                    // The same values as the DSL's binds find their rows.
                    for (i, value) in values.iter().enumerate() {
                        let id = i32::try_from(i).unwrap();
                        let ids: Vec<i32> = db
                            .load(rt::table.select(rt::id).filter(rt::v.eq(value.clone())))
                            .await?;
                        assert!(ids.contains(&id), "{value:?} (row {id}) on {}: {ids:?}", db.backend());
                        let ids: Vec<i32> = db
                            .load(rt::table.select(rt::id).filter(rt::n.eq(value.clone())))
                            .await?;
                        assert_eq!(ids.contains(&id), i % 2 == 0, "{value:?} (row {id}) as nullable on {}", db.backend());
                    }
                    let nulls: Vec<i32> = db
                        .load(rt::table.select(rt::id).filter(rt::n.is_null()).order(rt::id))
                        .await?;
                    let odd: Vec<i32> = (0..values.len()).filter(|i| i % 2 == 1).map(|i| i32::try_from(i).unwrap()).collect();
                    assert_eq!(nulls, odd);
                    Ok(())
                }
            }
        }
    )*};
}

/// Whether MariaDB can store `v`: every value but a float's infinities
/// and NaN.
fn held_by_mariadb<T: 'static>(v: &T) -> bool {
    let any: &dyn std::any::Any = v;
    match (any.downcast_ref::<f32>(), any.downcast_ref::<f64>()) {
        (Some(f), _) => f.is_finite(),
        (_, Some(f)) => f.is_finite(),
        _ => true,
    }
}

round_trip! {
    small_int: SmallInt as i16, sqlite "SMALLINT", pg "SMALLINT",
        [i16::MIN, -1, 0, 1, i16::MAX];
    integer: Integer as i32, sqlite "INTEGER", pg "INTEGER",
        [i32::MIN, -1, 0, 42, i32::MAX];
    big_int: BigInt as i64, sqlite "BIGINT", pg "BIGINT",
        [i64::MIN, -1, 0, (1 << 53) + 1, i64::MAX];
    float: Float as f32, sqlite "REAL", pg "REAL",
        [f32::MIN, -1.5, -0.0, f32::MIN_POSITIVE, 1e-45, 0.1, f32::MAX, f32::INFINITY, f32::NEG_INFINITY];
    double: Double as f64, sqlite "DOUBLE", pg "DOUBLE PRECISION",
        [f64::MIN, -0.1, 0.0, 5e-324, f64::EPSILON, 1.0 / 3.0, f64::MAX, f64::INFINITY, f64::NEG_INFINITY];
    text: Text as String, sqlite "TEXT", pg "TEXT",
        [
            String::new(),
            "a".to_owned(),
            "Chloé, 漢字, 🦀, \u{10FFFF}".to_owned(),
            "quotes ' \" \\ and placeholders $1 ? :x".to_owned(),
            "line\nbreak\ttab\r".to_owned(),
            "x".repeat(100_000),
        ];
    bool: Bool as bool, sqlite "BOOLEAN", pg "BOOLEAN",
        [true, false];
    binary: Binary as Vec<u8>, sqlite "BLOB", pg "BYTEA",
        [Vec::new(), vec![0], (0..=255).collect(), vec![0xAB; 1 << 16]];
}

#[cfg(feature = "chrono")]
mod chrono_types {
    use super::*;
    use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }
    fn time(h: u32, m: u32, s: u32, micro: u32) -> NaiveTime {
        NaiveTime::from_hms_micro_opt(h, m, s, micro).unwrap()
    }
    fn at(d: NaiveDate, t: NaiveTime) -> NaiveDateTime {
        d.and_time(t)
    }
    fn utc(d: NaiveDate, t: NaiveTime) -> DateTime<Utc> {
        d.and_time(t).and_utc()
    }

    round_trip! {
        date_: Date as NaiveDate, sqlite "DATE", pg "DATE",
            [date(1, 1, 1), date(1969, 12, 31), date(1970, 1, 1), date(2024, 2, 29), date(9999, 12, 31)];
        time_: Time as NaiveTime, sqlite "TIME", pg "TIME",
            [time(0, 0, 0, 0), time(0, 0, 0, 1), time(12, 34, 56, 789_000), time(23, 59, 59, 999_999)];
        timestamp: Timestamp as NaiveDateTime, sqlite "TIMESTAMP", pg "TIMESTAMP",
            [
                at(date(1, 1, 1), time(0, 0, 0, 0)),
                at(date(1969, 12, 31), time(23, 59, 59, 500_000)),
                at(date(1970, 1, 1), time(0, 0, 0, 0)),
                at(date(2024, 2, 29), time(12, 0, 0, 123_456)),
                at(date(9999, 12, 31), time(23, 59, 59, 999_999)),
            ];
        timestamptz: Timestamptz as DateTime<Utc>, sqlite "TIMESTAMPTZ", pg "TIMESTAMPTZ",
            [
                utc(date(1, 1, 1), time(0, 0, 0, 0)),
                utc(date(1969, 12, 31), time(23, 59, 59, 500_000)),
                DateTime::<Utc>::UNIX_EPOCH,
                utc(date(2024, 2, 29), time(12, 0, 0, 123_456)),
                utc(date(9999, 12, 31), time(23, 59, 59, 999_999)),
            ];
    }
}

#[cfg(feature = "uuid")]
mod uuid_type {
    use super::*;
    use uuid::Uuid;

    round_trip! {
        uuid_: Uuid as Uuid, sqlite "UUID", pg "UUID",
            [Uuid::nil(), Uuid::max(), Uuid::from_u128(0x67e5_5044_10b1_426f_9247_bb68_0e5f_e0c8)];
    }
}

#[cfg(feature = "serde_json")]
mod json_type {
    use super::*;
    use serde_json::{Value, json};

    // On SQLite a document keeps every digit only in a column of TEXT
    // affinity: a column declared `JSON` has NUMERIC affinity, which turns
    // a document that is a bare number into an INTEGER or REAL (see
    // `json_in_a_numeric_affinity_column` below).
    round_trip! {
        json_: Json as Value, sqlite "TEXT", pg "JSONB",
            [
                json!(null),
                json!(true),
                json!(0),
                json!(-1.5),
                json!(0.1),
                json!(i64::MIN),
                json!(u64::MAX),
                json!("Chloé 🦀 \"quoted\""),
                json!([]),
                json!({}),
                json!({"a": [1, 2, {"b": null}], "é": "x"}),
            ];
    }

    quarry::table! {
        docs (id) {
            id -> Integer,
            doc -> Json,
        }
    }

    /// SQLite stores a bare number in a column declared `JSON` as a number;
    /// it still loads as JSON. (Numbers beyond `i64` become REAL there.)
    #[test]
    fn json_in_a_numeric_affinity_column() {
        let mut db = quarry::sqlite::Connection::open_in_memory().unwrap();
        db.execute_batch("CREATE TABLE docs (id INTEGER PRIMARY KEY, doc JSON NOT NULL)")
            .unwrap();
        for doc in [json!(7), json!(-1.5), json!({"a": 1}), json!("7")] {
            db.execute(
                "INSERT INTO docs (doc) VALUES (?1)",
                &[quarry::Value::Json(&doc)],
            )
            .unwrap();
        }
        let docs: Vec<Value> = docs::table
            .select(docs::doc)
            .order(docs::id)
            .load(&mut db)
            .unwrap();
        assert_eq!(docs, [json!(7), json!(-1.5), json!({"a": 1}), json!("7")]);
    }
}

#[cfg(feature = "rust_decimal")]
mod decimal_type {
    use super::*;
    use rust_decimal::Decimal;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    // On SQLite a decimal travels as the INTEGER or REAL that is exactly
    // it, so these are values SQLite can hold; `tests/limits.rs` has the
    // ones it cannot (28 digits, `Decimal::MAX`), refused at bind time.
    round_trip! {
        numeric: Numeric as Decimal, sqlite "NUMERIC", pg "NUMERIC",
            [
                Decimal::ZERO,
                dec("-1"),
                dec("1.10"),
                dec("0.1"),
                dec("123456789.123456"),
                dec("0.0000000000000000000000000001"),
                Decimal::from(i64::MAX),
                Decimal::from(i64::MIN),
            ];
    }
}

/// What PostgreSQL holds and the Rust type cannot is a decode error naming
/// the column and both types, never a panic: infinite dates and
/// timestamps, `NaN` or 40-digit numerics, a column of another type.
#[cfg(all(feature = "chrono", feature = "rust_decimal"))]
mod postgres_values_a_rust_type_cannot_hold {
    use super::*;

    quarry::table! {
        odd (id) {
            id -> Integer,
            day -> Date,
            at -> Timestamptz,
            amount -> Numeric,
            label -> Text,
        }
    }

    #[tokio::test]
    async fn are_decode_errors() {
        common::db::run_pg(module_path!(), async |db| {
            let Some(conn) = db.pg() else { return Ok(()) };
            conn.batch_execute(
                "CREATE TABLE odd (id INTEGER PRIMARY KEY, day DATE, at TIMESTAMPTZ, \
                 amount NUMERIC, label INTEGER); \
                 INSERT INTO odd VALUES (1, 'infinity', '-infinity', 'NaN', 7), \
                                        (2, '2024-01-01', now(), 1e40, 8)",
            )
            .await?;
            let decode_error = |e: quarry::Error| match e {
                quarry::Error::Decode {
                    column,
                    expected,
                    found,
                    ..
                } => (column, expected, found),
                other => panic!("expected a decode error, got {other:?}"),
            };

            let err = odd::table
                .select(odd::day)
                .filter(odd::id.eq(1))
                .load_async::<chrono::NaiveDate, _>(conn)
                .await
                .unwrap_err();
            let (column, expected, found) = decode_error(err);
            assert_eq!((column.as_str(), expected), ("day", "Date as NaiveDate"));
            assert!(found.starts_with("date that does not decode"), "{found}");

            let err = odd::table
                .select(odd::at)
                .filter(odd::id.eq(1))
                .get_result_async::<chrono::DateTime<chrono::Utc>, _>(conn)
                .await
                .unwrap_err();
            let (column, _, found) = decode_error(err);
            assert_eq!(column, "at");
            assert!(
                found.starts_with("timestamptz that does not decode"),
                "{found}"
            );

            for id in [1, 2] {
                let err = odd::table
                    .select(odd::amount)
                    .filter(odd::id.eq(id))
                    .get_result_async::<rust_decimal::Decimal, _>(conn)
                    .await
                    .unwrap_err();
                let (column, expected, found) = decode_error(err);
                assert_eq!(
                    (column.as_str(), expected),
                    ("amount", "Numeric as Decimal")
                );
                assert!(found.starts_with("numeric that does not decode"), "{found}");
            }

            let err = odd::table
                .select(odd::label)
                .first_async::<String, _>(conn)
                .await
                .unwrap_err();
            let (column, expected, found) = decode_error(err);
            assert_eq!(
                (column.as_str(), expected, found.as_str()),
                ("label", "Text as String", "int4")
            );
            Ok(())
        })
        .await;
    }
}

/// Values the database writes itself (`DEFAULT CURRENT_TIMESTAMP` and the
/// like) load, and find their row again when bound: on SQLite they are
/// text without a fraction, which quarry writes for whole seconds too.
#[cfg(feature = "chrono")]
mod clock_defaults {
    use super::*;
    use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};

    quarry::table! {
        clock (id) {
            id -> Integer,
            at -> Timestamp,
            tz -> Timestamptz,
            t -> Time,
            d -> Date,
        }
    }

    both_backends! {
        async fn values_from_the_database_clock_compare_equal_when_bound(db) {
            db.batch3(
                "CREATE TABLE clock (id INTEGER PRIMARY KEY,
                    at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
                    tz TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
                    t TIME NOT NULL DEFAULT CURRENT_TIME,
                    d DATE NOT NULL DEFAULT CURRENT_DATE)",
                "CREATE TABLE clock (id INTEGER PRIMARY KEY,
                    at TIMESTAMP(0) NOT NULL DEFAULT LOCALTIMESTAMP(0),
                    tz TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
                    t TIME(0) NOT NULL DEFAULT LOCALTIME(0),
                    d DATE NOT NULL DEFAULT CURRENT_DATE)",
                "CREATE TABLE clock (id INTEGER PRIMARY KEY,
                    at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
                    tz TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
                    t TIME NOT NULL DEFAULT (CURRENT_TIME),
                    d DATE NOT NULL DEFAULT (CURRENT_DATE))",
            )
            .await?;
            db.execute("INSERT INTO clock (id) VALUES (1)", &[]).await?;
            let (at, tz, t, d): (NaiveDateTime, DateTime<Utc>, NaiveTime, NaiveDate) = db
                .get_result(clock::table.select((clock::at, clock::tz, clock::t, clock::d)))
                .await?;
            assert!(tz.timestamp() > 0, "{tz} on {}", db.backend());
            let count = |n: Vec<i32>| n.len();
            let found = count(db.load(clock::table.select(clock::id).filter(clock::at.eq(at))).await?);
            assert_eq!(found, 1, "at = {at} on {}", db.backend());
            let found = count(db.load(clock::table.select(clock::id).filter(clock::at.ge(at))).await?);
            assert_eq!(found, 1, "at >= {at} on {}", db.backend());
            let found = count(db.load(clock::table.select(clock::id).filter(clock::at.le(at))).await?);
            assert_eq!(found, 1, "at <= {at} on {}", db.backend());
            let found = count(db.load(clock::table.select(clock::id).filter(clock::t.eq(t))).await?);
            assert_eq!(found, 1, "t = {t} on {}", db.backend());
            let found = count(db.load(clock::table.select(clock::id).filter(clock::d.eq(d))).await?);
            assert_eq!(found, 1, "d = {d} on {}", db.backend());
            let found = count(db.load(clock::table.select(clock::id).filter(clock::at.eq_any([at]))).await?);
            assert_eq!(found, 1, "at in [{at}] on {}", db.backend());
            Ok(())
        }
    }
}
