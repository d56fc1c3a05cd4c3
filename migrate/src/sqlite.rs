//! Running migrations on SQLite.
//!
//! Each migration runs in its own `BEGIN IMMEDIATE` transaction, which takes
//! SQLite's write lock before it reads the applied-migrations table: a
//! second runner waits (for the connection's busy timeout) and then sees the
//! migration as applied. Foreign key enforcement is switched off around the
//! run, as SQLite's table-rebuild recipe asks, and `PRAGMA
//! foreign_key_check` runs before each commit when it was on.

use rusqlite::Connection;

use crate::error::Error;
use crate::history::{Applied, CREATE};
use crate::migration::Migration;
use crate::plan::{Count, newest_applied, next_pending, verify};

/// Applies every migration the database has not seen, oldest first, and
/// returns their folder names.
///
/// ```
/// let conn = rusqlite::Connection::open_in_memory()?;
/// let migrations = [quarry_migrate::Migration::new(
///     "20240101120000_create_users",
///     "CREATE TABLE users (id INTEGER PRIMARY KEY);",
///     Some("DROP TABLE users;"),
///     true,
/// )
/// .unwrap()];
/// let ran = quarry_migrate::sqlite::run_pending(&conn, &migrations)?;
/// assert_eq!(ran, ["20240101120000_create_users"]);
/// assert!(quarry_migrate::sqlite::run_pending(&conn, &migrations)?.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn run_pending(conn: &Connection, migrations: &[Migration]) -> Result<Vec<String>, Error> {
    let fk = ForeignKeysOff::new(conn)?;
    let mut ran = Vec::new();
    loop {
        begin(conn)?;
        let next = (|| {
            let applied = read_applied(conn)?;
            verify(migrations, &applied)?;
            Ok(next_pending(migrations, &applied))
        })();
        let migration = match next {
            Ok(Some(migration)) => migration,
            Ok(None) => {
                commit(conn)?;
                return Ok(ran);
            }
            Err(e) => return Err(rollback(conn, e)),
        };
        if migration.run_in_transaction() {
            if let Err(e) = apply(conn, migration, migration.up(), "up.sql", true) {
                return Err(rollback(conn, e));
            }
            check_foreign_keys(conn, migration, fk.was_on)?;
            commit(conn)?;
        } else {
            // The lock ends here: SQLite runs a statement like VACUUM only
            // outside a transaction.
            commit(conn)?;
            apply(conn, migration, migration.up(), "up.sql", false)?;
            begin(conn)?;
            if let Err(e) = record(conn, migration) {
                return Err(rollback(conn, e));
            }
            commit(conn)?;
        }
        ran.push(migration.dir().to_owned());
    }
}

/// Reverts applied migrations, newest first, with their `down.sql`, and
/// returns their folder names.
///
/// ```
/// use quarry_migrate::{Count, Migration, sqlite};
/// let conn = rusqlite::Connection::open_in_memory()?;
/// let migrations = [Migration::new(
///     "20240101120000_create_users",
///     "CREATE TABLE users (id INTEGER PRIMARY KEY);",
///     Some("DROP TABLE users;"),
///     true,
/// )
/// .unwrap()];
/// sqlite::run_pending(&conn, &migrations)?;
/// assert_eq!(sqlite::revert(&conn, &migrations, Count::All)?.len(), 1);
/// assert!(sqlite::applied(&conn)?.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn revert(
    conn: &Connection,
    migrations: &[Migration],
    count: Count,
) -> Result<Vec<String>, Error> {
    let fk = ForeignKeysOff::new(conn)?;
    let mut reverted = Vec::new();
    while !count.reached(reverted.len()) {
        begin(conn)?;
        let next = (|| {
            let applied = read_applied(conn)?;
            verify(migrations, &applied)?;
            newest_applied(migrations, &applied)
        })();
        let (migration, down) = match next {
            Ok(Some(found)) => found,
            Ok(None) => {
                commit(conn)?;
                break;
            }
            Err(e) => return Err(rollback(conn, e)),
        };
        let in_transaction = migration.run_in_transaction();
        if !in_transaction {
            commit(conn)?;
        }
        let undone = apply(conn, migration, down, "down.sql", in_transaction).and_then(|()| {
            if !in_transaction {
                begin(conn)?;
            }
            conn.execute(
                "DELETE FROM __quarry_migrations WHERE version = ?1",
                [migration.version()],
            )
            .map(drop)
            .map_err(Error::database)
        });
        if let Err(e) = undone {
            return Err(rollback(conn, e));
        }
        check_foreign_keys(conn, migration, fk.was_on)?;
        commit(conn)?;
        reverted.push(migration.dir().to_owned());
    }
    Ok(reverted)
}

/// The applied-migrations table's rows, by version; empty when the table
/// does not exist yet.
///
/// ```
/// let conn = rusqlite::Connection::open_in_memory()?;
/// assert!(quarry_migrate::sqlite::applied(&conn)?.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn applied(conn: &Connection) -> Result<Vec<Applied>, Error> {
    let exists: bool = conn
        .query_row(
            "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = \
             '__quarry_migrations'",
            [],
            |row| row.get(0),
        )
        .map_err(Error::database)?;
    if !exists {
        return Ok(Vec::new());
    }
    read_rows(conn)
}

fn read_applied(conn: &Connection) -> Result<Vec<Applied>, Error> {
    conn.execute_batch(CREATE).map_err(Error::database)?;
    read_rows(conn)
}

fn read_rows(conn: &Connection) -> Result<Vec<Applied>, Error> {
    let mut statement = conn
        .prepare(
            "SELECT version, name, checksum, CAST(run_on AS TEXT) FROM __quarry_migrations \
             ORDER BY version",
        )
        .map_err(Error::database)?;
    let rows = statement
        .query_map([], |row| {
            Ok(Applied {
                version: row.get(0)?,
                name: row.get(1)?,
                checksum: row.get(2)?,
                run_on: row.get(3)?,
            })
        })
        .map_err(Error::database)?;
    rows.collect::<Result<_, _>>().map_err(Error::database)
}

fn apply(
    conn: &Connection,
    migration: &Migration,
    sql: &str,
    file: &'static str,
    in_transaction: bool,
) -> Result<(), Error> {
    conn.execute_batch(sql).map_err(|source| Error::Failed {
        dir: migration.dir().to_owned(),
        file,
        rolled_back: in_transaction,
        source: source.into(),
    })?;
    if file == "up.sql" && in_transaction {
        record(conn, migration)?;
    }
    Ok(())
}

fn record(conn: &Connection, migration: &Migration) -> Result<(), Error> {
    conn.execute(
        "INSERT INTO __quarry_migrations (version, name, checksum) VALUES (?1, ?2, ?3)",
        [migration.version(), migration.name(), migration.checksum()],
    )
    .map(drop)
    .map_err(Error::database)
}

fn check_foreign_keys(conn: &Connection, migration: &Migration, was_on: bool) -> Result<(), Error> {
    if !was_on {
        return Ok(());
    }
    let broken: rusqlite::Result<Option<String>> =
        conn.prepare("PRAGMA foreign_key_check").and_then(|mut s| {
            let mut rows = s.query([])?;
            rows.next()?.map(|row| row.get(0)).transpose()
        });
    match broken {
        Ok(None) => Ok(()),
        Ok(Some(table)) => Err(rollback(
            conn,
            Error::ForeignKeyViolation {
                dir: migration.dir().to_owned(),
                table,
            },
        )),
        Err(e) => Err(rollback(conn, Error::database(e))),
    }
}

fn begin(conn: &Connection) -> Result<(), Error> {
    conn.execute_batch("BEGIN IMMEDIATE")
        .map_err(Error::database)
}

fn commit(conn: &Connection) -> Result<(), Error> {
    conn.execute_batch("COMMIT").map_err(Error::database)
}

/// Rolls back what is open and hands `error` on.
fn rollback(conn: &Connection, error: Error) -> Error {
    if !conn.is_autocommit() {
        // The error that brought us here is the one to report.
        let _ = conn.execute_batch("ROLLBACK");
    }
    error
}

/// `PRAGMA foreign_keys = OFF` for the run (it has no effect inside a
/// transaction, so it is set before), back on when dropped if it was on.
struct ForeignKeysOff<'a> {
    conn: &'a Connection,
    was_on: bool,
}

impl<'a> ForeignKeysOff<'a> {
    fn new(conn: &'a Connection) -> Result<Self, Error> {
        let was_on: bool = conn
            .query_row("PRAGMA foreign_keys", [], |row| row.get(0))
            .map_err(Error::database)?;
        if was_on {
            conn.execute_batch("PRAGMA foreign_keys = OFF")
                .map_err(Error::database)?;
        }
        Ok(ForeignKeysOff { conn, was_on })
    }
}

impl Drop for ForeignKeysOff<'_> {
    fn drop(&mut self) {
        if self.was_on {
            // Nothing to report it to; the next statement on a closed or
            // broken connection fails on its own.
            let _ = self.conn.execute_batch("PRAGMA foreign_keys = ON");
        }
    }
}
