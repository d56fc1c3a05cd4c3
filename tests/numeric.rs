//! Issue #13: a `Numeric` bind compared with an aggregate, arithmetic, a
//! CASE or a subquery finds the same rows on SQLite as on PostgreSQL.
//!
//! SQLite used to receive a `Decimal` as TEXT. When neither side of a
//! comparison is a column, SQLite applies no affinity and orders every
//! number before every text, so `HAVING SUM(quantity) > ?` was false for
//! every group. A decimal now travels as the INTEGER or REAL that is
//! exactly it (see `runtime/src/sqlite/exact_number.rs`).
//!
//! Runs under the `rust_decimal` feature:
//! `cargo test --features chrono,uuid,serde_json,rust_decimal --test numeric`.
#![cfg(feature = "rust_decimal")]

mod common;

use common::both_backends;
use quarry::expression::{case_when, max, scalar, sum};
use quarry::prelude::*;
use rust_decimal::Decimal;

quarry::table! {
    order_lines (id) {
        id -> Integer,
        order_id -> Integer,
        quantity -> Numeric,
        price -> Numeric,
    }
}

fn dec(s: &str) -> Decimal {
    s.parse().expect("a decimal literal")
}

/// Orders 1 to 3, with quantities summing to 5.5, 10.25 and 2.
async fn seed(db: &mut common::Db) -> Result<(), quarry::Error> {
    db.batch(
        "CREATE TABLE order_lines (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, \
         quantity NUMERIC NOT NULL, price NUMERIC NOT NULL)",
        "CREATE TABLE order_lines (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, \
         quantity NUMERIC NOT NULL, price NUMERIC NOT NULL)",
    )
    .await?;
    for (id, order_id, quantity, price) in [
        (1, 1, "2.5", "4.00"),
        (2, 1, "3", "1.10"),
        (3, 2, "10", "0.5"),
        (4, 2, "0.25", "100"),
        (5, 3, "1", "2"),
        (6, 3, "1", "3"),
    ] {
        db.execute(
            "INSERT INTO order_lines (id, order_id, quantity, price) VALUES ($1, $2, $3, $4)",
            &[
                quarry::Value::Int(id),
                quarry::Value::Int(order_id),
                quarry::Value::Numeric(dec(quantity)),
                quarry::Value::Numeric(dec(price)),
            ],
        )
        .await?;
    }
    Ok(())
}

both_backends! {
    /// The query: 2 rows, not 0, with a fractional and a whole bind.
    async fn having_sum_greater_than_a_decimal_bind(db) {
        seed(db).await?;
        for bound in [dec("5"), dec("5.25"), dec("5.0")] {
            let orders: Vec<i32> = db
                .load(
                    order_lines::table
                        .group_by(order_lines::order_id)
                        .having(sum(order_lines::quantity).gt(bound))
                        .select(order_lines::order_id)
                        .order(order_lines::order_id),
                )
                .await?;
            assert_eq!(orders, [1, 2], "sum > {bound} on {}", db.backend());
        }

        // The sums themselves come back as decimals, equal on both.
        let sums: Vec<(i32, Option<Decimal>)> = db
            .load(
                order_lines::table
                    .group_by(order_lines::order_id)
                    .select((order_lines::order_id, sum(order_lines::quantity)))
                    .order(order_lines::order_id),
            )
            .await?;
        assert_eq!(
            sums,
            [(1, Some(dec("5.5"))), (2, Some(dec("10.25"))), (3, Some(dec("2")))],
            "on {}",
            db.backend()
        );
        Ok(())
    }

    /// Arithmetic on columns, and on a column and a bind, compared with a
    /// bind.
    async fn arithmetic_compared_with_a_decimal_bind(db) {
        seed(db).await?;
        // quantity * price: 10, 3.3, 5, 25, 2, 3.
        let ids: Vec<i32> = db
            .load(
                order_lines::table
                    .filter((order_lines::quantity * order_lines::price).gt(dec("3.25")))
                    .select(order_lines::id)
                    .order(order_lines::id),
            )
            .await?;
        assert_eq!(ids, [1, 2, 3, 4], "on {}", db.backend());

        // quantity + 0.5 >= 3: 3, 3.5, 10.5.
        let ids: Vec<i32> = db
            .load(
                order_lines::table
                    .filter((order_lines::quantity + dec("0.5")).ge(dec("3")))
                    .select(order_lines::id)
                    .order(order_lines::id),
            )
            .await?;
        assert_eq!(ids, [1, 2, 3], "on {}", db.backend());
        Ok(())
    }

    /// `CASE ... END > ?` with decimal branches and binds.
    async fn case_compared_with_a_decimal_bind(db) {
        seed(db).await?;
        // quantity where above 2, else 0: 2.5, 3, 10, 0, 0, 0.
        let ids: Vec<i32> = db
            .load(
                order_lines::table
                    .filter(
                        case_when(order_lines::quantity.gt(dec("2")), order_lines::quantity)
                            .otherwise(Decimal::ZERO)
                            .gt(dec("2.75")),
                    )
                    .select(order_lines::id)
                    .order(order_lines::id),
            )
            .await?;
        assert_eq!(ids, [2, 3], "on {}", db.backend());
        Ok(())
    }

    /// `(SELECT MAX(quantity) ...) > ?`: true, so every row.
    async fn subquery_compared_with_a_decimal_bind(db) {
        seed(db).await?;
        let ids: Vec<i32> = db
            .load(
                order_lines::table
                    .filter(
                        scalar(order_lines::table.select(max(order_lines::quantity)))
                            .gt(dec("9.5")),
                    )
                    .select(order_lines::id)
                    .order(order_lines::id),
            )
            .await?;
        assert_eq!(ids, [1, 2, 3, 4, 5, 6], "on {}", db.backend());
        Ok(())
    }

    /// `eq_any` with decimals: the SQLite list carries numbers too, so it
    /// matches the aggregate.
    async fn a_list_of_decimals_matches_an_aggregate(db) {
        seed(db).await?;
        let orders: Vec<i32> = db
            .load(
                order_lines::table
                    .group_by(order_lines::order_id)
                    .having(sum(order_lines::quantity).eq_any(vec![dec("10.25"), dec("2")]))
                    .select(order_lines::order_id)
                    .order(order_lines::order_id),
            )
            .await?;
        assert_eq!(orders, [2, 3], "on {}", db.backend());
        Ok(())
    }
}

quarry::table! {
    prices (id) {
        id -> Integer,
        amount -> Numeric,
    }
}

both_backends! {
    /// A `DECIMAL(10,2)` column reads back with its scale on PostgreSQL and
    /// MariaDB (`1.50`, as `to_string` shows it), and equal on SQLite, which
    /// keeps no scale (a REAL).
    async fn a_decimal_column_keeps_its_scale(db) {
        db.batch3(
            "CREATE TABLE prices (id INTEGER PRIMARY KEY, amount NUMERIC(10,2) NOT NULL)",
            "CREATE TABLE prices (id INTEGER PRIMARY KEY, amount NUMERIC(10,2) NOT NULL)",
            "CREATE TABLE prices (id INTEGER PRIMARY KEY, amount DECIMAL(10,2) NOT NULL)",
        )
        .await?;
        for (id, amount) in [(1, "1.50"), (2, "2"), (3, "-0.05")] {
            db.run(quarry::insert_into(prices::table).values((prices::id.eq(id), prices::amount.eq(dec(amount)))))
                .await?;
        }
        let back: Vec<Decimal> = db.load(prices::table.select(prices::amount).order(prices::id)).await?;
        assert_eq!(back, [dec("1.50"), dec("2"), dec("-0.05")], "on {}", db.backend());
        let texts: Vec<String> = back.iter().map(Decimal::to_string).collect();
        if db.backend() == "SQLite" {
            assert_eq!(texts, ["1.5", "2", "-0.05"]);
        } else {
            assert_eq!(texts, ["1.50", "2.00", "-0.05"], "on {}", db.backend());
        }
        Ok(())
    }
}
