//! `quarry database setup | reset | drop`.

use super::{Context, Database, block_on, mysql, open_sqlite};
use crate::error::Error;

/// Creates the database and the migrations folder when they do not exist,
/// then applies every migration. Returns the folders applied.
pub fn setup(context: &Context) -> Result<Vec<String>, Error> {
    std::fs::create_dir_all(&context.migrations_dir).map_err(|source| Error::Create {
        path: context.migrations_dir.clone(),
        source,
    })?;
    match &context.database {
        Database::Sqlite(path) => drop(open_sqlite(path, true)?),
        Database::Mysql(url) => mysql::database_statement(url, true)?,
        Database::Postgres(url) => {
            let (admin, name) = admin_config(url)?;
            block_on(async {
                let client = crate::pg_connect::connect(&admin).await?;
                let exists = client
                    .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&name])
                    .await
                    .map_err(|source| Error::Pg { source })?
                    .is_some();
                if !exists {
                    client
                        .batch_execute(&format!("CREATE DATABASE {}", quote(&name)))
                        .await
                        .map_err(|source| Error::Pg { source })?;
                }
                Ok(())
            })?;
        }
    }
    super::run(context)
}

/// Drops the database: deletes the SQLite file, or `DROP DATABASE` on
/// PostgreSQL and MariaDB. A database that is not there is no error.
pub fn drop_database(context: &Context) -> Result<(), Error> {
    match &context.database {
        Database::Sqlite(path) => {
            for suffix in ["", "-wal", "-shm", "-journal"] {
                let mut file = path.as_os_str().to_owned();
                file.push(suffix);
                match std::fs::remove_file(&file) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(source) => {
                        return Err(Error::Write {
                            path: file.into(),
                            source,
                        });
                    }
                }
            }
            Ok(())
        }
        Database::Mysql(url) => mysql::database_statement(url, false),
        Database::Postgres(url) => {
            let (admin, name) = admin_config(url)?;
            block_on(async {
                let client = crate::pg_connect::connect(&admin).await?;
                client
                    .batch_execute(&format!("DROP DATABASE IF EXISTS {}", quote(&name)))
                    .await
                    .map_err(|source| Error::Pg { source })
            })
        }
    }
}

/// Drops the database, then sets it up again.
pub fn reset(context: &Context) -> Result<Vec<String>, Error> {
    drop_database(context)?;
    setup(context)
}

/// The URL's settings pointed at the `postgres` maintenance database, and
/// the name of the database the URL names.
fn admin_config(url: &str) -> Result<(quarry_runtime::postgres::ConnectOptions, String), Error> {
    let config = crate::pg_connect::config(url)?;
    let name = config
        .pg_config()
        .get_dbname()
        .or(config.pg_config().get_user())
        .map(str::to_owned)
        .ok_or_else(|| Error::BadUrl {
            url: crate::postgres::redact(url),
            reason: "it names no database".to_owned(),
        })?;
    let mut admin = config.clone();
    admin.pg_config_mut().dbname("postgres");
    Ok((admin, name))
}

fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}
