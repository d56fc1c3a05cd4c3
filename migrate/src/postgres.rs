//! Running migrations on PostgreSQL.
//!
//! A run holds the session-level advisory lock [`LOCK_KEY`]
//! (`pg_advisory_lock`) from before it reads the applied-migrations table
//! until it ends, so a second runner waits and then finds nothing to do.
//! Each migration runs in its own transaction unless its `metadata.toml`
//! says `run_in_transaction = false`.

use tokio_postgres::Client;

use crate::error::Error;
use crate::history::{Applied, CREATE};
use crate::migration::Migration;
use crate::plan::{Count, newest_applied, next_pending, verify};

/// The advisory lock key migrations hold (`quarrymg` in ASCII).
pub const LOCK_KEY: i64 = 0x7175_6172_7279_6d67;

/// Applies every migration the database has not seen, oldest first, and
/// returns their folder names.
///
/// ```no_run
/// # async fn demo(client: &tokio_postgres::Client) -> Result<(), quarry_migrate::Error> {
/// let migrations = quarry_migrate::load_folder("migrations".as_ref())?;
/// for dir in quarry_migrate::postgres::run_pending(client, &migrations).await? {
///     println!("applied {dir}");
/// }
/// # Ok(())
/// # }
/// ```
pub async fn run_pending(client: &Client, migrations: &[Migration]) -> Result<Vec<String>, Error> {
    locked(client, async {
        let mut ran = Vec::new();
        loop {
            let applied = read_applied(client).await?;
            verify(migrations, &applied)?;
            let Some(migration) = next_pending(migrations, &applied) else {
                return Ok(ran);
            };
            let version = migration.version().to_owned();
            let record = async {
                client
                    .execute(
                        "INSERT INTO __quarry_migrations (version, name, checksum) \
                         VALUES ($1, $2, $3)",
                        &[&version, &migration.name(), &migration.checksum()],
                    )
                    .await
                    .map(drop)
                    .map_err(Error::database)
            };
            apply(client, migration, migration.up(), "up.sql", record).await?;
            ran.push(migration.dir().to_owned());
        }
    })
    .await
}

/// Reverts applied migrations, newest first, with their `down.sql`, and
/// returns their folder names.
///
/// ```no_run
/// # async fn demo(client: &tokio_postgres::Client) -> Result<(), quarry_migrate::Error> {
/// let migrations = quarry_migrate::load_folder("migrations".as_ref())?;
/// quarry_migrate::postgres::revert(client, &migrations, quarry_migrate::Count::Last(1)).await?;
/// # Ok(())
/// # }
/// ```
pub async fn revert(
    client: &Client,
    migrations: &[Migration],
    count: Count,
) -> Result<Vec<String>, Error> {
    locked(client, async {
        let mut reverted = Vec::new();
        while !count.reached(reverted.len()) {
            let applied = read_applied(client).await?;
            verify(migrations, &applied)?;
            let Some((migration, down)) = newest_applied(migrations, &applied)? else {
                break;
            };
            let forget = async {
                client
                    .execute(
                        "DELETE FROM __quarry_migrations WHERE version = $1",
                        &[&migration.version()],
                    )
                    .await
                    .map(drop)
                    .map_err(Error::database)
            };
            apply(client, migration, down, "down.sql", forget).await?;
            reverted.push(migration.dir().to_owned());
        }
        Ok(reverted)
    })
    .await
}

/// The applied-migrations table's rows, by version; empty when the table
/// does not exist yet.
///
/// ```no_run
/// # async fn demo(client: &tokio_postgres::Client) -> Result<(), quarry_migrate::Error> {
/// let applied = quarry_migrate::postgres::applied(client).await?;
/// println!("{} migrations applied", applied.len());
/// # Ok(())
/// # }
/// ```
pub async fn applied(client: &Client) -> Result<Vec<Applied>, Error> {
    let exists: bool = client
        .query_one("SELECT to_regclass('__quarry_migrations') IS NOT NULL", &[])
        .await
        .and_then(|row| row.try_get(0))
        .map_err(Error::database)?;
    if !exists {
        return Ok(Vec::new());
    }
    read_rows(client).await
}

async fn read_applied(client: &Client) -> Result<Vec<Applied>, Error> {
    client
        .batch_execute(CREATE)
        .await
        .map_err(Error::database)?;
    read_rows(client).await
}

async fn read_rows(client: &Client) -> Result<Vec<Applied>, Error> {
    let rows = client
        .query(
            "SELECT version, name, checksum, CAST(run_on AS TEXT) FROM __quarry_migrations \
             ORDER BY version",
            &[],
        )
        .await
        .map_err(Error::database)?;
    rows.iter()
        .map(|row| {
            Ok(Applied {
                version: row.try_get(0)?,
                name: row.try_get(1)?,
                checksum: row.try_get(2)?,
                run_on: row.try_get(3)?,
            })
        })
        .collect::<Result<_, tokio_postgres::Error>>()
        .map_err(Error::database)
}

/// Runs `sql` and then `bookkeeping`, both in one transaction unless the
/// migration opts out.
async fn apply(
    client: &Client,
    migration: &Migration,
    sql: &str,
    file: &'static str,
    bookkeeping: impl Future<Output = Result<(), Error>>,
) -> Result<(), Error> {
    let in_transaction = migration.run_in_transaction();
    let failed = |source: tokio_postgres::Error| Error::Failed {
        dir: migration.dir().to_owned(),
        file,
        rolled_back: in_transaction,
        source: source.into(),
    };
    if !in_transaction {
        client.batch_execute(sql).await.map_err(failed)?;
        return bookkeeping.await;
    }
    client
        .batch_execute("BEGIN")
        .await
        .map_err(Error::database)?;
    let result = match client.batch_execute(sql).await {
        Ok(()) => bookkeeping.await,
        Err(e) => Err(failed(e)),
    };
    match result {
        Ok(()) => client
            .batch_execute("COMMIT")
            .await
            .map_err(Error::database),
        Err(e) => {
            // The error that brought us here is the one to report.
            let _ = client.batch_execute("ROLLBACK").await;
            Err(e)
        }
    }
}

/// Runs `body` holding the advisory lock, and releases it however `body`
/// ends.
async fn locked<T>(
    client: &Client,
    body: impl Future<Output = Result<T, Error>>,
) -> Result<T, Error> {
    client
        .execute("SELECT pg_advisory_lock($1)", &[&LOCK_KEY])
        .await
        .map_err(Error::database)?;
    let result = body.await;
    let unlocked = client
        .execute("SELECT pg_advisory_unlock($1)", &[&LOCK_KEY])
        .await
        .map(drop)
        .map_err(Error::database);
    let value = result?;
    unlocked?;
    Ok(value)
}
