//! The runner on real SQLite, PostgreSQL and MariaDB: an edited `up.sql` is refused,
//! a failing migration leaves nothing behind, and two concurrent runners
//! apply each migration once.
//!
//! PostgreSQL tests use the server at `QUARRY_PG_URL` (default
//! `postgres://postgres@127.0.0.1:5432/test`), each in a database of its
//! own. When the server is unreachable they print "skipped" and pass, unless
//! `CI` is set.

use quarry_migrate::{Count, Error, Migration, postgres, sqlite};

fn migrations() -> Vec<Migration> {
    let m = |dir, up, down| Migration::new(dir, up, Some(down), true).unwrap();
    vec![
        m(
            "20240101000000_create_users",
            "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);",
            "DROP TABLE users;",
        ),
        m(
            "2024-01-02-000000_create_posts",
            "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id));
             INSERT INTO users (id, name) VALUES (1, 'ann');",
            "DROP TABLE posts; DELETE FROM users;",
        ),
    ]
}

fn edited(mut list: Vec<Migration>) -> Vec<Migration> {
    let first = &list[0];
    list[0] = Migration::new(
        first.dir(),
        "CREATE TABLE users (id INTEGER PRIMARY KEY);",
        first.down(),
        true,
    )
    .unwrap();
    list
}

fn failing() -> Migration {
    Migration::new(
        "20240103000000_half_done",
        "CREATE TABLE tags (id INTEGER PRIMARY KEY); SELECT * FROM no_such_table;",
        Some("DROP TABLE tags;"),
        true,
    )
    .unwrap()
}

#[test]
fn sqlite_refuses_an_edited_up_sql() {
    let conn = rusqlite::Connection::open_in_memory().unwrap();
    assert_eq!(sqlite::run_pending(&conn, &migrations()).unwrap().len(), 2);
    let error = sqlite::run_pending(&conn, &edited(migrations())).unwrap_err();
    assert!(matches!(error, Error::Modified { .. }), "{error}");
    assert!(
        error
            .to_string()
            .contains("20240101000000_create_users/up.sql"),
        "{error}"
    );
    let error = sqlite::revert(&conn, &edited(migrations()), Count::All).unwrap_err();
    assert!(matches!(error, Error::Modified { .. }), "{error}");
}

#[test]
fn sqlite_failing_migration_leaves_the_database_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let conn = rusqlite::Connection::open(dir.path().join("app.db")).unwrap();
    conn.execute_batch("PRAGMA foreign_keys = ON").unwrap();
    let mut list = migrations();
    list.push(failing());
    let error = sqlite::run_pending(&conn, &list).unwrap_err();
    assert!(
        error.to_string().contains("20240103000000_half_done")
            && error.to_string().contains("as it was"),
        "{error}"
    );
    assert_eq!(sqlite::applied(&conn).unwrap().len(), 2);
    let tags: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE name = 'tags'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(tags, 0);
    let fk: bool = conn
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .unwrap();
    assert!(fk, "foreign keys are back on");

    assert_eq!(
        sqlite::revert(&conn, &list, Count::Last(1)).unwrap(),
        ["2024-01-02-000000_create_posts"]
    );
    assert_eq!(sqlite::applied(&conn).unwrap().len(), 1);
}

#[test]
fn sqlite_concurrent_runners_apply_each_migration_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app.db");
    rusqlite::Connection::open(&path).unwrap();
    let runners: Vec<_> = (0..4)
        .map(|_| {
            let path = path.clone();
            std::thread::spawn(move || {
                let conn = rusqlite::Connection::open(&path).unwrap();
                sqlite::run_pending(&conn, &migrations()).unwrap()
            })
        })
        .collect();
    let ran: usize = runners.into_iter().map(|r| r.join().unwrap().len()).sum();
    assert_eq!(ran, 2);
    let conn = rusqlite::Connection::open(&path).unwrap();
    assert_eq!(sqlite::applied(&conn).unwrap().len(), 2);
}

/// A fresh database named after `test` on the server, dropped afterwards
/// (also when `body` panics).
async fn with_pg_database<F, Fut>(test: &str, body: F)
where
    F: FnOnce(String) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let url = std::env::var("QUARRY_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    let admin = match tokio_postgres::connect(&url, tokio_postgres::NoTls).await {
        Ok((client, connection)) => {
            tokio::spawn(connection);
            client
        }
        Err(e) => {
            if std::env::var_os("CI").is_some() {
                panic!("PostgreSQL is unreachable at {url} and CI is set: {e}");
            }
            println!("skipped {test}: PostgreSQL is unreachable at {url} ({e})");
            return;
        }
    };
    let name = format!("qm_{test}_{}", std::process::id());
    let drop = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    admin.batch_execute(&drop).await.unwrap();
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    let (base, _) = url.rsplit_once('/').unwrap();
    let outcome = tokio::spawn(body(format!("{base}/{name}"))).await;
    admin.batch_execute(&drop).await.unwrap();
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}

async fn connect(url: &str) -> tokio_postgres::Client {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    client
}

#[tokio::test]
async fn postgres_refuses_an_edited_up_sql_and_rolls_back_a_failure() {
    with_pg_database("edited", |url| async move {
        let client = connect(&url).await;
        assert_eq!(
            postgres::run_pending(&client, &migrations())
                .await
                .unwrap()
                .len(),
            2
        );
        let error = postgres::run_pending(&client, &edited(migrations()))
            .await
            .unwrap_err();
        assert!(matches!(error, Error::Modified { .. }), "{error}");

        let mut list = migrations();
        list.push(failing());
        let error = postgres::run_pending(&client, &list).await.unwrap_err();
        assert!(error.to_string().contains("no_such_table"), "{error}");
        let tags: bool = client
            .query_one("SELECT to_regclass('tags') IS NULL", &[])
            .await
            .unwrap()
            .get(0);
        assert!(tags, "the failed migration's table is gone");
        assert_eq!(postgres::applied(&client).await.unwrap().len(), 2);
        // The lock was released: a revert runs.
        let reverted = postgres::revert(&client, &list, Count::All).await.unwrap();
        assert_eq!(reverted.len(), 2);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_concurrent_runners_apply_each_migration_once() {
    with_pg_database("concurrent", |url| async move {
        let runners: Vec<_> = (0..4)
            .map(|_| {
                let url = url.clone();
                tokio::spawn(async move {
                    let client = connect(&url).await;
                    postgres::run_pending(&client, &migrations()).await.unwrap()
                })
            })
            .collect();
        let mut ran = 0;
        for runner in runners {
            ran += runner.await.unwrap().len();
        }
        assert_eq!(ran, 2);
        let client = connect(&url).await;
        assert_eq!(postgres::applied(&client).await.unwrap().len(), 2);
    })
    .await;
}

/// A fresh MariaDB database named after `test` on the server at
/// `QUARRY_MYSQL_URL` (default `mysql://root@127.0.0.1:3306/test`), dropped
/// afterwards (also when `body` panics).
#[cfg(feature = "mysql")]
async fn with_mysql_database<F, Fut>(test: &str, body: F)
where
    F: FnOnce(String) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    use mysql_async::prelude::Queryable;
    let url = std::env::var("QUARRY_MYSQL_URL")
        .unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/test".to_owned());
    let mut admin = match mysql_async::Conn::from_url(&url).await {
        Ok(conn) => conn,
        Err(e) => {
            if std::env::var_os("CI").is_some() {
                panic!("MariaDB is unreachable at {url} and CI is set: {e}");
            }
            println!("skipped {test}: MariaDB is unreachable at {url} ({e})");
            return;
        }
    };
    let name = format!("qm_{test}_{}", std::process::id());
    let drop = format!("DROP DATABASE IF EXISTS {name}");
    admin.query_drop(&drop).await.unwrap();
    admin
        .query_drop(format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    let (base, _) = url.rsplit_once('/').unwrap();
    let outcome = tokio::spawn(body(format!("{base}/{name}"))).await;
    admin.query_drop(&drop).await.unwrap();
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}

#[cfg(feature = "mysql")]
#[tokio::test]
async fn mysql_refuses_an_edited_up_sql_and_says_what_a_failure_leaves() {
    use mysql_async::prelude::Queryable;
    use quarry_migrate::mysql;
    with_mysql_database("edited", |url| async move {
        let mut conn = mysql_async::Conn::from_url(&url).await.unwrap();
        let ran = mysql::run_pending(&mut conn, &migrations()).await.unwrap();
        assert_eq!(ran.len(), 2);
        let error = mysql::run_pending(&mut conn, &edited(migrations()))
            .await
            .unwrap_err();
        assert!(matches!(error, Error::Modified { .. }), "{error}");

        // DDL commits as it runs: the table made before the failure stays.
        let mut list = migrations();
        list.push(failing());
        let error = mysql::run_pending(&mut conn, &list).await.unwrap_err();
        assert!(matches!(error, Error::FailedPartway { .. }), "{error}");
        assert!(
            error.to_string().contains("no_such_table") && error.to_string().contains("stay"),
            "{error}"
        );
        let tags: Option<i64> = conn
            .query_first(
                "SELECT COUNT(*) FROM information_schema.tables \
                 WHERE table_schema = DATABASE() AND table_name = 'tags'",
            )
            .await
            .unwrap();
        assert_eq!(tags, Some(1));
        assert_eq!(mysql::applied(&mut conn).await.unwrap().len(), 2);

        // Data changes alone are rolled back whole.
        let data = Migration::new(
            "20240104000000_data",
            "INSERT INTO users (id, name) VALUES (2, 'bob'); \
             INSERT INTO users (id, name) VALUES (1, 'again');",
            Some("DELETE FROM users WHERE id = 2;"),
            true,
        )
        .unwrap();
        let error = mysql::run_pending(&mut conn, &[migrations(), vec![data]].concat())
            .await
            .unwrap_err();
        assert!(error.to_string().contains("Duplicate entry"), "{error}");
        let users: Option<i64> = conn
            .query_first("SELECT COUNT(*) FROM users")
            .await
            .unwrap();
        assert_eq!(users, Some(1));

        // The lock was released: a revert runs.
        let reverted = mysql::revert(&mut conn, &migrations(), Count::All)
            .await
            .unwrap();
        assert_eq!(reverted.len(), 2);
        assert!(mysql::applied(&mut conn).await.unwrap().is_empty());
    })
    .await;
}

#[cfg(feature = "mysql")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mysql_concurrent_runners_apply_each_migration_once() {
    use quarry_migrate::mysql;
    with_mysql_database("concurrent", |url| async move {
        let runners: Vec<_> = (0..4)
            .map(|_| {
                let url = url.clone();
                tokio::spawn(async move {
                    let mut conn = mysql_async::Conn::from_url(&url).await.unwrap();
                    mysql::run_pending(&mut conn, &migrations()).await.unwrap()
                })
            })
            .collect();
        let mut ran = 0;
        for runner in runners {
            ran += runner.await.unwrap().len();
        }
        assert_eq!(ran, 2);
        let mut conn = mysql_async::Conn::from_url(&url).await.unwrap();
        assert_eq!(mysql::applied(&mut conn).await.unwrap().len(), 2);
    })
    .await;
}
