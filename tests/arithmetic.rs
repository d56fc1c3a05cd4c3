//! Analytic arithmetic written as SQL writes it: operators on any numeric
//! expression, Rust numbers on either side, numeric promotion, and
//! comparisons across numeric types. Each query runs on SQLite and
//! PostgreSQL against the same hand-written SQL, and its build-time SQL is
//! pinned for both dialects.
#![cfg(feature = "rust_decimal")]

mod common;

use common::both_backends;
use quarry::expression::{Bound, avg, case_when, cast, count_star, max, scalar, sum};
use quarry::prelude::*;
use quarry::sql_types::{BigInt, Double, Integer, Nullable, Numeric};
use rust_decimal::Decimal;

quarry::table! {
    /// Order lines, as in a decision-support benchmark.
    lineitem (id) {
        id -> Integer,
        price -> Numeric,
        discount -> Numeric,
        quantity -> Integer,
        big -> BigInt,
        ratio -> Double,
        small -> SmallInt,
        spare -> Nullable<Integer>,
        shipped -> Bool,
    }
}

const SQLITE_DDL: &str = "CREATE TABLE lineitem (id INTEGER PRIMARY KEY, price NUMERIC NOT NULL, \
    discount NUMERIC NOT NULL, quantity INTEGER NOT NULL, big INTEGER NOT NULL, ratio REAL NOT NULL, \
    small INTEGER NOT NULL, spare INTEGER, shipped BOOLEAN NOT NULL)";
const PG_DDL: &str = "CREATE TABLE lineitem (id INTEGER PRIMARY KEY, price NUMERIC(12, 2) NOT NULL, \
    discount NUMERIC(4, 2) NOT NULL, quantity INTEGER NOT NULL, big BIGINT NOT NULL, \
    ratio DOUBLE PRECISION NOT NULL, small SMALLINT NOT NULL, spare INTEGER, shipped BOOLEAN NOT NULL)";

fn dec(s: &str) -> Decimal {
    s.parse().expect("a decimal literal")
}

async fn seed(db: &mut common::Db) -> Result<(), quarry::Error> {
    db.batch(SQLITE_DDL, PG_DDL).await?;
    let rows = [
        (
            1,
            "100.00",
            "0.05",
            10,
            3_000_000_000_i64,
            0.5,
            2_i16,
            Some(3),
            true,
        ),
        (2, "250.50", "0.10", 4, 7, 1.25, 3, None, false),
        (3, "999.99", "0.00", 1, -5, 2.0, 4, Some(-2), true),
        (4, "40.25", "0.20", 25, 12, 0.75, 5, None, true),
    ];
    for (id, price, discount, quantity, big, ratio, small, spare, shipped) in rows {
        db.run(quarry::insert_into(lineitem::table).values((
            lineitem::id.eq(id),
            lineitem::price.eq(dec(price)),
            lineitem::discount.eq(dec(discount)),
            lineitem::quantity.eq(quantity),
            lineitem::big.eq(big),
            lineitem::ratio.eq(ratio),
            lineitem::small.eq(small),
            lineitem::spare.eq(spare),
            lineitem::shipped.eq(shipped),
        )))
        .await?;
    }
    Ok(())
}

/// Runs the typed query and the hand-written SQL, and checks they agree.
macro_rules! same_rows {
    ($db:expr, $st:ty, $rust:ty, $typed:expr, $sql:expr) => {{
        let typed: Vec<$rust> = $db.load($typed).await?;
        let raw: Vec<$rust> = $db.load_raw::<$st, $rust>($sql).await?;
        assert_eq!(
            typed,
            raw,
            "typed query and hand-written SQL differ on {}",
            $db.backend()
        );
        assert!(!typed.is_empty());
        typed
    }};
}

/// Pins a query's SQL for SQLite and PostgreSQL.
macro_rules! pin {
    ($query:expr, $sqlite:expr, $pg:expr) => {
        assert_eq!(quarry::const_sql!(Sqlite, $query), $sqlite);
        assert_eq!(quarry::const_sql!(Pg, $query), $pg);
    };
}

/// `price * (1 - discount)`: a Rust integer left of `-`, beside a
/// `Numeric`, is bound as `NUMERIC`; the product is `Numeric`.
macro_rules! net_price {
    () => {
        lineitem::table
            .select((lineitem::id, lineitem::price * (1 - lineitem::discount)))
            .order(lineitem::id)
    };
}

/// `0.2 * avg(quantity)` and `count(*) + 1`, `100 * sum(price)`.
macro_rules! scaled_aggregates {
    () => {
        lineitem::table.select((
            0.2 * avg(lineitem::quantity),
            count_star() + 1,
            100 * sum(lineitem::price),
        ))
    };
}

/// `sum(price) / sum(quantity)`: `Numeric / BigInt` is `Numeric`, divided
/// as a real on SQLite.
macro_rules! ratio_of_sums {
    () => {
        lineitem::table.select(sum(lineitem::price) / sum(lineitem::quantity))
    };
}

/// A CASE and a CAST inside arithmetic, and unary minus.
macro_rules! case_and_cast {
    () => {
        lineitem::table
            .select((
                lineitem::id,
                case_when(lineitem::shipped, lineitem::quantity).otherwise(0) * 2,
                cast::<Double, _>(lineitem::quantity) * 1.5,
                -lineitem::small,
            ))
            .order(lineitem::id)
    };
}

/// Mixed numeric types: `Numeric * BigInt`, `BigInt < Numeric`,
/// `Integer + BigInt`, and an integer literal against a `Numeric` column.
macro_rules! mixed_types {
    () => {
        lineitem::table
            .filter(
                lineitem::price
                    .gt(300)
                    .or(lineitem::big.lt(lineitem::price)),
            )
            .select((
                lineitem::id,
                lineitem::price * lineitem::big,
                lineitem::quantity + lineitem::big,
                lineitem::small * lineitem::quantity,
            ))
            .order(lineitem::id)
    };
}

/// A scalar subquery in arithmetic; nullability through arithmetic.
macro_rules! subquery_and_nulls {
    () => {
        lineitem::table
            .select((
                lineitem::id,
                lineitem::ratio - scalar(lineitem::table.select(max(lineitem::ratio))),
                lineitem::spare * 2,
                1.0 - lineitem::ratio,
            ))
            .order(lineitem::id)
    };
}

both_backends! {
    async fn a_rust_number_left_of_an_operator(db) {
        seed(db).await?;
        let rows = same_rows!(
            db,
            (Integer, Numeric),
            (i32, Decimal),
            net_price!(),
            "SELECT id, price * (1 - discount) FROM lineitem ORDER BY id"
        );
        assert_eq!(rows[0], (1, dec("95")));
        // Exact on PostgreSQL; SQLite computes in double precision
        // (`docs/decisions.md`): 225.45000000000002.
        if db.is_pg() {
            assert_eq!(rows[1], (2, dec("225.45")));
        } else {
            assert!((rows[1].1 - dec("225.45")).abs() < dec("0.000000001"), "{:?}", rows[1]);
        }
        Ok(())
    }

    async fn operators_on_aggregates(db) {
        seed(db).await?;
        let rows = same_rows!(
            db,
            (Nullable<Double>, BigInt, Nullable<Numeric>),
            (Option<f64>, i64, Option<Decimal>),
            scaled_aggregates!(),
            "SELECT 0.2 * CAST(AVG(quantity) AS DOUBLE PRECISION), COUNT(*) + 1, 100 * SUM(price) FROM lineitem"
        );
        let (avg, count, sum) = &rows[0];
        assert!((avg.unwrap_or(0.0) - 2.0).abs() < 1e-12, "{avg:?}");
        assert_eq!(*count, 5);
        assert_eq!(*sum, Some(dec("139074")));
        Ok(())
    }

    async fn a_ratio_of_sums_is_not_truncated(db) {
        seed(db).await?;
        let rows: Vec<Option<Decimal>> = db.load(ratio_of_sums!()).await?;
        let ratio = rows[0].unwrap_or_default();
        // 1390.74 / 40 = 34.7685 on both: no integer division on SQLite.
        assert!((ratio - dec("34.7685")).abs() < dec("0.000000001"), "{ratio} on {}", db.backend());
        Ok(())
    }

    async fn case_cast_and_unary_minus_in_arithmetic(db) {
        seed(db).await?;
        let rows = same_rows!(
            db,
            (Integer, Integer, Double, quarry::sql_types::SmallInt),
            (i32, i32, f64, i16),
            case_and_cast!(),
            "SELECT id, CASE WHEN shipped THEN quantity ELSE 0 END * 2, CAST(quantity AS DOUBLE PRECISION) * 1.5, -small FROM lineitem ORDER BY id"
        );
        assert_eq!(rows[1], (2, 0, 6.0, -3));
        Ok(())
    }

    async fn numeric_types_mix_and_promote(db) {
        seed(db).await?;
        let rows: Vec<(i32, Decimal, i64, i32)> = db.load(mixed_types!()).await?;
        let ids: Vec<i32> = rows.iter().map(|r| r.0).collect();
        // price > 300 (row 3), or big < price (rows 2, 3, 4).
        assert_eq!(ids, [2, 3, 4]);
        assert_eq!(rows[0].1, dec("1753.50"));
        assert_eq!(rows[1].2, -4);
        assert_eq!(rows[2].3, 125);
        Ok(())
    }

    async fn subqueries_and_nulls_in_arithmetic(db) {
        seed(db).await?;
        let rows = same_rows!(
            db,
            (Integer, Nullable<Double>, Nullable<Integer>, Double),
            (i32, Option<f64>, Option<i32>, f64),
            subquery_and_nulls!(),
            "SELECT id, ratio - (SELECT MAX(ratio) FROM lineitem), spare * 2, 1.0 - ratio FROM lineitem ORDER BY id"
        );
        assert_eq!(rows[0], (1, Some(-1.5), Some(6), 0.5));
        assert_eq!(rows[1].2, None);
        Ok(())
    }
}

#[test]
fn arithmetic_sql_for_both_dialects() {
    pin!(
        net_price!(),
        r#"SELECT "lineitem"."id", "lineitem"."price" * (? - "lineitem"."discount") FROM "lineitem" ORDER BY "lineitem"."id" NULLS LAST"#,
        r#"SELECT "lineitem"."id", "lineitem"."price" * ($1 - "lineitem"."discount") FROM "lineitem" ORDER BY "lineitem"."id""#
    );
    pin!(
        scaled_aggregates!(),
        r#"SELECT ? * AVG("lineitem"."quantity"), COUNT(*) + ?, ? * SUM("lineitem"."price") FROM "lineitem""#,
        r#"SELECT $1 * CAST(AVG("lineitem"."quantity") AS DOUBLE PRECISION), COUNT(*) + $2, $3 * SUM("lineitem"."price") FROM "lineitem""#
    );
    pin!(
        ratio_of_sums!(),
        r#"SELECT CAST(SUM("lineitem"."price") AS REAL) / SUM("lineitem"."quantity") FROM "lineitem""#,
        r#"SELECT SUM("lineitem"."price") / CAST(SUM("lineitem"."quantity") AS BIGINT) FROM "lineitem""#
    );
    pin!(
        case_and_cast!(),
        r#"SELECT "lineitem"."id", CASE WHEN "lineitem"."shipped" THEN "lineitem"."quantity" ELSE ? END * ?, CAST("lineitem"."quantity" AS REAL) * ?, -"lineitem"."small" FROM "lineitem" ORDER BY "lineitem"."id" NULLS LAST"#,
        r#"SELECT "lineitem"."id", CASE WHEN "lineitem"."shipped" THEN "lineitem"."quantity" ELSE $1 END * $2, CAST("lineitem"."quantity" AS DOUBLE PRECISION) * $3, -"lineitem"."small" FROM "lineitem" ORDER BY "lineitem"."id""#
    );
    pin!(
        mixed_types!(),
        r#"SELECT "lineitem"."id", "lineitem"."price" * "lineitem"."big", "lineitem"."quantity" + "lineitem"."big", "lineitem"."small" * "lineitem"."quantity" FROM "lineitem" WHERE "lineitem"."price" > ? OR "lineitem"."big" < "lineitem"."price" ORDER BY "lineitem"."id" NULLS LAST"#,
        r#"SELECT "lineitem"."id", "lineitem"."price" * "lineitem"."big", "lineitem"."quantity" + "lineitem"."big", "lineitem"."small" * "lineitem"."quantity" FROM "lineitem" WHERE "lineitem"."price" > $1 OR "lineitem"."big" < "lineitem"."price" ORDER BY "lineitem"."id""#
    );
    pin!(
        subquery_and_nulls!(),
        r#"SELECT "lineitem"."id", "lineitem"."ratio" - (SELECT MAX("lineitem"."ratio") FROM "lineitem"), "lineitem"."spare" * ?, ? - "lineitem"."ratio" FROM "lineitem" ORDER BY "lineitem"."id" NULLS LAST"#,
        r#"SELECT "lineitem"."id", "lineitem"."ratio" - (SELECT MAX("lineitem"."ratio") FROM "lineitem"), "lineitem"."spare" * $1, $2 - "lineitem"."ratio" FROM "lineitem" ORDER BY "lineitem"."id""#
    );
}

#[test]
fn binds_take_the_promoted_types() {
    use quarry::{ParamType, StaticSql};
    fn types<Q: AsQuery>(_: Q) -> &'static [ParamType]
    where
        Q::Query: StaticSql<Pg>,
    {
        <Q::Query as StaticSql<Pg>>::PARAM_TYPES
    }
    // 1 beside a Numeric is a NUMERIC; 0.2 a DOUBLE; 1 beside count(*) a BIGINT.
    assert_eq!(types(net_price!()), [ParamType::Numeric]);
    assert_eq!(
        types(scaled_aggregates!()),
        [ParamType::Double, ParamType::BigInt, ParamType::Numeric]
    );
    assert_eq!(
        types(
            lineitem::table
                .filter(lineitem::price.gt(300))
                .select(lineitem::id)
        ),
        [ParamType::Numeric]
    );
    let _: Bound<Integer, i32> = Bound::new(1);
}
