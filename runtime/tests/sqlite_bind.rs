//! Binding `Value`s on SQLite.

use quarry_runtime::sqlite::{Connection, ValueRef};
use quarry_runtime::{Error, Value};

/// What SQLite received for one bound value: its `typeof` and its value.
#[derive(Debug, PartialEq)]
enum Got {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

fn got(v: ValueRef<'_>) -> Got {
    match v {
        ValueRef::Null => Got::Null,
        ValueRef::Integer(i) => Got::Integer(i),
        ValueRef::Real(r) => Got::Real(r),
        ValueRef::Text(t) => Got::Text(String::from_utf8(t.to_vec()).unwrap()),
        ValueRef::Blob(b) => Got::Blob(b.to_vec()),
    }
}

fn bind(conn: &mut Connection, value: Value<'_>) -> Got {
    let mut out = None;
    conn.query_static("SELECT ?1", &[value], |row| {
        out = Some(got(row.get_ref(0)?));
        Ok(())
    })
    .unwrap();
    out.unwrap()
}

fn text(s: &str) -> Got {
    Got::Text(s.to_owned())
}

#[test]
fn scalars() {
    let mut c = Connection::open_in_memory().unwrap();
    assert_eq!(bind(&mut c, Value::Null), Got::Null);
    assert_eq!(bind(&mut c, Value::Bool(true)), Got::Integer(1));
    assert_eq!(bind(&mut c, Value::Bool(false)), Got::Integer(0));
    assert_eq!(bind(&mut c, Value::SmallInt(-7)), Got::Integer(-7));
    assert_eq!(
        bind(&mut c, Value::Int(i32::MAX)),
        Got::Integer(i64::from(i32::MAX))
    );
    assert_eq!(
        bind(&mut c, Value::BigInt(i64::MIN)),
        Got::Integer(i64::MIN)
    );
    assert_eq!(bind(&mut c, Value::Float(0.5)), Got::Real(0.5));
    assert_eq!(bind(&mut c, Value::Double(-2.25)), Got::Real(-2.25));
    assert_eq!(bind(&mut c, Value::Text("héllo 'x'")), text("héllo 'x'"));
    assert_eq!(bind(&mut c, Value::Text("")), text(""));
    assert_eq!(
        bind(&mut c, Value::Blob(&[1, 2, 0])),
        Got::Blob(vec![1, 2, 0])
    );
    assert_eq!(bind(&mut c, Value::Blob(&[])), Got::Blob(vec![]));
    let doc = serde_json::json!({"a": [1, "two"], "b": null});
    assert_eq!(
        bind(&mut c, Value::Json(&doc)),
        text(r#"{"a":[1,"two"],"b":null}"#)
    );
}

#[test]
fn json_text_works_with_sqlite_json_functions() {
    let mut c = Connection::open_in_memory().unwrap();
    let doc = serde_json::json!({"name": "Ada", "tags": ["x", "y"]});
    let mut out = None;
    c.query_static(
        "SELECT json_extract(?1, '$.tags[1]')",
        &[Value::Json(&doc)],
        |row| {
            out = Some(got(row.get_ref(0)?));
            Ok(())
        },
    )
    .unwrap();
    assert_eq!(out, Some(text("y")));
}

#[test]
fn wrong_parameter_count_is_a_bind_error() {
    let mut c = Connection::open_in_memory().unwrap();
    let err = c
        .query_static("SELECT ?1, ?2", &[Value::Int(1)], |_| Ok(()))
        .unwrap_err();
    assert!(matches!(err, Error::Bind { index: 2, .. }), "{err:?}");
    let err = c
        .execute("SELECT ?1", &[Value::Int(1), Value::Int(2)])
        .unwrap_err();
    assert!(matches!(err, Error::Bind { index: 2, .. }), "{err:?}");
}

fn in_list(conn: &mut Connection, list: Vec<Value<'_>>) -> Vec<i64> {
    let mut ids = Vec::new();
    conn.query_static(
        "SELECT id FROM t WHERE x IN (SELECT value FROM json_each(?)) ORDER BY id",
        &[Value::List(list)],
        |row| {
            ids.push(row.get_ref(0)?.as_i64().unwrap());
            Ok(())
        },
    )
    .unwrap();
    ids
}

#[test]
fn list_of_ints_with_json_each() {
    let mut c = Connection::open_in_memory().unwrap();
    c.execute_batch(
        "CREATE TABLE t (id INTEGER PRIMARY KEY, x INTEGER);
         INSERT INTO t (x) VALUES (10), (20), (30), (-9223372036854775808);",
    )
    .unwrap();
    assert_eq!(
        in_list(&mut c, vec![Value::Int(10), Value::BigInt(30)]),
        [1, 3]
    );
    assert_eq!(in_list(&mut c, vec![Value::BigInt(i64::MIN)]), [4]);
    assert_eq!(in_list(&mut c, vec![]), Vec::<i64>::new());
    let many: Vec<Value<'_>> = (0..5000).map(|i| Value::BigInt(i * 10)).collect();
    assert_eq!(in_list(&mut c, many), [1, 2, 3]);
    // One statement serves every length.
    assert_eq!(c.statement_cache_len(), 1);
}

#[test]
fn list_of_strings_with_json_each() {
    let mut c = Connection::open_in_memory().unwrap();
    c.execute_batch(
        r#"CREATE TABLE t (id INTEGER PRIMARY KEY, x TEXT);
           INSERT INTO t (x) VALUES ('plain'), ('it''s'), ('say "hi"'), ('ünïcödé 🦀'),
                                    ('back\slash'), ('line
break'), ('');"#,
    )
    .unwrap();
    let all = vec![
        Value::Text("plain"),
        Value::Text("it's"),
        Value::Text("say \"hi\""),
        Value::Text("ünïcödé 🦀"),
        Value::Text("back\\slash"),
        Value::Text("line\nbreak"),
        Value::Text(""),
    ];
    assert_eq!(in_list(&mut c, all), [1, 2, 3, 4, 5, 6, 7]);
    assert_eq!(
        in_list(&mut c, vec![Value::Text("it's"), Value::Text("nope")]),
        [2]
    );
    assert_eq!(
        in_list(&mut c, vec![Value::Text("') OR 1=1 --")]),
        Vec::<i64>::new()
    );
    assert_eq!(in_list(&mut c, vec![]), Vec::<i64>::new());
}

#[test]
fn list_of_mixed_scalars_reads_back() {
    let mut c = Connection::open_in_memory().unwrap();
    let mut out = Vec::new();
    c.query_static(
        "SELECT value FROM json_each(?) ORDER BY key",
        &[Value::List(vec![
            Value::Null,
            Value::Bool(true),
            Value::Float(0.1),
            Value::Double(2.5),
            Value::List(vec![Value::Int(1)]),
        ])],
        |row| {
            out.push(got(row.get_ref(0)?));
            Ok(())
        },
    )
    .unwrap();
    assert_eq!(
        out,
        [
            Got::Null,
            Got::Integer(1),
            Got::Real(f64::from(0.1f32)),
            Got::Real(2.5),
            text("[1]"),
        ]
    );
}

#[test]
fn unbindable_list_items_are_bind_errors() {
    let mut c = Connection::open_in_memory().unwrap();
    for item in [
        Value::Blob(&[1]),
        Value::Double(f64::NAN),
        Value::Float(f32::INFINITY),
    ] {
        let err = c
            .query_static(
                "SELECT ?1, value FROM json_each(?2)",
                &[Value::Null, Value::List(vec![Value::Int(1), item])],
                |_| Ok(()),
            )
            .unwrap_err();
        assert!(matches!(err, Error::Bind { index: 2, .. }), "{err:?}");
    }
}

#[cfg(feature = "chrono")]
#[test]
fn chrono_values_are_iso_text() {
    use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};
    let mut c = Connection::open_in_memory().unwrap();
    let date = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
    let time = NaiveTime::from_hms_milli_opt(13, 4, 5, 67).unwrap();
    assert_eq!(bind(&mut c, Value::Date(date)), text("2024-02-29"));
    assert_eq!(bind(&mut c, Value::Time(time)), text("13:04:05.067"));
    assert_eq!(
        bind(
            &mut c,
            Value::Time(NaiveTime::from_hms_opt(0, 0, 0).unwrap())
        ),
        text("00:00:00")
    );
    assert_eq!(
        bind(
            &mut c,
            Value::Time(NaiveTime::from_hms_micro_opt(1, 2, 3, 4).unwrap())
        ),
        text("01:02:03.000004")
    );
    assert_eq!(
        bind(
            &mut c,
            Value::Time(NaiveTime::from_hms_nano_opt(1, 2, 3, 5).unwrap())
        ),
        text("01:02:03.000000005")
    );
    assert_eq!(
        bind(&mut c, Value::Timestamp(date.and_time(time))),
        text("2024-02-29 13:04:05.067")
    );
    let tz = Utc.with_ymd_and_hms(2024, 2, 29, 23, 59, 58).unwrap();
    assert_eq!(
        bind(&mut c, Value::Timestamptz(tz)),
        text("2024-02-29T23:59:58+00:00")
    );
    // SQLite's date functions read them.
    let mut out = None;
    c.query_static(
        "SELECT datetime(?1), date(?2), time(?3)",
        &[Value::Timestamptz(tz), Value::Date(date), Value::Time(time)],
        |row| {
            out = Some((
                got(row.get_ref(0)?),
                got(row.get_ref(1)?),
                got(row.get_ref(2)?),
            ));
            Ok(())
        },
    )
    .unwrap();
    assert_eq!(
        out,
        Some((
            text("2024-02-29 23:59:58"),
            text("2024-02-29"),
            text("13:04:05")
        ))
    );
}

#[cfg(feature = "chrono")]
#[test]
fn timestamptz_texts_sort_in_time_order() {
    use chrono::{Duration, TimeZone, Utc};
    let mut c = Connection::open_in_memory().unwrap();
    let base = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap();
    let times = [
        base,
        base + Duration::nanoseconds(1),
        base + Duration::microseconds(1),
        base + Duration::milliseconds(1),
        base + Duration::milliseconds(1) + Duration::microseconds(1),
        base + Duration::seconds(1),
    ];
    for pair in times.windows(2) {
        let mut less = None;
        c.query_static(
            "SELECT ?1 < ?2",
            &[Value::Timestamptz(pair[0]), Value::Timestamptz(pair[1])],
            |row| {
                less = row.get_ref(0)?.as_i64().ok();
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(less, Some(1), "{} < {}", pair[0], pair[1]);
    }
}

/// Whole seconds are written without a fraction, as SQLite's own
/// `CURRENT_TIMESTAMP`, `CURRENT_TIME`, `datetime()` and `time()` write
/// them: a value read from such a column and bound again is equal to it.
#[cfg(feature = "chrono")]
#[test]
fn whole_seconds_match_sqlite_clock_text() {
    use chrono::{NaiveDate, NaiveTime, Timelike};
    let mut c = Connection::open_in_memory().unwrap();
    let ts = NaiveDate::from_ymd_opt(2024, 2, 29)
        .unwrap()
        .and_hms_opt(13, 4, 5)
        .unwrap();
    assert_eq!(
        bind(&mut c, Value::Timestamp(ts)),
        text("2024-02-29 13:04:05")
    );
    let mut same = None;
    c.query_static(
        "SELECT datetime(?1) = ?1, time(?2) = ?2",
        &[Value::Timestamp(ts), Value::Time(ts.time())],
        |row| {
            same = Some((row.get_ref(0)?.as_i64().ok(), row.get_ref(1)?.as_i64().ok()));
            Ok(())
        },
    )
    .unwrap();
    assert_eq!(same, Some((Some(1), Some(1))));
    // Fractions order after the whole second they extend.
    let half = ts.with_nanosecond(500_000_000).unwrap();
    let mut less = None;
    c.query_static(
        "SELECT ?1 < ?2",
        &[Value::Timestamp(ts), Value::Timestamp(half)],
        |row| {
            less = row.get_ref(0)?.as_i64().ok();
            Ok(())
        },
    )
    .unwrap();
    assert_eq!(less, Some(1));
    let leap = NaiveTime::from_hms_milli_opt(23, 59, 59, 1_000).unwrap();
    assert_eq!(bind(&mut c, Value::Time(leap)), text("23:59:60"));
}

/// Years outside 0 to 9999 are refused: as text, `+10000-01-01` and
/// `-0001-01-01` would sort before `0000-01-01`.
#[cfg(feature = "chrono")]
#[test]
fn years_beyond_four_digits_are_refused() {
    use chrono::{NaiveDate, TimeZone, Utc};
    let mut c = Connection::open_in_memory().unwrap();
    let far = NaiveDate::from_ymd_opt(10_000, 1, 1).unwrap();
    let before = NaiveDate::from_ymd_opt(-1, 12, 31).unwrap();
    let midnight = chrono::NaiveTime::MIN;
    for value in [
        Value::Date(far),
        Value::Date(before),
        Value::Timestamp(far.and_time(midnight)),
        Value::Timestamptz(Utc.from_utc_datetime(&before.and_time(midnight))),
    ] {
        let err = c
            .query_static("SELECT ?1", &[value], |_| Ok(()))
            .unwrap_err();
        match err {
            Error::Bind { index: 1, message } => {
                assert_eq!(
                    message,
                    "SQLite dates are text that orders only the years 0 to 9999"
                );
            }
            other => panic!("{other:?}"),
        }
        let err = c
            .query_static(
                "SELECT value FROM json_each(?1)",
                &[Value::List(vec![Value::Date(far)])],
                |_| Ok(()),
            )
            .unwrap_err();
        assert!(matches!(err, Error::Bind { index: 1, .. }), "{err:?}");
    }
    for year in [0, 9999] {
        let d = NaiveDate::from_ymd_opt(year, 1, 1).unwrap();
        assert_eq!(
            bind(&mut c, Value::Date(d)),
            text(&format!("{year:04}-01-01"))
        );
    }
}

#[cfg(feature = "chrono")]
#[test]
fn list_of_dates() {
    use chrono::NaiveDate;
    let mut c = Connection::open_in_memory().unwrap();
    c.execute_batch(
        "CREATE TABLE t (id INTEGER PRIMARY KEY, x TEXT);
         INSERT INTO t (x) VALUES ('2024-01-01'), ('2024-01-02');",
    )
    .unwrap();
    let d = NaiveDate::from_ymd_opt(2024, 1, 2).unwrap();
    assert_eq!(in_list(&mut c, vec![Value::Date(d)]), [2]);
}

#[cfg(feature = "uuid")]
#[test]
fn uuid_is_a_16_byte_blob() {
    let mut c = Connection::open_in_memory().unwrap();
    let id = uuid::Uuid::from_u128(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef);
    assert_eq!(
        bind(&mut c, Value::Uuid(id)),
        Got::Blob(id.as_bytes().to_vec())
    );
    let err = c
        .query_static("SELECT ?1", &[Value::List(vec![Value::Uuid(id)])], |_| {
            Ok(())
        })
        .unwrap_err();
    assert!(matches!(err, Error::Bind { index: 1, .. }), "{err:?}");
}

/// A decimal is the INTEGER or REAL that is exactly it, so it compares as
/// a number with aggregates and expressions; one neither holds is refused.
#[cfg(feature = "rust_decimal")]
#[test]
fn decimal_is_an_exact_number_or_a_bind_error() {
    use rust_decimal::Decimal;
    use std::str::FromStr;
    let mut c = Connection::open_in_memory().unwrap();
    let dec = |s: &str| Decimal::from_str(s).unwrap();
    assert_eq!(
        bind(&mut c, Value::Numeric(dec("-42.000"))),
        Got::Integer(-42)
    );
    assert_eq!(
        bind(&mut c, Value::Numeric(Decimal::from(i64::MIN))),
        Got::Integer(i64::MIN)
    );
    assert_eq!(bind(&mut c, Value::Numeric(dec("0.1"))), Got::Real(0.1));
    assert_eq!(bind(&mut c, Value::Numeric(dec("1e20"))), Got::Real(1e20));
    let small = dec("0.0000000000000000000000000001");
    assert_eq!(bind(&mut c, Value::Numeric(small)), Got::Real(1e-28));
    for d in [
        Decimal::MAX,
        dec("-12345678901234567890.123456789"),
        dec("0.1000000000000000000000000001"),
    ] {
        let err = c
            .query_static("SELECT ?1, ?2", &[Value::Null, Value::Numeric(d)], |_| {
                Ok(())
            })
            .unwrap_err();
        match &err {
            Error::Bind { index: 2, message } => {
                assert!(
                    message.contains("cannot hold this decimal exactly"),
                    "{message}"
                );
                assert!(!message.contains("12345"), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }
    // In a list, the same numbers.
    let mut out = Vec::new();
    c.query_static(
        "SELECT value FROM json_each(?) ORDER BY key",
        &[Value::List(vec![
            Value::Numeric(dec("7")),
            Value::Numeric(dec("2.5")),
        ])],
        |row| {
            out.push(got(row.get_ref(0)?));
            Ok(())
        },
    )
    .unwrap();
    assert_eq!(out, [Got::Integer(7), Got::Real(2.5)]);
}

/// SQLite would store NaN as NULL: binding it is an error that says so.
/// Infinities and -0.0 bind as they are.
#[test]
fn nan_is_a_bind_error() {
    let mut c = Connection::open_in_memory().unwrap();
    for nan in [Value::Double(f64::NAN), Value::Float(f32::NAN)] {
        let err = c.query_static("SELECT ?1", &[nan], |_| Ok(())).unwrap_err();
        match &err {
            Error::Bind { index: 1, message } => {
                assert!(message.contains("SQLite stores NaN as NULL"), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(
        bind(&mut c, Value::Double(f64::NEG_INFINITY)),
        Got::Real(f64::NEG_INFINITY)
    );
    match bind(&mut c, Value::Double(-0.0)) {
        Got::Real(z) => assert!(z == 0.0 && z.is_sign_negative(), "{z:?}"),
        other => panic!("{other:?}"),
    }
}
