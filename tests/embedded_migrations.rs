//! `embed_migrations!` from a test binary: the folder `tests/migrations`
//! compiled in, applied once on SQLite, PostgreSQL and MariaDB, and a query runs
//! on the tables it made.

use quarry::migrate::EmbeddedMigrations;
use quarry::prelude::*;

const MIGRATIONS: EmbeddedMigrations = quarry::embed_migrations!("tests/migrations");

quarry::table! {
    users (id) {
        id -> Integer,
        name -> Text,
    }
}

#[test]
fn the_folder_is_compiled_in_with_build_time_checksums() {
    let migrations = MIGRATIONS.migrations();
    let dirs: Vec<&str> = migrations.iter().map(|m| m.dir()).collect();
    assert_eq!(
        dirs,
        [
            "20240101000000_create_users",
            "2024-01-02-000000_create_posts"
        ]
    );
    for m in &migrations {
        assert_eq!(m.checksum(), quarry::migrate::checksum(m.up()));
    }
}

#[test]
fn sqlite_runs_pending_once() {
    let mut conn = quarry::sqlite::Connection::open_in_memory().unwrap();
    assert_eq!(MIGRATIONS.run_pending(&mut conn).unwrap().len(), 2);
    assert!(MIGRATIONS.run_pending(&mut conn).unwrap().is_empty());
    quarry::insert_into(users::table)
        .values((users::id.eq(1), users::name.eq("ann")))
        .execute(&mut conn)
        .unwrap();
    let names: Vec<String> = users::table.select(users::name).load(&mut conn).unwrap();
    assert_eq!(names, ["ann"]);
}

#[cfg(feature = "postgres")]
#[tokio::test]
async fn postgres_runs_pending_once() {
    let url = std::env::var("QUARRY_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    let admin = match quarry::pg::Pool::connect(&url).await {
        Ok(pool) => pool,
        Err(e) => {
            if std::env::var_os("CI").is_some() {
                panic!("PostgreSQL is unreachable at {url} and CI is set: {e}");
            }
            println!("skipped postgres_runs_pending_once: PostgreSQL is unreachable ({e})");
            return;
        }
    };
    let name = format!("qe_embedded_{}", std::process::id());
    let conn = admin.get().await.unwrap();
    conn.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await
        .unwrap();
    conn.batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    let (base, _) = url.rsplit_once('/').unwrap();
    let outcome = tokio::spawn({
        let url = format!("{base}/{name}");
        async move {
            let pool = quarry::pg::Pool::connect(&url).await.unwrap();
            assert_eq!(MIGRATIONS.run_pending_async(&pool).await.unwrap().len(), 2);
            assert!(MIGRATIONS.run_pending_async(&pool).await.unwrap().is_empty());
            let tables = pool
                .get()
                .await
                .unwrap()
                .query_raw(
                    "SELECT count(*) FROM information_schema.tables WHERE table_name IN ('users', 'posts')",
                    &[],
                )
                .await
                .unwrap();
            assert_eq!(tables[0].get::<_, i64>(0), 2);
            pool.close();
        }
    })
    .await;
    conn.batch_execute(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .await
        .unwrap();
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}

#[cfg(feature = "mysql")]
#[tokio::test]
async fn mysql_runs_pending_once() {
    let url = std::env::var("QUARRY_MYSQL_URL")
        .unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/test".to_owned());
    let admin = match quarry::mysql::Connection::connect(&url).await {
        Ok(conn) => conn,
        Err(e) => {
            if std::env::var_os("CI").is_some() {
                panic!("MariaDB is unreachable at {url} and CI is set: {e}");
            }
            println!("skipped mysql_runs_pending_once: MariaDB is unreachable ({e})");
            return;
        }
    };
    let name = format!("qe_embedded_{}", std::process::id());
    let drop = format!("DROP DATABASE IF EXISTS {name}");
    admin.batch_execute(&drop).await.unwrap();
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    let (base, _) = url.rsplit_once('/').unwrap();
    let outcome = tokio::spawn({
        let url = format!("{base}/{name}");
        async move {
            // The prelude brings PostgreSQL's `RunQueryAsync`: MariaDB's by path.
            use quarry::mysql::RunQueryAsync as Mysql;
            let pool = quarry::mysql::Pool::connect(&url).await.unwrap();
            assert_eq!(MIGRATIONS.run_pending_mysql(&pool).await.unwrap().len(), 2);
            assert!(
                MIGRATIONS
                    .run_pending_mysql(&pool)
                    .await
                    .unwrap()
                    .is_empty()
            );
            // On a connection of one's own: nothing left to apply.
            let conn = quarry::mysql::Connection::connect(&url).await.unwrap();
            assert!(
                MIGRATIONS
                    .run_pending_mysql_on(&conn)
                    .await
                    .unwrap()
                    .is_empty()
            );
            let tables = conn
                .query_raw(
                    "SELECT COUNT(*) FROM information_schema.tables \
                     WHERE table_schema = DATABASE() AND table_name IN ('users', 'posts')",
                    &[],
                )
                .await
                .unwrap();
            assert_eq!(tables[0].get::<i64, _>(0), Some(2));
            let insert =
                quarry::insert_into(users::table).values((users::id.eq(1), users::name.eq("ann")));
            Mysql::execute_async(insert, &pool).await.unwrap();
            let names: Vec<String> = Mysql::load_async(users::table.select(users::name), &pool)
                .await
                .unwrap();
            assert_eq!(names, ["ann"]);
            pool.close();
        }
    })
    .await;
    admin.batch_execute(&drop).await.unwrap();
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}
