//! Tables declared in separate `table!` invocations, even in separate
//! modules, join along their references with no extra declaration.

use quarry::prelude::*;

mod auth {
    quarry::table! {
        accounts (id) {
            id -> Integer,
            owner -> Text,
        }
    }
}

mod billing {
    // The referenced table's module must be visible from the declaration.
    pub use super::auth::accounts;

    quarry::table! {
        invoices (id) {
            id -> Integer,
            account_id -> Integer references accounts(id),
            total -> BigInt,
        }
    }
}

quarry::table! {
    payments (id) {
        id -> Integer,
        invoice_id -> Integer references invoices(id),
        amount -> BigInt,
    }
}
use billing::{accounts, invoices};

#[test]
fn tables_from_three_invocations_join_along_their_references() {
    let mut db = quarry::sqlite::Connection::open_in_memory().unwrap();
    db.execute_batch(
        "CREATE TABLE accounts (id INTEGER PRIMARY KEY, owner TEXT NOT NULL);
         CREATE TABLE invoices (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL, total INTEGER NOT NULL);
         CREATE TABLE payments (id INTEGER PRIMARY KEY, invoice_id INTEGER NOT NULL, amount INTEGER NOT NULL);
         INSERT INTO accounts VALUES (1, 'ann'), (2, 'bo');
         INSERT INTO invoices VALUES (10, 1, 500), (11, 2, 70);
         INSERT INTO payments VALUES (100, 10, 200), (101, 10, 300);",
    )
    .unwrap();
    let rows: Vec<(String, i64, Option<i64>)> = accounts::table
        .inner_join(invoices::table)
        .left_join(payments::table)
        .select((accounts::owner, invoices::total, payments::amount))
        .order((accounts::id, payments::id))
        .load(&mut db)
        .unwrap();
    assert_eq!(
        rows,
        [
            ("ann".to_owned(), 500, Some(200)),
            ("ann".to_owned(), 500, Some(300)),
            ("bo".to_owned(), 70, None),
        ]
    );
}
