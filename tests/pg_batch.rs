//! A batch INSERT runs on `&pool` like every other statement, and on
//! `&mut` a connection, a pooled connection or a transaction's `tx`; a
//! batch of several statements is one transaction wherever it runs.

mod common;

use std::time::Duration;

use common::db::with_pg_schema;
use quarry::pg::{Pool, PoolConfig};
use quarry::prelude::*;
use quarry::{Error, insert_into};

quarry::table! {
    items (id) {
        id -> Integer,
        name -> Text,
    }
}

#[derive(Insertable)]
#[quarry(table = items)]
struct NewItem {
    id: i32,
    name: String,
}

fn items(ids: std::ops::RangeInclusive<i32>) -> Vec<NewItem> {
    ids.map(|id| NewItem {
        id,
        name: format!("item {id}"),
    })
    .collect()
}

async fn pool(url: &str) -> Result<Pool, Error> {
    let config = PoolConfig::default()
        .max_size(2)
        .wait_timeout(Some(Duration::from_secs(10)));
    let pool = Pool::with_config(url, config).await?;
    pool.get()
        .await?
        .batch_execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")
        .await?;
    Ok(pool)
}

async fn count(pool: &Pool) -> Result<i64, Error> {
    items::table.count().get_result_async(pool).await
}

/// One statement and many statements (100 000 rows, over the bind limit),
/// and RETURNING rows, all on `&pool`.
#[tokio::test]
async fn a_batch_runs_on_the_pool() {
    with_pg_schema(module_path!(), async |schema| {
        let pool = pool(&schema.url).await?;
        let n = insert_into(items::table)
            .values(&items(1..=3))
            .execute_async(&pool)
            .await?;
        assert_eq!(n, 3);
        let n = insert_into(items::table)
            .values(&items(4..=100_003))
            .execute_async(&pool)
            .await?;
        assert_eq!(n, 100_000);
        let back: Vec<(i32, String)> = insert_into(items::table)
            .values(&items(200_000..=200_001))
            .returning((items::id, items::name))
            .load_async(&pool)
            .await?;
        assert_eq!(
            back,
            [
                (200_000, "item 200000".into()),
                (200_001, "item 200001".into())
            ]
        );
        let empty: Vec<NewItem> = Vec::new();
        assert_eq!(
            insert_into(items::table)
                .values(&empty)
                .execute_async(&pool)
                .await?,
            0
        );
        assert_eq!(count(&pool).await?, 100_005);
        Ok(())
    })
    .await;
}

/// A failing batch of several statements on `&pool` leaves no rows: it ran
/// in one transaction on the connection it checked out.
#[tokio::test]
async fn a_failing_batch_on_the_pool_leaves_no_rows() {
    with_pg_schema(module_path!(), async |schema| {
        let pool = pool(&schema.url).await?;
        let mut rows = items(1..=40_000);
        rows.push(NewItem {
            id: 1,
            name: "again".into(),
        });
        let err = insert_into(items::table)
            .values(&rows)
            .execute_async(&pool)
            .await
            .unwrap_err();
        assert!(matches!(err, Error::UniqueViolation { .. }), "{err:?}");
        assert_eq!(count(&pool).await?, 0);
        // The pool is usable afterwards, its connection out of the
        // transaction.
        let n = insert_into(items::table)
            .values(&items(1..=2))
            .execute_async(&pool)
            .await?;
        assert_eq!(n, 2);
        Ok(())
    })
    .await;
}

/// On a pooled connection, a plain connection and a transaction's `tx`;
/// a batch inside a transaction that rolls back leaves nothing.
#[tokio::test]
async fn a_batch_runs_on_connections_and_in_transactions() {
    with_pg_schema(module_path!(), async |schema| {
        let pool = pool(&schema.url).await?;
        let mut pooled = pool.get().await?;
        insert_into(items::table)
            .values(&items(1..=2))
            .execute_async(&mut pooled)
            .await?;
        drop(pooled);

        let mut conn = quarry::pg::Connection::connect(&schema.url).await?;
        insert_into(items::table)
            .values(&items(3..=4))
            .execute_async(&mut conn)
            .await?;

        pool.transaction(async |tx| {
            insert_into(items::table)
                .values(&items(5..=40_000))
                .execute_async(&mut *tx)
                .await?;
            insert_into(items::table)
                .values(&items(40_001..=40_002))
                .execute_async(tx)
                .await?;
            Ok::<_, Error>(())
        })
        .await?;
        assert_eq!(count(&pool).await?, 40_002);

        let rolled_back: Result<(), Error> = conn
            .transaction(async |tx| {
                insert_into(items::table)
                    .values(&items(50_000..=90_000))
                    .execute_async(tx)
                    .await?;
                Err(Error::NotFound)
            })
            .await;
        assert!(matches!(rolled_back, Err(Error::NotFound)));
        assert_eq!(count(&pool).await?, 40_002);
        Ok(())
    })
    .await;
}

/// The future of a batch on `&pool` is `Send`: it can be spawned.
#[tokio::test]
async fn a_batch_on_the_pool_can_be_spawned() {
    with_pg_schema(module_path!(), async |schema| {
        let pool = pool(&schema.url).await?;
        let task = tokio::spawn({
            let pool = pool.clone();
            async move {
                insert_into(items::table)
                    .values(&items(1..=10))
                    .execute_async(&pool)
                    .await
            }
        });
        assert_eq!(task.await.expect("the task ran")?, 10);
        assert_eq!(count(&pool).await?, 10);
        Ok(())
    })
    .await;
}
