//! SQLite transactions as closures, and savepoints.

use std::panic::{AssertUnwindSafe, catch_unwind};

use quarry_runtime::sqlite::{Connection, TransactionMode};
use quarry_runtime::{Error, Value};

fn setup() -> Connection {
    let mut conn = Connection::open_in_memory().unwrap();
    conn.execute_batch("CREATE TABLE t (x INTEGER PRIMARY KEY)")
        .unwrap();
    conn
}

fn insert(conn: &mut Connection, x: i64) -> Result<u64, Error> {
    conn.execute_static("INSERT INTO t (x) VALUES (?)", &[Value::BigInt(x)])
}

fn xs(conn: &mut Connection) -> Vec<i64> {
    let mut out = Vec::new();
    conn.query_static("SELECT x FROM t ORDER BY x", &[], |row| {
        out.push(row.get_ref(0)?.as_i64().unwrap());
        Ok(())
    })
    .unwrap();
    out
}

fn assert_idle(conn: &Connection) {
    assert!(conn.raw().is_autocommit(), "still inside a transaction");
    assert!(!conn.in_transaction());
}

#[test]
fn commit_on_ok() {
    let mut conn = setup();
    let value = conn
        .transaction(|tx| {
            assert!(tx.in_transaction());
            assert!(!tx.raw().is_autocommit());
            insert(tx, 1)?;
            insert(tx, 2)?;
            Ok::<_, Error>("done")
        })
        .unwrap();
    assert_eq!(value, "done");
    assert_idle(&conn);
    assert_eq!(xs(&mut conn), [1, 2]);
}

#[test]
fn rollback_on_err() {
    let mut conn = setup();
    let err = conn
        .transaction(|tx| {
            insert(tx, 1)?;
            insert(tx, 1)?; // duplicate primary key
            Ok::<_, Error>(())
        })
        .unwrap_err();
    assert!(matches!(err, Error::UniqueViolation { .. }), "{err:?}");
    assert_idle(&conn);
    assert_eq!(xs(&mut conn), Vec::<i64>::new());
}

/// A caller's own error type, converted from quarry's.
#[derive(Debug)]
enum AppError {
    Db(Error),
    Invalid,
}

impl From<Error> for AppError {
    fn from(e: Error) -> Self {
        AppError::Db(e)
    }
}

#[test]
fn rollback_on_callers_error_type() {
    let mut conn = setup();
    let err = conn
        .transaction(|tx| {
            insert(tx, 5)?;
            Err::<(), _>(AppError::Invalid)
        })
        .unwrap_err();
    assert!(matches!(err, AppError::Invalid));
    let err = conn
        .transaction(|tx| {
            insert(tx, 5)?;
            insert(tx, 5)?;
            Ok::<_, AppError>(())
        })
        .unwrap_err();
    assert!(matches!(err, AppError::Db(Error::UniqueViolation { .. })));
    assert_idle(&conn);
    assert_eq!(xs(&mut conn), Vec::<i64>::new());
    conn.transaction(|tx| insert(tx, 6).map_err(AppError::Db))
        .unwrap();
    assert_eq!(xs(&mut conn), [6]);
}

#[test]
fn rollback_on_panic() {
    let mut conn = setup();
    let result = catch_unwind(AssertUnwindSafe(|| {
        conn.transaction(|tx| {
            insert(tx, 1)?;
            if tx.in_transaction() {
                panic!("boom");
            }
            Ok::<_, Error>(())
        })
    }));
    assert!(result.is_err());
    assert_idle(&conn);
    assert_eq!(xs(&mut conn), Vec::<i64>::new());
    // The connection is usable, and so are transactions on it.
    conn.transaction(|tx| insert(tx, 2)).unwrap();
    assert_eq!(xs(&mut conn), [2]);
}

#[test]
fn nested_rollback_keeps_outer_work() {
    let mut conn = setup();
    conn.transaction(|tx| {
        insert(tx, 1)?;
        let inner = tx.transaction(|sp| {
            insert(sp, 2)?;
            insert(sp, 1) // fails: duplicate
        });
        assert!(matches!(inner, Err(Error::UniqueViolation { .. })));
        assert!(tx.in_transaction());
        assert!(!tx.raw().is_autocommit());
        tx.transaction(|sp| insert(sp, 3))?;
        Ok::<_, Error>(())
    })
    .unwrap();
    assert_idle(&conn);
    assert_eq!(xs(&mut conn), [1, 3]);
}

#[test]
fn nested_panic_rolls_back_everything() {
    let mut conn = setup();
    let result = catch_unwind(AssertUnwindSafe(|| {
        conn.transaction(|tx| {
            insert(tx, 1)?;
            tx.transaction(|sp| {
                insert(sp, 2)?;
                sp.transaction(|sp2| -> Result<(), Error> {
                    insert(sp2, 3)?;
                    panic!("deep")
                })
            })
        })
    }));
    assert!(result.is_err());
    assert_idle(&conn);
    assert_eq!(xs(&mut conn), Vec::<i64>::new());
}

#[test]
fn nested_panic_caught_inside_keeps_outer_work() {
    let mut conn = setup();
    conn.transaction(|tx| {
        insert(tx, 1)?;
        let caught = catch_unwind(AssertUnwindSafe(|| {
            tx.transaction(|sp| -> Result<(), Error> {
                insert(sp, 2)?;
                panic!("inner")
            })
        }));
        assert!(caught.is_err());
        insert(tx, 3)?;
        Ok::<_, Error>(())
    })
    .unwrap();
    assert_eq!(xs(&mut conn), [1, 3]);
}

#[test]
fn three_levels_commit() {
    let mut conn = setup();
    conn.transaction(|a| {
        insert(a, 1)?;
        a.transaction(|b| {
            insert(b, 2)?;
            b.transaction(|c| insert(c, 3))
        })
    })
    .unwrap();
    assert_idle(&conn);
    assert_eq!(xs(&mut conn), [1, 2, 3]);
}

#[test]
fn immediate_and_exclusive_modes() {
    let mut conn = setup();
    for (i, mode) in [TransactionMode::Immediate, TransactionMode::Exclusive]
        .into_iter()
        .enumerate()
    {
        conn.transaction_with(mode, |tx| {
            assert!(!tx.raw().is_autocommit());
            insert(tx, i64::try_from(i).unwrap())
        })
        .unwrap();
    }
    assert_eq!(xs(&mut conn), [0, 1]);
}

#[test]
fn failing_commit_rolls_back() {
    let mut conn = setup();
    conn.execute_batch(
        "CREATE TABLE parent (id INTEGER PRIMARY KEY);
         CREATE TABLE child (p INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED);",
    )
    .unwrap();
    let err = conn
        .transaction(|tx| {
            insert(tx, 1)?;
            tx.execute_static("INSERT INTO child (p) VALUES (42)", &[])?;
            Ok::<_, Error>(())
        })
        .unwrap_err();
    assert!(matches!(err, Error::ForeignKeyViolation { .. }), "{err:?}");
    assert_idle(&conn);
    assert_eq!(xs(&mut conn), Vec::<i64>::new());
}
