//! SQLite connection: opening, raw and static statements, rows, the
//! statement cache.

use quarry_runtime::sqlite::{Connection, ValueRef};
use quarry_runtime::{Error, Value};

fn people() -> Connection {
    let mut conn = Connection::open_in_memory().unwrap();
    conn.execute_batch(
        "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL, age INTEGER);
         INSERT INTO people (name, age) VALUES ('Ada', 36), ('Brendan', 61), ('Chen', NULL);",
    )
    .unwrap();
    conn
}

fn names(conn: &mut Connection, sql: &'static str, params: &[Value<'_>]) -> Vec<String> {
    let mut out = Vec::new();
    conn.query_static(sql, params, |row| {
        if let ValueRef::Text(t) = row.get_ref(0)? {
            out.push(String::from_utf8(t.to_vec()).unwrap());
        }
        Ok(())
    })
    .unwrap();
    out
}

#[test]
fn foreign_keys_are_on() {
    let mut conn = Connection::open_in_memory().unwrap();
    let mut on = None;
    conn.query_raw("PRAGMA foreign_keys", &[], |row| {
        on = Some(row.get_ref(0)?.as_i64().unwrap());
        Ok(())
    })
    .unwrap();
    assert_eq!(on, Some(1));
}

#[test]
fn open_file_and_reopen() {
    let dir = std::env::temp_dir().join(format!("quarry-sqlite-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("open_file.db");
    let _ = std::fs::remove_file(&path);
    {
        let mut conn = Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (7);")
            .unwrap();
    }
    let mut conn = Connection::open(&path).unwrap();
    let n = conn
        .query_raw("SELECT x FROM t", &[], |row| {
            assert_eq!(row.get_ref(0)?, ValueRef::Integer(7));
            Ok(())
        })
        .unwrap();
    assert_eq!(n, 1);
    drop(conn);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn execute_returns_rows_affected() {
    let mut conn = people();
    let n = conn
        .execute(
            "UPDATE people SET age = age + ?1 WHERE age IS NOT NULL",
            &[Value::Int(1)],
        )
        .unwrap();
    assert_eq!(n, 2);
    let n = conn
        .execute_static("DELETE FROM people WHERE name = ?", &[Value::Text("Chen")])
        .unwrap();
    assert_eq!(n, 1);
    // A read-only statement changes nothing, whatever ran before it.
    let n = conn.execute_static("SELECT * FROM people", &[]).unwrap();
    assert_eq!(n, 0);
    // Rows returned by a statement that changes rows are skipped.
    let n = conn
        .execute(
            "INSERT INTO people (name) VALUES (?1), (?2) RETURNING id",
            &[Value::Text("D"), Value::Text("E")],
        )
        .unwrap();
    assert_eq!(n, 2);
}

#[test]
fn query_static_calls_back_per_row_and_counts() {
    let mut conn = people();
    let sql = "SELECT name, age FROM people WHERE age > ? ORDER BY id";
    assert_eq!(names(&mut conn, sql, &[Value::Int(40)]), ["Brendan"]);
    assert_eq!(names(&mut conn, sql, &[Value::Int(0)]), ["Ada", "Brendan"]);
    assert_eq!(conn.statement_cache_len(), 1);
    let n = conn
        .query_static(sql, &[Value::Int(100)], |_| Ok(()))
        .unwrap();
    assert_eq!(n, 0);
}

#[test]
fn callback_error_stops_the_query_and_leaves_the_statement_usable() {
    let mut conn = people();
    let sql = "SELECT name FROM people ORDER BY id";
    let mut seen = 0;
    let err = conn
        .query_static(sql, &[], |_| {
            seen += 1;
            Err(Error::NotFound)
        })
        .unwrap_err();
    assert!(matches!(err, Error::NotFound));
    assert_eq!(seen, 1);
    assert_eq!(names(&mut conn, sql, &[]), ["Ada", "Brendan", "Chen"]);
}

#[test]
fn row_accessors() {
    let mut conn = people();
    conn.query_static(
        "SELECT id, name AS who, age, 1.5 AS r, x'00ff' AS b FROM people WHERE id = 3",
        &[],
        |row| {
            assert_eq!(row.len(), 5);
            assert!(!row.is_empty());
            assert_eq!(row.column_name(1), "who");
            assert_eq!(row.column_name(99), "");
            assert_eq!(row.get_ref(0)?, ValueRef::Integer(3));
            assert_eq!(row.get_ref(1)?, ValueRef::Text(b"Chen"));
            assert_eq!(row.get_ref(2)?, ValueRef::Null);
            assert_eq!(row.get_ref(3)?, ValueRef::Real(1.5));
            assert_eq!(row.get_ref(4)?, ValueRef::Blob(&[0, 255]));
            assert!(matches!(row.get_ref(5), Err(Error::Sqlite(_))));
            let raw: String = row.raw().get(1).unwrap();
            assert_eq!(raw, "Chen");
            Ok(())
        },
    )
    .unwrap();
}

#[test]
fn statement_cache_is_bounded_and_settable() {
    let mut conn = people();
    assert_eq!(
        conn.statement_cache_capacity(),
        quarry_runtime::sqlite::DEFAULT_STATEMENT_CACHE_CAPACITY
    );
    conn.set_statement_cache_capacity(2);
    for sql in ["SELECT 1", "SELECT 2", "SELECT 3"] {
        conn.query_static(sql, &[], |_| Ok(())).unwrap();
    }
    assert_eq!(conn.statement_cache_len(), 2);
    conn.set_statement_cache_capacity(0);
    assert_eq!(conn.statement_cache_len(), 0);
    assert_eq!(
        names(&mut conn, "SELECT name FROM people WHERE id = 1", &[]),
        ["Ada"]
    );
    assert_eq!(conn.statement_cache_len(), 0);
    conn.set_statement_cache_capacity(8);
    conn.query_static("SELECT 1", &[], |_| Ok(())).unwrap();
    assert_eq!(conn.statement_cache_len(), 1);
    conn.clear_statement_cache();
    assert_eq!(conn.statement_cache_len(), 0);
}

#[test]
fn cached_statement_survives_schema_change() {
    let mut conn = people();
    let sql = "SELECT * FROM people WHERE id = 1";
    let mut cols = 0;
    conn.query_static(sql, &[], |row| {
        cols = row.len();
        Ok(())
    })
    .unwrap();
    assert_eq!(cols, 3);
    conn.execute_batch("ALTER TABLE people ADD COLUMN email TEXT")
        .unwrap();
    conn.query_static(sql, &[], |row| {
        cols = row.len();
        Ok(())
    })
    .unwrap();
    assert_eq!(cols, 4);
}

#[test]
fn bad_sql_is_an_error_not_a_panic() {
    let mut conn = people();
    assert!(matches!(
        conn.query_static("SELEC nonsense", &[], |_| Ok(())),
        Err(Error::Sqlite(_))
    ));
    assert!(matches!(
        conn.execute("SELECT * FROM missing", &[]),
        Err(Error::Sqlite(_))
    ));
    assert!(matches!(
        conn.execute_batch("nonsense;"),
        Err(Error::Sqlite(_))
    ));
}

#[test]
fn connection_is_send() {
    fn assert_send<T: Send>() {}
    assert_send::<Connection>();
    let mut conn = people();
    let handle =
        std::thread::spawn(move || names(&mut conn, "SELECT name FROM people WHERE id = 2", &[]));
    assert_eq!(handle.join().unwrap(), ["Brendan"]);
}

#[test]
fn into_and_from_rusqlite() {
    let conn = people();
    let raw = conn.into_rusqlite();
    let n: i64 = raw
        .query_row("SELECT count(*) FROM people", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 3);
    let mut conn = Connection::from_rusqlite(raw).unwrap();
    assert_eq!(
        names(&mut conn, "SELECT name FROM people WHERE id = 1", &[]),
        ["Ada"]
    );
    assert!(format!("{conn:?}").contains("Connection"));
}
