//! `copy_in_async`: COPY ... FROM STDIN BINARY of typed rows on PostgreSQL.

mod common;

use common::db::with_pg_schema;
use quarry::prelude::*;
use quarry::{Error, Value};

quarry::table! {
    every_type (id) {
        id -> Integer,
        small -> SmallInt,
        big -> BigInt,
        real4 -> Float,
        real8 -> Double,
        flag -> Bool,
        label -> Text,
        bytes -> Binary,
        maybe -> Nullable<Text>,
        maybe_int -> Nullable<Integer>,
    }
}

const DDL: &str = "CREATE TABLE every_type (
    id INTEGER PRIMARY KEY,
    small SMALLINT NOT NULL,
    big BIGINT NOT NULL,
    real4 REAL NOT NULL,
    real8 DOUBLE PRECISION NOT NULL,
    flag BOOLEAN NOT NULL,
    label TEXT NOT NULL,
    bytes BYTEA NOT NULL,
    maybe TEXT,
    maybe_int INTEGER CHECK (maybe_int IS NULL OR maybe_int >= 0)
)";

#[derive(Insertable, Queryable, Debug, Clone, PartialEq)]
#[quarry(table = every_type)]
struct Row {
    id: i32,
    small: i16,
    big: i64,
    real4: f32,
    real8: f64,
    flag: bool,
    label: String,
    bytes: Vec<u8>,
    maybe: Option<String>,
    maybe_int: Option<i32>,
}

fn rows(n: i32) -> Vec<Row> {
    (0..n)
        .map(|i| Row {
            id: i,
            small: i16::MIN + i as i16,
            big: i64::MAX - i64::from(i),
            real4: i as f32 / 4.0,
            real8: f64::from(i) * 1e-300,
            flag: i % 2 == 0,
            label: format!("row {i}: 'quoted' \"é\" \t\n"),
            bytes: vec![0, 255, i as u8],
            maybe: (i % 3 == 0).then(|| format!("maybe {i}")),
            maybe_int: (i % 2 == 1).then_some(i),
        })
        .collect()
}

/// Every column type comes back equal after a COPY, through a connection
/// and through a pool.
#[tokio::test]
async fn copy_round_trips_every_column_type() {
    with_pg_schema(module_path!(), async |schema| {
        let conn = quarry::pg::Connection::connect(&schema.url).await?;
        conn.batch_execute(DDL).await?;
        let written = rows(1000);
        let copied = quarry::insert_into(every_type::table)
            .values(&written)
            .copy_in_async(&conn)
            .await?;
        assert_eq!(copied, 1000);
        let read: Vec<Row> = every_type::table
            .order(every_type::id)
            .load_async(&conn)
            .await?;
        assert_eq!(read, written);

        let pool = quarry::pg::Pool::connect(&schema.url).await?;
        conn.batch_execute("TRUNCATE every_type").await?;
        let copied = quarry::insert_into(every_type::table)
            .values(&written[..10])
            .copy_in_async(&pool)
            .await?;
        assert_eq!(copied, 10);
        let read: Vec<Row> = every_type::table
            .order(every_type::id)
            .load_async(&pool)
            .await?;
        assert_eq!(read, written[..10]);
        Ok(())
    })
    .await;
}

/// A row that breaks a constraint fails the whole COPY with the
/// constraint's typed error; nothing is loaded, and the connection runs
/// the next statement.
#[tokio::test]
async fn copy_reports_constraint_violations() {
    with_pg_schema(module_path!(), async |schema| {
        let conn = quarry::pg::Connection::connect(&schema.url).await?;
        conn.batch_execute(DDL).await?;
        let mut duplicate = rows(5);
        duplicate.push(duplicate[2].clone());
        let err = quarry::insert_into(every_type::table)
            .values(&duplicate)
            .copy_in_async(&conn)
            .await
            .expect_err("a duplicate key");
        assert!(matches!(err, Error::UniqueViolation { .. }), "{err:?}");

        let mut negative = rows(5);
        negative[4].maybe_int = Some(-1);
        let err = quarry::insert_into(every_type::table)
            .values(&negative)
            .copy_in_async(&conn)
            .await
            .expect_err("a check violation");
        assert!(matches!(err, Error::CheckViolation { .. }), "{err:?}");

        let count: i64 = every_type::table.count().get_result_async(&conn).await?;
        assert_eq!(count, 0);
        conn.execute(
            "INSERT INTO every_type SELECT * FROM every_type",
            &[Value::Null; 0],
        )
        .await?;
        Ok(())
    })
    .await;
}
