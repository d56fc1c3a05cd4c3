//! Statements on `&Pool` share its connections, pipelined; transactions,
//! `get()` and streams keep a connection of their own.

mod common;

use std::time::Duration;

use common::db::with_pg_schema;
use futures_util::StreamExt;
use quarry::pg::{Pool, PoolConfig};
use quarry::prelude::*;

quarry::table! {
    items (id) {
        id -> Integer,
        name -> Text,
    }
}

async fn pool(url: &str, max_size: usize) -> Result<Pool, quarry::Error> {
    let config = PoolConfig::default()
        .max_size(max_size)
        .wait_timeout(Some(Duration::from_secs(10)));
    let pool = Pool::with_config(url, config).await?;
    pool.get()
        .await?
        .batch_execute(
            "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
             INSERT INTO items SELECT i, 'item ' || i FROM generate_series(1, 50000) AS s(i)",
        )
        .await?;
    Ok(pool)
}

/// Many concurrent lookups on `&pool` each get their own row back, over
/// at most `max_size` shared connections.
#[tokio::test]
async fn concurrent_lookups_share_connections() {
    with_pg_schema(module_path!(), async |schema| {
        let pool = pool(&schema.url, 4).await?;
        let lookups = (1..=400).map(|id| {
            let pool = &pool;
            async move {
                let name: String = items::table
                    .filter(items::id.eq(id))
                    .select(items::name)
                    .get_result_async(pool)
                    .await?;
                assert_eq!(name, format!("item {id}"));
                Ok::<_, quarry::Error>(())
            }
        });
        for result in futures_util::future::join_all(lookups).await {
            result?;
        }
        assert!(
            pool.shared_len() >= 1 && pool.shared_len() <= 4,
            "{}",
            pool.shared_len()
        );
        assert!(pool.status().size <= 4);
        Ok(())
    })
    .await;
}

/// With every connection lent out, `get()` and a transaction still get a
/// connection of their own, and statements go on meanwhile.
#[tokio::test]
async fn get_takes_back_a_lent_connection() {
    with_pg_schema(module_path!(), async |schema| {
        let pool = pool(&schema.url, 2).await?;
        let both = futures_util::future::join_all((1..=2).map(|id| {
            items::table
                .filter(items::id.eq(id))
                .select(items::name)
                .get_result_async::<String, _>(&pool)
        }))
        .await;
        assert!(both.iter().all(Result::is_ok));
        let mut held = pool.get().await?;
        let inserted = held
            .transaction(async |tx| {
                quarry::insert_into(items::table)
                    .values((items::id.eq(0), items::name.eq("zero")))
                    .execute_async(tx)
                    .await
            })
            .await?;
        assert_eq!(inserted, 1);
        let name: String = items::table
            .filter(items::id.eq(0))
            .select(items::name)
            .get_result_async(&pool)
            .await?;
        assert_eq!(name, "zero");
        drop(held);
        Ok(())
    })
    .await;
}

/// A stream on the pool dropped after a few rows leaves the pool working:
/// its query is cancelled, and the connection is checked before reuse.
#[tokio::test]
async fn pool_stream_dropped_early() {
    with_pg_schema(module_path!(), async |schema| {
        let pool = pool(&schema.url, 2).await?;
        for _ in 0..3 {
            let stream = items::table
                .order(items::id)
                .load_stream::<(i32, String), _>(&pool)
                .await?;
            let first: Vec<_> = stream.take(2).collect().await;
            assert_eq!(first.len(), 2);
        }
        let count: i64 = items::table
            .count()
            .get_result_async(&pool)
            .await
            .expect("the statement after");
        assert_eq!(count, 50_000);
        Ok(())
    })
    .await;
}

/// A statement on `&pool` abandoned mid-flight does not cancel the
/// statements pipelined beside it on the same connection.
#[tokio::test]
async fn abandoned_shared_statement_spares_the_others() {
    with_pg_schema(module_path!(), async |schema| {
        let pool = pool(&schema.url, 1).await?;
        let slow = async {
            let conn = pool.shared().await.expect("a shared connection");
            let abandoned = tokio::time::timeout(
                Duration::from_millis(100),
                conn.query_static("SELECT pg_sleep(0.5)", &[]),
            )
            .await;
            assert!(abandoned.is_err(), "the sleep should outlast its timeout");
        };
        let others = async {
            tokio::time::sleep(Duration::from_millis(20)).await;
            futures_util::future::join_all((1..=20).map(|id| {
                items::table
                    .filter(items::id.eq(id))
                    .select(items::name)
                    .get_result_async::<String, _>(&pool)
            }))
            .await
        };
        let ((), others) = tokio::join!(slow, others);
        for (i, result) in others.into_iter().enumerate() {
            assert_eq!(
                result.expect("a statement beside the abandoned one"),
                format!("item {}", i + 1)
            );
        }
        let count: i64 = items::table
            .count()
            .get_result_async(&pool)
            .await
            .expect("the statement after");
        assert_eq!(count, 50_000);
        Ok(())
    })
    .await;
}
