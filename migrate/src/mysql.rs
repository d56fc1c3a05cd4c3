//! Running migrations on MariaDB (and MySQL), through `mysql_async`.
//!
//! A run holds the named lock [`LOCK_PREFIX`]`<md5 of the database name>`
//! (`GET_LOCK`) from before it reads the applied-migrations table until it
//! ends, so a second runner on the same database waits and then finds
//! nothing to do. Named locks are server-wide, hence the database's name
//! in the lock's.
//!
//! **MariaDB's DDL is not transactional.** Each `CREATE`, `ALTER`, `DROP`
//! and `RENAME` commits at once, whatever transaction is open. A migration
//! runs inside `START TRANSACTION` ... `COMMIT` together with its row in the
//! applied-migrations table, which makes a migration of plain data changes
//! atomic; but when a migration with DDL fails half way, the statements
//! before the failing one stay applied and the migration is not recorded.
//! The error ([`Error::FailedPartway`]) says so: undo what ran by hand, or
//! make the file safe to run again (`IF NOT EXISTS`), then run again. Give
//! each DDL change a migration of its own where that matters.
//! `run_in_transaction = false` in `metadata.toml` changes nothing here.

use mysql_async::Conn;
use mysql_async::prelude::Queryable;

use crate::error::Error;
use crate::history::{Applied, CREATE};
use crate::migration::Migration;
use crate::plan::{Count, newest_applied, next_pending, verify};

/// The start of the named lock a run holds; the rest is the MD5 of the
/// database's name, in hex.
pub const LOCK_PREFIX: &str = "quarry_migrations_";

/// How long a runner waits for another to finish, in seconds.
const LOCK_WAIT_SECONDS: u32 = 24 * 60 * 60;

/// Applies every migration the database has not seen, oldest first, and
/// returns their folder names.
///
/// ```no_run
/// # async fn demo(conn: &mut mysql_async::Conn) -> Result<(), quarry_migrate::Error> {
/// let migrations = quarry_migrate::load_folder("migrations".as_ref())?;
/// for dir in quarry_migrate::mysql::run_pending(conn, &migrations).await? {
///     println!("applied {dir}");
/// }
/// # Ok(())
/// # }
/// ```
pub async fn run_pending(conn: &mut Conn, migrations: &[Migration]) -> Result<Vec<String>, Error> {
    let lock = lock(conn).await?;
    let result = run_locked(conn, migrations).await;
    unlock(conn, &lock, result).await
}

async fn run_locked(conn: &mut Conn, migrations: &[Migration]) -> Result<Vec<String>, Error> {
    let mut ran = Vec::new();
    loop {
        let applied = read_applied(conn).await?;
        verify(migrations, &applied)?;
        let Some(migration) = next_pending(migrations, &applied) else {
            return Ok(ran);
        };
        let record = (
            "INSERT INTO __quarry_migrations (version, name, checksum) VALUES (?, ?, ?)",
            vec![
                migration.version().to_owned(),
                migration.name().to_owned(),
                migration.checksum().to_owned(),
            ],
        );
        apply(conn, migration, migration.up(), "up.sql", record).await?;
        ran.push(migration.dir().to_owned());
    }
}

/// Reverts applied migrations, newest first, with their `down.sql`, and
/// returns their folder names.
///
/// ```no_run
/// # async fn demo(conn: &mut mysql_async::Conn) -> Result<(), quarry_migrate::Error> {
/// let migrations = quarry_migrate::load_folder("migrations".as_ref())?;
/// quarry_migrate::mysql::revert(conn, &migrations, quarry_migrate::Count::Last(1)).await?;
/// # Ok(())
/// # }
/// ```
pub async fn revert(
    conn: &mut Conn,
    migrations: &[Migration],
    count: Count,
) -> Result<Vec<String>, Error> {
    let lock = lock(conn).await?;
    let result = revert_locked(conn, migrations, count).await;
    unlock(conn, &lock, result).await
}

async fn revert_locked(
    conn: &mut Conn,
    migrations: &[Migration],
    count: Count,
) -> Result<Vec<String>, Error> {
    let mut reverted = Vec::new();
    while !count.reached(reverted.len()) {
        let applied = read_applied(conn).await?;
        verify(migrations, &applied)?;
        let Some((migration, down)) = newest_applied(migrations, &applied)? else {
            break;
        };
        let forget = (
            "DELETE FROM __quarry_migrations WHERE version = ?",
            vec![migration.version().to_owned()],
        );
        apply(conn, migration, down, "down.sql", forget).await?;
        reverted.push(migration.dir().to_owned());
    }
    Ok(reverted)
}

/// The applied-migrations table's rows, by version; empty when the table
/// does not exist yet.
///
/// ```no_run
/// # async fn demo(conn: &mut mysql_async::Conn) -> Result<(), quarry_migrate::Error> {
/// let applied = quarry_migrate::mysql::applied(conn).await?;
/// println!("{} migrations applied", applied.len());
/// # Ok(())
/// # }
/// ```
pub async fn applied(conn: &mut Conn) -> Result<Vec<Applied>, Error> {
    let exists: Option<i64> = conn
        .query_first(
            "SELECT COUNT(*) FROM information_schema.tables \
             WHERE table_schema = DATABASE() AND table_name = '__quarry_migrations'",
        )
        .await
        .map_err(Error::database)?;
    if exists.unwrap_or(0) == 0 {
        return Ok(Vec::new());
    }
    read_rows(conn).await
}

async fn read_applied(conn: &mut Conn) -> Result<Vec<Applied>, Error> {
    conn.query_drop(CREATE).await.map_err(Error::database)?;
    read_rows(conn).await
}

async fn read_rows(conn: &mut Conn) -> Result<Vec<Applied>, Error> {
    // `run_on` is a TIMESTAMP: stored in UTC, printed in the session's zone.
    conn.query_drop("SET time_zone = '+00:00'")
        .await
        .map_err(Error::database)?;
    let rows: Vec<(String, String, String, String)> = conn
        .query(
            "SELECT version, name, checksum, CAST(run_on AS CHAR) FROM __quarry_migrations \
             ORDER BY version",
        )
        .await
        .map_err(Error::database)?;
    Ok(rows
        .into_iter()
        .map(|(version, name, checksum, run_on)| Applied {
            version,
            name,
            checksum,
            run_on,
        })
        .collect())
}

/// Runs `sql`, then the bookkeeping statement, in one transaction: atomic
/// for data changes, not for DDL (see the module's documentation).
async fn apply(
    conn: &mut Conn,
    migration: &Migration,
    sql: &str,
    file: &'static str,
    (bookkeeping, params): (&str, Vec<String>),
) -> Result<(), Error> {
    conn.query_drop("START TRANSACTION")
        .await
        .map_err(Error::database)?;
    let result = match run_file(conn, sql).await {
        Ok(()) => conn
            .exec_drop(bookkeeping, params)
            .await
            .map_err(Error::database),
        Err(source) => Err(Error::FailedPartway {
            dir: migration.dir().to_owned(),
            file,
            source: source.into(),
        }),
    };
    match result {
        Ok(()) => conn.query_drop("COMMIT").await.map_err(Error::database),
        Err(e) => {
            // The error that brought us here is the one to report.
            let _ = conn.query_drop("ROLLBACK").await;
            Err(e)
        }
    }
}

/// The file as one multi-statement text query; a file of comments only is
/// no error (MariaDB calls an empty query one).
async fn run_file(conn: &mut Conn, sql: &str) -> Result<(), mysql_async::Error> {
    if !has_statement(sql) {
        return Ok(());
    }
    conn.query_drop(sql).await
}

/// Whether `sql` holds anything but whitespace, `;` and comments.
fn has_statement(sql: &str) -> bool {
    let mut rest = sql;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == ';');
        if let Some(after) = rest.strip_prefix("--").or_else(|| rest.strip_prefix('#')) {
            rest = after.split_once('\n').map_or("", |(_, next)| next);
        } else if let Some(after) = rest.strip_prefix("/*") {
            rest = after.split_once("*/").map_or("", |(_, next)| next);
        } else {
            return !rest.is_empty();
        }
    }
}

/// Takes the database's migration lock, waiting for another runner to
/// release it, and returns the lock's name.
async fn lock(conn: &mut Conn) -> Result<String, Error> {
    let name: Option<Option<String>> = conn
        .exec_first("SELECT CONCAT(?, MD5(DATABASE()))", (LOCK_PREFIX,))
        .await
        .map_err(Error::database)?;
    let Some(name) = name.flatten() else {
        return Err(Error::database(
            "the connection names no database; add `/dbname` to the URL",
        ));
    };
    let got: Option<Option<i64>> = conn
        .exec_first("SELECT GET_LOCK(?, ?)", (&name, LOCK_WAIT_SECONDS))
        .await
        .map_err(Error::database)?;
    match got.flatten() {
        Some(1) => Ok(name),
        _ => Err(Error::database(format!(
            "another migration run held the lock `{name}` (GET_LOCK) for {LOCK_WAIT_SECONDS} \
             seconds; is one stuck?"
        ))),
    }
}

/// Releases the lock however the run ended; the run's error comes first.
async fn unlock<T>(conn: &mut Conn, lock: &str, result: Result<T, Error>) -> Result<T, Error> {
    let unlocked = conn
        .exec_drop("DO RELEASE_LOCK(?)", (lock,))
        .await
        .map_err(Error::database);
    let value = result?;
    unlocked?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::has_statement;

    #[test]
    fn comments_alone_are_no_statement() {
        assert!(!has_statement(""));
        assert!(!has_statement("-- Your SQL goes here\n"));
        assert!(!has_statement("/* a */ ;\n# b\n-- c"));
        assert!(has_statement("-- c\nCREATE TABLE t (id INT);"));
    }
}
