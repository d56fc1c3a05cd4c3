//! SQLite errors mapped to quarry's `Error` variants, against a real database.

use quarry_runtime::sqlite::{Connection, rusqlite};
use quarry_runtime::{Error, Value};

fn setup() -> Connection {
    let mut conn = Connection::open_in_memory().unwrap();
    conn.execute_batch(
        "CREATE TABLE teams (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
         CREATE TABLE users (
             id INTEGER PRIMARY KEY,
             team INTEGER NOT NULL REFERENCES teams (id),
             email TEXT NOT NULL,
             age INTEGER CONSTRAINT age_positive CHECK (age > 0),
             UNIQUE (team, email)
         );
         CREATE TABLE tags (a TEXT, b TEXT, PRIMARY KEY (a, b)) WITHOUT ROWID;
         INSERT INTO teams (id, name) VALUES (1, 'core');
         INSERT INTO users (team, email, age) VALUES (1, 'a@x', 30);
         INSERT INTO tags VALUES ('x', 'y');",
    )
    .unwrap();
    conn
}

/// The `rusqlite` error kept as the source.
fn sqlite_source(e: &Error) -> &rusqlite::Error {
    e.driver_error()
        .and_then(|d| d.get_ref().downcast_ref::<rusqlite::Error>())
        .expect("the rusqlite error is behind the source")
}

#[test]
fn unique_single_column() {
    let mut conn = setup();
    let err = conn
        .execute_static(
            "INSERT INTO teams (name) VALUES (?)",
            &[Value::Text("core")],
        )
        .unwrap_err();
    match &err {
        Error::UniqueViolation { constraint, .. } => assert_eq!(constraint, "teams.name"),
        other => panic!("{other:?}"),
    }
    assert!(sqlite_source(&err).to_string().contains("UNIQUE"));
}

#[test]
fn unique_two_columns() {
    let mut conn = setup();
    let err = conn
        .execute(
            "INSERT INTO users (team, email) VALUES (?1, ?2)",
            &[Value::Int(1), Value::Text("a@x")],
        )
        .unwrap_err();
    match &err {
        Error::UniqueViolation { constraint, .. } => {
            assert_eq!(constraint, "users.team, users.email");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        err.to_string(),
        "unique constraint `users.team, users.email` violated (SQLITE_CONSTRAINT_UNIQUE)"
    );
}

#[test]
fn primary_key() {
    let mut conn = setup();
    let err = conn
        .execute_static("INSERT INTO teams (id, name) VALUES (1, 'other')", &[])
        .unwrap_err();
    match &err {
        Error::UniqueViolation { constraint, .. } => assert_eq!(constraint, "teams.id"),
        other => panic!("{other:?}"),
    }
    // A composite primary key of a WITHOUT ROWID table.
    let err = conn
        .execute_static("INSERT INTO tags VALUES ('x', 'y')", &[])
        .unwrap_err();
    match &err {
        Error::UniqueViolation { constraint, .. } => assert_eq!(constraint, "tags.a, tags.b"),
        other => panic!("{other:?}"),
    }
    match sqlite_source(&err) {
        rusqlite::Error::SqliteFailure(f, _) => {
            assert_eq!(f.extended_code, rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn foreign_key() {
    let mut conn = setup();
    let err = conn
        .execute_static(
            "INSERT INTO users (team, email) VALUES (?, 'b@x')",
            &[Value::Int(99)],
        )
        .unwrap_err();
    assert!(
        matches!(&err, Error::ForeignKeyViolation { constraint, .. } if constraint.is_empty()),
        "{err:?}"
    );
    assert!(sqlite_source(&err).to_string().contains("FOREIGN KEY"));
    // Deleting a referenced row.
    let err = conn
        .execute_static("DELETE FROM teams WHERE id = 1", &[])
        .unwrap_err();
    assert!(matches!(err, Error::ForeignKeyViolation { .. }), "{err:?}");
}

#[test]
fn not_null() {
    let mut conn = setup();
    let err = conn
        .execute_static(
            "INSERT INTO users (team, email) VALUES (1, ?)",
            &[Value::Null],
        )
        .unwrap_err();
    match &err {
        Error::NotNullViolation { column, .. } => assert_eq!(column, "users.email"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn check_named_and_unnamed() {
    let mut conn = setup();
    let err = conn
        .execute_static(
            "INSERT INTO users (team, email, age) VALUES (1, 'c@x', ?)",
            &[Value::Int(-1)],
        )
        .unwrap_err();
    match &err {
        Error::CheckViolation { constraint, .. } => assert_eq!(constraint, "age_positive"),
        other => panic!("{other:?}"),
    }
    conn.execute_batch("CREATE TABLE q (n INTEGER CHECK (n < 10))")
        .unwrap();
    let err = conn
        .execute("INSERT INTO q VALUES (?1)", &[Value::Int(11)])
        .unwrap_err();
    match &err {
        Error::CheckViolation { constraint, .. } => assert_eq!(constraint, "n < 10"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn constraint_errors_from_query_and_batch() {
    let mut conn = setup();
    let err = conn
        .query_static(
            "INSERT INTO teams (name) VALUES ('core') RETURNING id",
            &[],
            |_| Ok(()),
        )
        .unwrap_err();
    assert!(matches!(err, Error::UniqueViolation { .. }), "{err:?}");
    let err = conn
        .execute_batch("INSERT INTO teams (name) VALUES ('core')")
        .unwrap_err();
    assert!(matches!(err, Error::UniqueViolation { .. }), "{err:?}");
}

#[test]
fn other_errors_are_sqlite() {
    let mut conn = setup();
    let err = conn.execute("SELECT * FROM nowhere", &[]).unwrap_err();
    assert!(matches!(err, Error::Sqlite(_)), "{err:?}");
    assert!(sqlite_source(&err).to_string().contains("no such table"));
}

/// What each error says: SQLite's message and extended code, never just
/// "SQLite error".
#[test]
fn display_says_why() {
    let mut conn = setup();
    let err = conn.execute("SELEC 1", &[]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "SQLite error: near \"SELEC\": syntax error at offset 0 (SQLITE_ERROR, 1)"
    );
    let err = conn.execute("SELECT * FROM nowhere", &[]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "SQLite error: no such table: nowhere (SQLITE_ERROR, 1)"
    );
    let err = conn
        .execute_static(
            "INSERT INTO users (team, email) VALUES (?, 'b@x')",
            &[Value::Int(99)],
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "foreign key constraint (unnamed: the database does not report which) violated \
         (SQLITE_CONSTRAINT_FOREIGNKEY)"
    );
    let err = conn
        .execute_static(
            "INSERT INTO users (team, email) VALUES (1, ?)",
            &[Value::Null],
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "not-null constraint violated on `users.email` (SQLITE_CONSTRAINT_NOTNULL)"
    );
    let err = conn
        .execute_static(
            "INSERT INTO users (team, email, age) VALUES (1, 'c@x', ?)",
            &[Value::Int(-31337)],
        )
        .unwrap_err();
    let text = err.to_string();
    assert_eq!(
        text,
        "check constraint `age_positive` violated (SQLITE_CONSTRAINT_CHECK)"
    );
    assert!(!text.contains("31337"));
    let err = Connection::open("/nonexistent-quarry-dir/x/db.sqlite").unwrap_err();
    assert_eq!(
        err.to_string(),
        "SQLite error: unable to open database file: /nonexistent-quarry-dir/x/db.sqlite (SQLITE_CANTOPEN, 14)"
    );
}
