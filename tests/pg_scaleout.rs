//! The DSL beyond one server: through PgBouncer in transaction pooling
//! mode (`quarry_statements=unnamed`), and through a `Router` with a
//! streaming replica. Servers: `scripts/pgbouncer.sh start` (port 6543) and
//! `scripts/replica.sh start` (port 5433); skipped with a note when they
//! are not running, unless `CI` is set.
//!
//! PgBouncer does not pass the startup `options` that set a test schema's
//! `search_path`, so these tests share one table in `public` and keep to
//! their own rows by a run id.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use quarry::pg::{Pool, PoolConfig, Router};
use quarry::prelude::*;
use quarry::{Error, Pg, delete, insert_into, update};

quarry::table! {
    quarry_scaleout_dsl (id) {
        id -> Integer,
        run -> Text,
        n -> Integer,
    }
}

use quarry_scaleout_dsl as t;

fn env(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

fn primary_url() -> String {
    env("QUARRY_PG_URL", "postgres://postgres@127.0.0.1:5432/test")
}

/// A run id no other test run shares.
fn run_id(test: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("{test}_{}_{nanos}", std::process::id())
}

/// Connects with `connect`, or says why the test is skipped (`None`), or
/// panics when `CI` is set.
async fn or_skip<T>(
    what: &str,
    url: &str,
    connect: impl AsyncFnOnce() -> Result<T, Error>,
) -> Option<T> {
    match connect().await {
        Ok(value) => Some(value),
        Err(e) if std::env::var_os("CI").is_none() => {
            println!("skipped: {what} unreachable at {url}: {e}");
            None
        }
        Err(e) => panic!("{what} unreachable at {url} and CI is set: {e:?}"),
    }
}

async fn create_table() -> Option<()> {
    let url = primary_url();
    let conn = or_skip("PostgreSQL", &url, async || {
        quarry::pg::Connection::connect(&url).await
    })
    .await?;
    let created = conn
        .batch_execute(
            "CREATE TABLE IF NOT EXISTS quarry_scaleout_dsl \
             (id serial PRIMARY KEY, run text NOT NULL, n int NOT NULL)",
        )
        .await;
    // Two tests creating it at once race on the catalog: one wins, the
    // other's `IF NOT EXISTS` does not see it yet and hits its unique index.
    match created {
        Ok(()) | Err(Error::UniqueViolation { .. }) => {}
        Err(e) => panic!("cannot create the table: {e:?}"),
    }
    Some(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dsl_runs_through_pgbouncer_in_transaction_mode() {
    if create_table().await.is_none() {
        return;
    }
    let url = env(
        "QUARRY_PGBOUNCER_URL",
        "postgres://postgres@127.0.0.1:6543/test?quarry_statements=unnamed",
    );
    let Some(pool) = or_skip("PgBouncer", &url, async || {
        Pool::with_config(&url, PoolConfig::default().max_size(4)).await
    })
    .await
    else {
        return;
    };
    let run = run_id("bouncer");
    let mine = || t::table.filter(t::run.eq(run.as_str()));

    for n in 1..=5 {
        insert_into(t::table)
            .values((t::run.eq(run.as_str()), t::n.eq(n)))
            .execute_async(&pool)
            .await
            .unwrap();
    }
    let ns: Vec<i32> = mine()
        .select(t::n)
        .order(t::n)
        .load_async(&pool)
        .await
        .unwrap();
    assert_eq!(ns, [1, 2, 3, 4, 5]);

    // A dynamic query: text built at run time, types declared.
    let wanted = [2, 4];
    let mut q = mine().select(t::n).into_boxed::<Pg>().order(t::n);
    q = q.filter(t::n.eq_any(wanted));
    q = q.or_filter(t::n.eq(5));
    let dynamic: Vec<i32> = q.load_async(&pool.get().await.unwrap()).await.unwrap();
    assert_eq!(dynamic, [2, 4, 5]);

    // Writes and a transaction that rolls back.
    let changed = update(mine().filter(t::n.gt(3)))
        .set(t::n.eq(t::n + 10))
        .execute_async(&pool)
        .await
        .unwrap();
    assert_eq!(changed, 2);
    let mut conn = pool.get().await.unwrap();
    let undone = conn
        .transaction(async |tx| {
            delete(mine()).execute_async(tx).await?;
            let left: i64 = mine().count().get_result_async(tx).await?;
            assert_eq!(left, 0);
            Err::<(), _>(Error::NotFound)
        })
        .await;
    assert!(matches!(undone, Err(Error::NotFound)));
    let ns: Vec<i32> = mine()
        .select(t::n)
        .order(t::n)
        .load_async(&conn)
        .await
        .unwrap();
    assert_eq!(ns, [1, 2, 3, 14, 15]);
    delete(mine()).execute_async(&pool).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dsl_reads_from_a_replica_through_a_router() {
    if create_table().await.is_none() {
        return;
    }
    let primary = primary_url();
    let replica = env(
        "QUARRY_PG_REPLICA_URL",
        "postgres://postgres@127.0.0.1:5433/test",
    );
    let Some(_) = or_skip("the read replica", &replica, async || {
        quarry::pg::Connection::connect(&replica).await
    })
    .await
    else {
        return;
    };
    let router = Router::connect(&primary, &[replica.as_str()])
        .await
        .unwrap();
    let run = run_id("router");
    let mine = || t::table.filter(t::run.eq(run.as_str()));

    // A write goes to the primary; reading it back there is immediate.
    let written = Instant::now();
    insert_into(t::table)
        .values((t::run.eq(run.as_str()), t::n.eq(7)))
        .execute_async(&router)
        .await
        .unwrap();
    let on_primary: i32 = mine().select(t::n).get_result_async(&router).await.unwrap();
    assert_eq!(on_primary, 7);
    let pinned: i32 = mine()
        .select(t::n)
        .get_result_async(&router.read().primary())
        .await
        .unwrap();
    assert_eq!(pinned, 7);

    // The replica has it once replayed.
    loop {
        let seen: Vec<i32> = mine()
            .select(t::n)
            .load_async(&router.read())
            .await
            .unwrap();
        if seen == [7] {
            break;
        }
        assert!(
            written.elapsed() < Duration::from_secs(20),
            "the replica did not replay the write"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    // And refuses writes sent there by mistake.
    let refused = delete(mine())
        .execute_async(&router.read())
        .await
        .unwrap_err();
    assert_eq!(refused.sqlstate(), Some("25006"), "{refused:?}");
    delete(mine()).execute_async(&router).await.unwrap();
}
