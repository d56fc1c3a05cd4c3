//! Every SQL type at its limits, on both backends. Each value is bound in a
//! raw insert and read back through the DSL; it either comes back exactly
//! (floats bit for bit, NaN as NaN) or its error is pinned here: the
//! variant, that it names the parameter or column, and that its message
//! does not contain the value.
//!
//! What SQLite cannot keep, and so is pinned rather than exact there: NaN
//! (refused at bind: SQLite would store NULL), the sign of -0.0 in a REAL
//! column, decimals an `f64` cannot hold (refused at bind) and a decimal's
//! trailing zeros. PostgreSQL refuses NUL in text and `\u0000` in JSONB, and
//! keeps microseconds (nanoseconds and leap seconds refused at bind).
//!
//! MariaDB (feature `mysql`): no NaN or infinity (refused at bind), no
//! sign on -0.0, microseconds (nanoseconds refused at bind), a decimal's
//! trailing zeros trimmed with DECIMAL(65,30)'s padding, JSON no deeper
//! than 31 levels (its JSON columns' CHECK), and the protocol's type
//! names (`LONG`, `LONGLONG`, `DOUBLE`) in decode errors.
//!
//! `cargo test --features chrono,uuid,serde_json,rust_decimal --test limits`.

mod common;

#[allow(unused_imports)]
use common::{Db, both_backends};
#[allow(unused_imports)]
use quarry::prelude::*;
#[allow(unused_imports)]
use quarry::{Error, Value};

/// Declares a table `lim (id, v)` of one SQL type, `create` for it, and
/// `round`, which writes a value as row `id` through a bind and reads it
/// back through the DSL.
macro_rules! lim_table {
    ($sql:ident as $rust:ty, sqlite $sqlite:literal, pg $pg:literal) => {
        quarry::table! {
            lim (id) {
                id -> Integer,
                v -> $sql,
            }
        }

        async fn create(db: &mut Db) -> Result<(), Error> {
            db.batch(
                concat!(
                    "CREATE TABLE lim (id INTEGER PRIMARY KEY, v ",
                    $sqlite,
                    " NOT NULL)"
                ),
                concat!(
                    "CREATE TABLE lim (id INTEGER PRIMARY KEY, v ",
                    $pg,
                    " NOT NULL)"
                ),
            )
            .await
        }

        async fn round(db: &mut Db, id: i32, value: &$rust) -> Result<$rust, Error> {
            use quarry::expression::ToValue;
            db.execute(
                "INSERT INTO lim (id, v) VALUES ($1, $2)",
                &[Value::Int(id), value.to_value()],
            )
            .await?;
            db.get_result(lim::table.select(lim::v).filter(lim::id.eq(id)))
                .await
        }
    };
}

/// `sqlite`, `pg` or `mysql`: whichever is `db`'s backend's.
fn per_backend<T>(db: &Db, sqlite: T, pg: T, mysql: T) -> T {
    if db.is_pg() {
        pg
    } else if db.is_mysql() {
        mysql
    } else {
        sqlite
    }
}

/// Asserts `err` is a bind error for parameter `index` that says `says`
/// and, in its message and Display, not `value`.
#[track_caller]
fn assert_bind_error(err: Error, index: usize, says: &str, value: &str) {
    let shown = err.to_string();
    match err {
        Error::Bind { index: i, message } => {
            assert_eq!(i, index, "{message}");
            assert!(message.contains(says), "{message:?} should say {says:?}");
            assert!(!message.contains(value), "{message:?} shows the value");
            assert!(!shown.contains(value), "{shown:?} shows the value");
            assert!(shown.contains(&format!("parameter {index}")), "{shown}");
        }
        other => panic!("expected a bind error, got {other:?}"),
    }
}

/// Asserts `err` is a decode error for column `column` whose `found` says
/// `says` and does not contain `value`.
#[track_caller]
fn assert_decode_error(err: Error, column: &str, says: &str, value: &str) {
    let shown = err.to_string();
    match err {
        Error::Decode {
            column: c, found, ..
        } => {
            assert_eq!(c, column, "{found}");
            assert!(found.contains(says), "{found:?} should say {says:?}");
            assert!(!found.contains(value), "{found:?} shows the value");
            assert!(!shown.contains(value), "{shown:?} shows the value");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

mod integers {
    use super::*;

    mod small_int {
        use super::*;
        lim_table!(SmallInt as i16, sqlite "SMALLINT", pg "SMALLINT");

        both_backends! {
            async fn limits(db) {
                create(db).await?;
                for (id, v) in (0..).zip([i16::MIN, -1, 0, i16::MAX]) {
                    assert_eq!(round(db, id, &v).await?, v, "on {}", db.backend());
                }
                // 40000 is an INTEGER on SQLite, an int4 on PostgreSQL, a
                // LONG on MariaDB.
                let err = db
                    .load_raw::<quarry::sql_types::SmallInt, i16>("SELECT 40000 AS v")
                    .await
                    .unwrap_err();
                let says = per_backend(db, "INTEGER out of range for i16", "int4", "LONG out of range");
                assert_decode_error(err, "v", says, "40000");
                Ok(())
            }
        }
    }

    mod integer {
        use super::*;
        lim_table!(Integer as i32, sqlite "INTEGER", pg "INTEGER");

        both_backends! {
            async fn limits(db) {
                create(db).await?;
                for (id, v) in (0..).zip([i32::MIN, -1, 0, i32::MAX]) {
                    assert_eq!(round(db, id, &v).await?, v, "on {}", db.backend());
                }
                let err = db
                    .load_raw::<quarry::sql_types::Integer, i32>("SELECT 5000000000 AS v")
                    .await
                    .unwrap_err();
                let says = per_backend(db, "INTEGER out of range for i32", "int8", "LONGLONG out of range");
                assert_decode_error(err, "v", says, "5000000000");
                Ok(())
            }
        }
    }

    mod big_int {
        use super::*;
        lim_table!(BigInt as i64, sqlite "BIGINT", pg "BIGINT");

        both_backends! {
            async fn limits(db) {
                create(db).await?;
                let values = [i64::MIN, i64::MIN + 1, -1, 0, (1 << 53) + 1, -(1 << 53) - 1, i64::MAX];
                for (id, v) in (0..).zip(values) {
                    assert_eq!(round(db, id, &v).await?, v, "on {}", db.backend());
                }
                // Their SUM is below i64::MIN: an error everywhere, never
                // a clamped value (MariaDB's `CAST(.. AS SIGNED)` would
                // clamp; its exact DECIMAL sum is read or refused instead).
                let sum = db
                    .get_result::<_, Option<i64>>(lim::table.select(quarry::expression::sum(lim::v)))
                    .await;
                match sum {
                    Err(Error::Decode { found, .. }) if db.is_mysql() => {
                        assert!(found.contains("NEWDECIMAL out of range"), "{found}");
                        assert!(!found.contains("922337"), "{found}");
                    }
                    Err(e) => assert!(!db.is_mysql(), "{e:?}"),
                    Ok(v) => panic!("a sum beyond i64 came back {v:?} on {}", db.backend()),
                }
                // Without i64::MIN the sum is -1 (i64::MIN + i64::MAX): it reads.
                let sum = db
                    .get_result::<_, Option<i64>>(
                        lim::table.filter(lim::id.ge(1)).select(quarry::expression::sum(lim::v)),
                    )
                    .await?;
                assert_eq!(sum, Some(-1), "on {}", db.backend());
                Ok(())
            }
        }
    }
}

mod floats {
    use super::*;

    /// Bitwise equality, with every NaN equal to every NaN.
    fn same32(a: f32, b: f32) -> bool {
        a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
    }
    fn same64(a: f64, b: f64) -> bool {
        a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
    }

    mod float {
        use super::*;
        lim_table!(Float as f32, sqlite "REAL", pg "REAL");

        both_backends! {
            async fn limits(db) {
                create(db).await?;
                let exact = [
                    f32::MAX,
                    f32::MIN,
                    f32::MIN_POSITIVE,
                    f32::from_bits(1), // the smallest subnormal
                    -f32::from_bits(0x007f_ffff), // the largest subnormal, negative
                    f32::EPSILON,
                    0.1,
                    16_777_217.0, // 2^24 + 1 rounds to 2^24 as an f32 literal
                    0.0,
                ];
                for (id, v) in (0..).zip(exact) {
                    let back = round(db, id, &v).await?;
                    assert!(same32(back, v), "{v:e} came back {back:e} on {}", db.backend());
                }

                // Infinities: kept by SQLite and PostgreSQL; MariaDB has
                // none, so they are refused before they are sent.
                for (id, v) in (200..).zip([f32::INFINITY, f32::NEG_INFINITY]) {
                    match round(db, id, &v).await {
                        Ok(back) => assert!(!db.is_mysql() && back == v, "{back:?} on {}", db.backend()),
                        Err(e) => {
                            assert!(db.is_mysql(), "{e:?}");
                            assert_bind_error(e, 2, "MariaDB has no NaN or infinity", "\u{0}");
                        }
                    }
                }

                // -0.0: PostgreSQL keeps the sign; a SQLite REAL column and
                // a MariaDB FLOAT do not.
                let back = round(db, 100, &-0.0).await?;
                let expected: f32 = per_backend(db, 0.0, -0.0, 0.0);
                assert!(same32(back, expected), "-0.0 came back {back:?} on {}", db.backend());

                // NaN: PostgreSQL keeps it; SQLite would store NULL; MariaDB
                // has none.
                match round(db, 101, &f32::NAN).await {
                    Ok(back) => assert!(db.is_pg() && back.is_nan(), "{back:?}"),
                    Err(e) => {
                        assert!(!db.is_pg(), "{e:?}");
                        let says = per_backend(db, "SQLite stores NaN as NULL", "", "MariaDB has no NaN or infinity");
                        assert_bind_error(e, 2, says, "\u{0}");
                    }
                }

                if db.is_mysql() {
                    // A DOUBLE no f32 wrote, and an integer none holds
                    // exactly, as raw SQL gives them; one it holds loads.
                    let err = db
                        .load_raw::<quarry::sql_types::Float, f32>("SELECT 1e300 AS v")
                        .await
                        .unwrap_err();
                    assert_decode_error(err, "v", "DOUBLE not exact as f32", "1e300");
                    let err = db
                        .load_raw::<quarry::sql_types::Float, f32>("SELECT 16777217 AS v")
                        .await
                        .unwrap_err();
                    assert_decode_error(err, "v", "not exact as f32", "16777217");
                    let v: Vec<f32> = db
                        .load_raw::<quarry::sql_types::Float, f32>("SELECT 16777216 AS v")
                        .await?;
                    assert_eq!(v, [16_777_216.0]);
                }

                if !db.is_pg() && !db.is_mysql() {
                    // A REAL that no f32 wrote: out of range, or between two f32s.
                    let err = db
                        .load_raw::<quarry::sql_types::Float, f32>("SELECT 1e300 AS v")
                        .await
                        .unwrap_err();
                    assert_decode_error(err, "v", "REAL out of range for f32", "1e300");
                    let err = db
                        .load_raw::<quarry::sql_types::Float, f32>("SELECT 0.1 AS v")
                        .await
                        .unwrap_err();
                    assert_decode_error(err, "v", "REAL that an f32 cannot hold exactly", "0.1");
                    let err = db
                        .load_raw::<quarry::sql_types::Float, f32>("SELECT 16777217 AS v")
                        .await
                        .unwrap_err();
                    assert_decode_error(err, "v", "INTEGER that an f32 cannot hold exactly", "16777217");
                }
                Ok(())
            }
        }
    }

    mod double {
        use super::*;
        lim_table!(Double as f64, sqlite "DOUBLE", pg "DOUBLE PRECISION");

        both_backends! {
            async fn limits(db) {
                create(db).await?;
                let exact = [
                    f64::MAX,
                    f64::MIN,
                    f64::MIN_POSITIVE,
                    f64::from_bits(1), // 5e-324
                    -f64::from_bits(0x000f_ffff_ffff_ffff),
                    f64::EPSILON,
                    0.1,
                    1.0 / 3.0,
                    9_007_199_254_740_992.0, // 2^53
                    0.0,
                ];
                for (id, v) in (0..).zip(exact) {
                    let back = round(db, id, &v).await?;
                    assert!(same64(back, v), "{v:e} came back {back:e} on {}", db.backend());
                }

                for (id, v) in (200..).zip([f64::INFINITY, f64::NEG_INFINITY]) {
                    match round(db, id, &v).await {
                        Ok(back) => assert!(!db.is_mysql() && back == v, "{back:?} on {}", db.backend()),
                        Err(e) => {
                            assert!(db.is_mysql(), "{e:?}");
                            assert_bind_error(e, 2, "MariaDB has no NaN or infinity", "\u{0}");
                        }
                    }
                }

                let back = round(db, 100, &-0.0).await?;
                let expected: f64 = per_backend(db, 0.0, -0.0, 0.0);
                assert!(same64(back, expected), "-0.0 came back {back:?} on {}", db.backend());

                match round(db, 101, &f64::NAN).await {
                    Ok(back) => assert!(db.is_pg() && back.is_nan(), "{back:?}"),
                    Err(e) => {
                        assert!(!db.is_pg(), "{e:?}");
                        let says = per_backend(db, "SQLite stores NaN as NULL", "", "MariaDB has no NaN or infinity");
                        assert_bind_error(e, 2, says, "\u{0}");
                    }
                }

                if !db.is_pg() {
                    // An integer no f64 holds, as an expression can give.
                    let err = db
                        .load_raw::<quarry::sql_types::Double, f64>("SELECT 9007199254740993 AS v")
                        .await
                        .unwrap_err();
                    let says = per_backend(db, "INTEGER that an f64 cannot hold exactly", "", "LONGLONG not exact as f64");
                    assert_decode_error(err, "v", says, "900719925474099");
                    // ... while one it does hold loads.
                    let v: Vec<f64> = db
                        .load_raw::<quarry::sql_types::Double, f64>("SELECT 9007199254740992 AS v")
                        .await?;
                    assert_eq!(v, [9_007_199_254_740_992.0]);
                }
                Ok(())
            }
        }
    }

    /// NaN into a NOT NULL column used to be a not-null violation on
    /// SQLite; now the bind is refused, and a nullable column does not
    /// silently become NULL either.
    mod nan_is_never_null {
        use super::*;

        quarry::table! {
            m (id) {
                id -> Integer,
                v -> Nullable<Double>,
            }
        }

        #[test]
        fn on_sqlite() {
            let mut conn = quarry::sqlite::Connection::open_in_memory().unwrap();
            conn.execute_batch("CREATE TABLE m (id INTEGER PRIMARY KEY, v DOUBLE)")
                .unwrap();
            let err = conn
                .execute(
                    "INSERT INTO m (id, v) VALUES (?1, ?2)",
                    &[Value::Int(1), Value::Double(f64::NAN)],
                )
                .unwrap_err();
            assert_bind_error(err, 2, "SQLite stores NaN as NULL", "\u{0}");
            let err = m::table
                .filter(m::v.eq(f64::NAN))
                .select(m::id)
                .load::<i32>(&mut conn)
                .unwrap_err();
            assert_bind_error(err, 1, "SQLite stores NaN as NULL", "\u{0}");
        }
    }
}

mod text {
    use super::*;
    lim_table!(Text as String, sqlite "TEXT", pg "TEXT");

    both_backends! {
        async fn limits(db) {
            create(db).await?;
            let values = [
                String::new(),
                "x".repeat(1 << 20),
                "\u{10FFFF}\u{FEFF}\u{200B}e\u{301}".to_owned(),
            ];
            for (id, v) in (0..).zip(values) {
                let back = round(db, id, &v).await?;
                assert!(back == v, "{} bytes came back as {} on {}", v.len(), back.len(), db.backend());
            }

            // NUL in text: SQLite keeps it; PostgreSQL refuses text with NUL.
            let nul = "a\0b".to_owned();
            match round(db, 100, &nul).await {
                Ok(back) => assert!(!db.is_pg() && back == nul, "{back:?} on {}", db.backend()),
                Err(e) => {
                    assert!(db.is_pg(), "{e:?}");
                    // Refused before it is sent; nothing quotes the text.
                    assert!(matches!(e, Error::Bind { .. }), "{e:?}");
                    assert!(e.to_string().contains("NUL"), "{e}");
                    assert!(!format!("{e} {e:?}").contains("a\\0b"), "{e:?}");
                }
            }
            Ok(())
        }
    }
}

mod binary {
    use super::*;
    lim_table!(Binary as Vec<u8>, sqlite "BLOB", pg "BYTEA");

    both_backends! {
        async fn limits(db) {
            create(db).await?;
            let values = [Vec::new(), vec![0], vec![0, 0, 0], b"a\0b".to_vec(), vec![0xFF; 1 << 20]];
            for (id, v) in (0..).zip(values) {
                let back = round(db, id, &v).await?;
                assert!(back == v, "{} bytes came back as {} on {}", v.len(), back.len(), db.backend());
            }
            Ok(())
        }
    }
}

mod bool_ {
    use super::*;
    lim_table!(Bool as bool, sqlite "BOOLEAN", pg "BOOLEAN");

    both_backends! {
        async fn limits(db) {
            create(db).await?;
            for (id, v) in (0..).zip([true, false]) {
                assert_eq!(round(db, id, &v).await?, v, "on {}", db.backend());
            }
            if !db.is_pg() {
                // An integer as a bool: 0 or 1, or an error.
                let err = db
                    .load_raw::<quarry::sql_types::Bool, bool>("SELECT 7 AS v")
                    .await
                    .unwrap_err();
                let says = per_backend(db, "INTEGER other than 0 or 1", "", "LONG other than 0 or 1");
                assert_decode_error(err, "v", says, "7");
            }
            Ok(())
        }
    }
}

#[cfg(feature = "rust_decimal")]
mod numeric {
    use super::*;
    use rust_decimal::Decimal;
    lim_table!(Numeric as Decimal, sqlite "NUMERIC", pg "NUMERIC");

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    both_backends! {
        async fn limits(db) {
            create(db).await?;
            // Exact on both: SQLite holds them as an INTEGER or a REAL.
            let both = [
                Decimal::ZERO,
                dec("0.1"),
                dec("-0.1"),
                dec("0.0000000000000000000000000001"),
                dec("-9223372036854775808"),
                dec("9223372036854775807"),
                dec("100000000000000000000"),
                dec("123456789.123456"),
                dec("0.30000000000000004"),
            ];
            for (id, v) in (0..).zip(both) {
                let back = round(db, id, &v).await?;
                assert_eq!(back.to_string(), v.to_string(), "on {}", db.backend());
            }

            // -0: a Decimal can be negative zero; all give back zero.
            let mut negative_zero = Decimal::ZERO;
            negative_zero.set_sign_negative(true);
            let back = round(db, 50, &negative_zero).await?;
            assert!(back.is_zero(), "{back} on {}", db.backend());

            // Scale: PostgreSQL keeps trailing zeros; SQLite does not, nor
            // does MariaDB's DECIMAL(65,30), whose padding zeros decoding
            // trims.
            let back = round(db, 51, &dec("1.10")).await?;
            let expected = if db.is_pg() { "1.10" } else { "1.1" };
            assert_eq!(back.to_string(), expected, "on {}", db.backend());

            // Beyond an f64: exact on PostgreSQL and MariaDB, refused at
            // bind on SQLite.
            let beyond = [
                Decimal::MAX,
                Decimal::MIN,
                dec("3.1415926535897932384626433833"), // 28 places
                dec("0.1000000000000000000000000001"),
                dec("9223372036854775808"), // i64::MAX + 1
                dec("12345678901234567.5"),
            ];
            for (id, v) in (100..).zip(beyond) {
                match round(db, id, &v).await {
                    Ok(back) => {
                        assert!(db.is_pg() || db.is_mysql(), "{v} came back {back} on SQLite");
                        assert_eq!(back.to_string(), v.to_string());
                    }
                    Err(e) => {
                        assert!(!db.is_pg() && !db.is_mysql(), "{v}: {e:?} on {}", db.backend());
                        // The leading digits would show the value.
                        let digits: String = v.to_string().chars().filter(char::is_ascii_digit).take(6).collect();
                        assert_bind_error(e, 2, "SQLite cannot hold this decimal exactly", &digits);
                    }
                }
            }

            // What the database holds and a Decimal cannot.
            let err = db
                .load_raw::<quarry::sql_types::Numeric, Decimal>("SELECT 1e300 AS v")
                .await
                .unwrap_err();
            let says = per_backend(db, "REAL out of range or precision for Decimal", "does not decode", "DOUBLE");
            assert_decode_error(err, "v", says, "1000000");
            if db.is_mysql() {
                // 30 places, which DECIMAL(65,30) holds and a Decimal
                // (28) does not: an error rather than a rounding.
                let err = db
                    .load_raw::<quarry::sql_types::Numeric, Decimal>(
                        "SELECT CAST('0.000000000000000000000000000001' AS DECIMAL(65,30)) AS v",
                    )
                    .await
                    .unwrap_err();
                assert_decode_error(err, "v", "NEWDECIMAL beyond Decimal's range or places", "0.000");
            } else if db.is_pg() {
                // 29 and 31 places: rust_decimal's own decoder rounded them
                // (the first to 0) without a word.
                for sql in [
                    "SELECT 0.00000000000000000000000000001 AS v",
                    "SELECT 0.1234567890123456789012345678901 AS v",
                ] {
                    let err = db.load_raw::<quarry::sql_types::Numeric, Decimal>(sql).await.unwrap_err();
                    assert_decode_error(err, "v", "numeric that does not decode (beyond Decimal's range or places)", "0.000");
                }
                // Zeros past 28 places are only padding: dropped, as on MariaDB.
                let padded: Vec<Decimal> = db
                    .load_raw::<quarry::sql_types::Numeric, Decimal>(
                        "SELECT 1.500000000000000000000000000000 AS v",
                    )
                    .await?;
                assert_eq!(padded[0].to_string(), "1.5");
            } else {
                // 29 places in TEXT: parsing would round it.
                let err = db
                    .load_raw::<quarry::sql_types::Numeric, Decimal>(
                        "SELECT '0.00000000000000000000000000001' AS v",
                    )
                    .await
                    .unwrap_err();
                assert_decode_error(err, "v", "TEXT (31 bytes) that does not parse", "0.000");
            }
            Ok(())
        }
    }
}

#[cfg(feature = "chrono")]
mod chrono_types {
    use super::*;
    use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Utc};

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }
    fn time(h: u32, m: u32, s: u32, nano: u32) -> NaiveTime {
        NaiveTime::from_hms_nano_opt(h, m, s, nano).unwrap()
    }

    mod date_ {
        use super::*;
        lim_table!(Date as NaiveDate, sqlite "DATE", pg "DATE");

        both_backends! {
            async fn limits(db) {
                create(db).await?;
                for (id, v) in (0..).zip([date(1, 1, 1), date(1582, 10, 15), date(2000, 2, 29), date(9999, 12, 31)]) {
                    assert_eq!(round(db, id, &v).await?, v, "on {}", db.backend());
                }
                Ok(())
            }
        }
    }

    mod time_ {
        use super::*;
        lim_table!(Time as NaiveTime, sqlite "TIME", pg "TIME");

        both_backends! {
            async fn limits(db) {
                create(db).await?;
                for (id, v) in (0..).zip([time(0, 0, 0, 0), time(0, 0, 0, 1_000), time(23, 59, 59, 999_999_000)]) {
                    assert_eq!(round(db, id, &v).await?, v, "on {}", db.backend());
                }
                // Nanoseconds: SQLite keeps nine digits; PostgreSQL and
                // MariaDB keep microseconds, so their binds refuse them
                // (tokio-postgres alone would truncate them silently).
                let v = time(12, 0, 0, 123_456_789);
                match round(db, 100, &v).await {
                    Ok(back) => {
                        assert_eq!(db.backend(), "SQLite", "{back}");
                        assert_eq!(back.nanosecond(), 123_456_789);
                    }
                    Err(e) if db.is_pg() => {
                        assert_bind_error(e, 2, "PostgreSQL keeps microseconds", "123456");
                    }
                    Err(e) => {
                        assert!(db.is_mysql(), "{e:?}");
                        assert_bind_error(e, 2, "MariaDB keeps microseconds", "123456");
                    }
                }
                // 24:00:00, which PostgreSQL and MariaDB store and chrono
                // has not: a decode error (PostgreSQL's read as 00:00:00).
                db.execute("INSERT INTO lim (id, v) VALUES (200, '24:00:00')", &[]).await?;
                let err = db
                    .get_result::<_, NaiveTime>(lim::table.select(lim::v).filter(lim::id.eq(200)))
                    .await
                    .unwrap_err();
                let says = per_backend(db, "does not parse", "outside 00:00:00", "outside 00:00:00");
                assert_decode_error(err, "v", says, "24:00");
                Ok(())
            }
        }
    }

    mod timestamp {
        use super::*;
        lim_table!(Timestamp as NaiveDateTime, sqlite "TIMESTAMP", pg "TIMESTAMP");

        both_backends! {
            async fn limits(db) {
                create(db).await?;
                let values = [
                    date(1, 1, 1).and_time(time(0, 0, 0, 0)),
                    date(1969, 12, 31).and_time(time(23, 59, 59, 999_999_000)),
                    date(9999, 12, 31).and_time(time(23, 59, 59, 999_999_000)),
                ];
                for (id, v) in (0..).zip(values) {
                    assert_eq!(round(db, id, &v).await?, v, "on {}", db.backend());
                }
                // Nanoseconds and a leap second: exact on SQLite, refused
                // where the server keeps microseconds.
                let nanos = date(2024, 2, 29).and_time(time(12, 0, 0, 1));
                let leap = date(2016, 12, 31).and_time(time(23, 59, 59, 1_000_000_000));
                for (id, v) in (100..).zip([nanos, leap]) {
                    match round(db, id, &v).await {
                        Ok(back) => assert_eq!((db.backend(), back), ("SQLite", v)),
                        Err(e) if db.is_pg() => assert_bind_error(e, 2, "PostgreSQL", "2024"),
                        Err(e) => {
                            assert!(db.is_mysql(), "{e:?}");
                            assert_bind_error(e, 2, "MariaDB", "2024");
                        }
                    }
                }
                Ok(())
            }
        }
    }

    mod timestamptz {
        use super::*;
        lim_table!(Timestamptz as DateTime<Utc>, sqlite "TIMESTAMPTZ", pg "TIMESTAMPTZ");

        both_backends! {
            async fn limits(db) {
                create(db).await?;
                let values = [
                    date(1, 1, 1).and_time(time(0, 0, 0, 0)).and_utc(),
                    DateTime::<Utc>::UNIX_EPOCH,
                    date(9999, 12, 31).and_time(time(23, 59, 59, 999_999_000)).and_utc(),
                ];
                for (id, v) in (0..).zip(values) {
                    assert_eq!(round(db, id, &v).await?, v, "on {}", db.backend());
                }
                Ok(())
            }
        }
    }
}

#[cfg(feature = "uuid")]
mod uuid_ {
    use super::*;
    use uuid::Uuid;
    lim_table!(Uuid as Uuid, sqlite "UUID", pg "UUID");

    both_backends! {
        async fn limits(db) {
            create(db).await?;
            for (id, v) in (0..).zip([Uuid::nil(), Uuid::max()]) {
                assert_eq!(round(db, id, &v).await?, v, "on {}", db.backend());
            }
            Ok(())
        }
    }
}

#[cfg(feature = "serde_json")]
mod json {
    use super::*;
    use serde_json::{Value as Json, json};
    lim_table!(Json as Json, sqlite "TEXT", pg "JSONB");

    fn nested(depth: usize) -> Json {
        (0..depth).fold(json!(0), |inner, i| {
            if i % 2 == 0 {
                json!([inner])
            } else {
                json!({ "k": inner })
            }
        })
    }

    both_backends! {
        async fn limits(db) {
            create(db).await?;
            let values = [
                json!(u64::MAX),
                json!(i64::MIN),
                json!(5e-324),
                json!(0.1),
                json!("Chloé 漢字 🦀 \u{10FFFF}"),
                json!({"": "", "é": [null, true, {"x": []}]}),
                nested(31),
            ];
            for (id, v) in (0..).zip(values) {
                assert_eq!(round(db, id, &v).await?, v, "on {}", db.backend());
            }

            // Deep nesting: MariaDB's JSON_VALID, the CHECK of its JSON
            // columns, refuses documents 32 levels deep or more.
            match round(db, 98, &nested(100)).await {
                Ok(back) => assert!(!db.is_mysql() && back == nested(100), "on {}", db.backend()),
                Err(e) => {
                    assert!(db.is_mysql(), "{e:?}");
                    assert!(matches!(&e, Error::CheckViolation { constraint, .. } if constraint == "lim.v"), "{e:?}");
                }
            }

            // f64::MAX: JSONB writes it as a 309-digit integer, which
            // serde_json (without its `float_roundtrip` feature) reads as
            // out of range: a decode error naming the column on
            // PostgreSQL, exact on SQLite.
            match round(db, 99, &json!(f64::MAX)).await {
                Ok(back) => assert!(!db.is_pg() && back == json!(f64::MAX), "{back:?}"),
                Err(e) => {
                    assert!(db.is_pg(), "{e:?}");
                    assert_decode_error(e, "v", "jsonb that does not decode", "1797693");
                }
            }

            // A NUL character in a string: SQLite keeps it; PostgreSQL's
            // JSONB refuses `\u0000`.
            let v = json!("a\u{0}b");
            match round(db, 100, &v).await {
                Ok(back) => assert!(!db.is_pg() && back == v, "{back:?} on {}", db.backend()),
                Err(e) => {
                    assert!(db.is_pg(), "{e:?}");
                    assert!(matches!(e, Error::Postgres(_)), "{e:?}");
                }
            }
            Ok(())
        }
    }
}
