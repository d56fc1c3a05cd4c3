//! What only the PostgreSQL side has: queries run on a pool, a pooled
//! connection, a transaction's connection, concurrently on one connection,
//! and from spawned tasks.

mod common;

use common::db::with_pg_schema;
use common::{PG_DDL, blog_rows, posts, users};
use futures_util::future::join_all;
use quarry::pg::{Pool, PoolConfig};
use quarry::prelude::*;

async fn seeded_pool(url: &str, max_size: usize) -> Result<Pool, quarry::Error> {
    let pool = Pool::with_config(url, PoolConfig::default().max_size(max_size)).await?;
    let conn = pool.get().await?;
    conn.batch_execute(PG_DDL).await?;
    for (sql, params) in blog_rows() {
        conn.execute(sql, &params).await?;
    }
    Ok(pool)
}

#[tokio::test]
async fn a_pool_a_pooled_connection_and_a_transaction_run_the_same_query() {
    with_pg_schema(module_path!(), async |schema| {
        let pool = seeded_pool(&schema.url, 2).await?;
        let query = || users::table.select(users::name).order(users::id);

        let on_pool: Vec<String> = query().load_async(&pool).await?;
        assert_eq!(on_pool, ["Ada", "Brian", "Chloé"]);

        let mut conn = pool.get().await?;
        let on_pooled: Vec<String> = query().load_async(&conn).await?;
        assert_eq!(on_pooled, on_pool);
        let on_deref: Vec<String> = query().load_async(&*conn).await?;
        assert_eq!(on_deref, on_pool);

        let in_tx: Vec<String> = conn
            .transaction(async |tx| {
                let first: String = query().first_async(tx).await?;
                assert_eq!(first, "Ada");
                query().load_async(tx).await
            })
            .await?;
        assert_eq!(in_tx, on_pool);

        // A query may borrow its values for as long as it runs.
        let name = String::from("Brian");
        let id: i32 = users::table
            .select(users::id)
            .filter(users::name.eq(&name))
            .get_result_async(&pool)
            .await?;
        assert_eq!(id, 2);

        // `execute_async` runs any statement; a SELECT reports its rows.
        let rows = users::table.execute_async(&pool).await?;
        assert_eq!(rows, 3);
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn queries_started_together_on_one_connection_are_pipelined() {
    with_pg_schema(module_path!(), async |schema| {
        let pool = seeded_pool(&schema.url, 1).await?;
        let conn = pool.get().await?;
        let titles = join_all((1..=4).map(|id| {
            posts::table
                .select(posts::title)
                .filter(posts::id.eq(id))
                .get_result_async::<String, _>(&conn)
        }))
        .await
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?;
        assert_eq!(titles[2], "Hello, world");
        assert_eq!(titles.len(), 4);
        // One statement text, prepared once on this connection.
        assert_eq!(conn.cached_statements(), 1);
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn the_futures_are_send_so_tasks_can_run_them() {
    with_pg_schema(module_path!(), async |schema| {
        let pool = seeded_pool(&schema.url, 4).await?;
        let tasks: Vec<_> = (1..=3)
            .map(|id| {
                let pool = pool.clone();
                tokio::spawn(async move {
                    users::table
                        .select((users::id, users::email))
                        .filter(users::id.eq(id))
                        .get_result_async::<(i32, Option<String>), _>(&pool)
                        .await
                })
            })
            .collect();
        let mut rows = Vec::new();
        for task in tasks {
            rows.push(task.await.expect("task panicked")?);
        }
        assert_eq!(rows[1], (2, None));
        assert_eq!(rows[2].1.as_deref(), Some("chloe@example.com"));
        Ok(())
    })
    .await;
}
