//! The `quarry migration` and `quarry database` commands, behind the
//! binary's argument parsing: a [`Context`] (database URL, `quarry.toml`)
//! and one function per command.

mod database;
mod generate;
mod migration;
mod mysql;

use std::future::Future;
use std::path::{Path, PathBuf};

pub use database::{drop_database, reset, setup};
pub use generate::generate;
pub use migration::{check, list, redo, revert, run};

use crate::config::Config;
use crate::error::Error;
use crate::{Options, Source};

/// Which database a URL names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Database {
    Sqlite(PathBuf),
    Postgres(String),
    /// MariaDB or MySQL, as a `mysql://` URL.
    Mysql(String),
}

/// What every command needs: the database and `quarry.toml`.
#[derive(Debug)]
pub struct Context {
    pub url: String,
    pub database: Database,
    pub config: Config,
    /// `--migration-dir`, over `quarry.toml`'s.
    pub migrations_dir: PathBuf,
}

impl Context {
    /// `url` (else `DATABASE_URL`, read from the environment or `.env`)
    /// and `config_file` (else `./quarry.toml` when it exists).
    ///
    /// ```no_run
    /// let context = quarry_schema::commands::Context::new(Some("sqlite://app.db".into()), None, None)?;
    /// let applied = quarry_schema::commands::run(&context)?;
    /// # Ok::<(), quarry_schema::Error>(())
    /// ```
    pub fn new(
        url: Option<String>,
        config_file: Option<&Path>,
        migrations_dir: Option<PathBuf>,
    ) -> Result<Context, Error> {
        let config = Config::load(config_file)?;
        let url = match url {
            Some(url) => url,
            None => {
                // A missing `.env` is fine; a broken one is worth a word.
                match dotenvy::dotenv() {
                    Ok(_) => {}
                    Err(e) if e.not_found() => {}
                    Err(e) => {
                        return Err(Error::Config {
                            path: ".env".into(),
                            message: e.to_string(),
                        });
                    }
                }
                std::env::var("DATABASE_URL").map_err(|_| Error::NoDatabaseUrl)?
            }
        };
        let database = database_of(&url)?;
        let migrations_dir = migrations_dir.unwrap_or_else(|| config.migrations_dir());
        Ok(Context {
            url,
            database,
            config,
            migrations_dir,
        })
    }

    /// print-schema's options from `quarry.toml` (print-schema leaves out
    /// the bookkeeping tables itself).
    pub fn print_options(&self) -> Options {
        let p = &self.config.print_schema;
        let mut options = Options::new(Source::Url(self.url.clone()));
        options.only_tables = p.only_tables.clone();
        options.except_tables = p.except_tables.clone();
        options.schema = p.schema.clone();
        options.map_types = p.map_types.clone();
        options
    }

    /// The folder's migrations; none while the folder does not exist.
    fn migrations(&self) -> Result<Vec<quarry_migrate::Migration>, Error> {
        if !self.migrations_dir.exists() {
            return Ok(Vec::new());
        }
        Ok(quarry_migrate::load_folder(&self.migrations_dir)?)
    }

    /// Runs `sqlite` on a read-write connection (foreign keys on, as
    /// quarry's own connections have them), or `pg` on a client.
    fn with_connection<T, F>(
        &self,
        sqlite: impl FnOnce(&rusqlite::Connection) -> Result<T, Error>,
        pg: impl FnOnce(tokio_postgres::Client) -> F,
    ) -> Result<T, Error>
    where
        F: Future<Output = Result<T, Error>>,
    {
        match &self.database {
            Database::Sqlite(path) => {
                let conn = open_sqlite(path, false)?;
                sqlite(&conn)
            }
            Database::Postgres(url) => block_on(async {
                let config = crate::pg_connect::config(url)?;
                let client = crate::pg_connect::connect(&config).await?;
                pg(client).await
            }),
            // The commands take MariaDB's path before they get here.
            Database::Mysql(_) => Err(Error::Usage(
                "this command has no MariaDB path (a bug in quarry)".to_owned(),
            )),
        }
    }

    /// Rewrites the schema file with print-schema, when `quarry.toml` asks
    /// for it (see [`Config::regenerates_schema`]). Returns the file.
    pub fn regenerate_schema(&self) -> Result<Option<PathBuf>, Error> {
        if !self.config.regenerates_schema() {
            return Ok(None);
        }
        let path = self.config.schema_file();
        let printed = match crate::print_schema(&self.print_options()) {
            Ok(printed) => printed,
            Err(Error::NoTables(_)) => {
                format!("{}\n// The database has no tables.\n", crate::HEADER)
            }
            Err(e) => return Err(e),
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| Error::Create {
                path: dir.to_owned(),
                source,
            })?;
        }
        crate::write_atomically(&path, &printed)?;
        Ok(Some(path))
    }
}

fn database_of(url: &str) -> Result<Database, Error> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok(Database::Postgres(url.to_owned()));
    }
    if let Some(url) = crate::mysql_url(url) {
        return Ok(Database::Mysql(url));
    }
    if let Some((scheme, _)) = url.split_once("://")
        && scheme != "sqlite"
    {
        return Err(Error::BadUrl {
            url: crate::postgres::redact(url),
            reason: format!(
                "quarry migrates SQLite (`sqlite://path` or a file path), PostgreSQL \
                 (`postgres://...`) and MariaDB or MySQL (`mysql://...`), not `{scheme}`"
            ),
        });
    }
    crate::sqlite::path_of(url)
        .map(Database::Sqlite)
        .ok_or_else(|| Error::BadUrl {
            url: url.to_owned(),
            reason: "no file path after `sqlite://`".to_owned(),
        })
}

/// Opens the SQLite file read-write; `create` makes it when missing.
fn open_sqlite(path: &Path, create: bool) -> Result<rusqlite::Connection, Error> {
    if !create && !path.is_file() {
        return Err(Error::MissingSqliteFile {
            path: path.to_owned(),
        });
    }
    let sqlite = |source| Error::Sqlite {
        path: path.to_owned(),
        source,
    };
    let conn = rusqlite::Connection::open(path).map_err(sqlite)?;
    conn.execute_batch("PRAGMA foreign_keys = ON")
        .map_err(sqlite)?;
    Ok(conn)
}

pub(crate) fn block_on<T>(future: impl Future<Output = Result<T, Error>>) -> Result<T, Error> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(Error::Runtime)?
        .block_on(future)
}
