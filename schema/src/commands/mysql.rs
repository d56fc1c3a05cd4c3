//! The `migration` and `database` commands on MariaDB (and MySQL): each
//! opens one connection, does its work and disconnects.
//!
//! MariaDB's DDL commits as it runs, so a migration that fails half way
//! stays half applied; [`quarry_migrate::mysql`] says more.

#[cfg(feature = "mysql")]
mod enabled {
    use mysql_async::prelude::Queryable;
    use mysql_async::{Conn, OptsBuilder};
    use quarry_migrate::{Applied, Count, Migration};

    use crate::commands::block_on;
    use crate::error::Error;
    use crate::mysql::{connect, message, opts};
    use crate::postgres::redact;

    /// Runs `body` on a connection to the URL's database.
    fn with_conn<T>(
        url: &str,
        body: impl AsyncFnOnce(&mut Conn) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let opts = opts(url)?;
        if opts.db_name().is_none() {
            return Err(no_database(url));
        }
        block_on(async {
            let mut conn = connect(opts).await?;
            let result = body(&mut conn).await;
            let _ = conn.disconnect().await;
            result
        })
    }

    fn no_database(url: &str) -> Error {
        Error::BadUrl {
            url: redact(url),
            reason: "it names no database: add `/dbname`".to_owned(),
        }
    }

    pub fn run(url: &str, migrations: &[Migration]) -> Result<Vec<String>, Error> {
        with_conn(url, async |conn| {
            Ok(quarry_migrate::mysql::run_pending(conn, migrations).await?)
        })
    }

    pub fn revert(url: &str, migrations: &[Migration], count: Count) -> Result<Vec<String>, Error> {
        with_conn(url, async |conn| {
            Ok(quarry_migrate::mysql::revert(conn, migrations, count).await?)
        })
    }

    pub fn applied(url: &str) -> Result<Vec<Applied>, Error> {
        with_conn(url, async |conn| {
            Ok(quarry_migrate::mysql::applied(conn).await?)
        })
    }

    /// `CREATE DATABASE IF NOT EXISTS` or `DROP DATABASE IF EXISTS` for the
    /// URL's database, on a connection to none.
    pub fn database_statement(url: &str, create: bool) -> Result<(), Error> {
        let opts = opts(url)?;
        let Some(name) = opts.db_name().map(str::to_owned) else {
            return Err(no_database(url));
        };
        let admin = OptsBuilder::from_opts(opts).db_name(None::<String>);
        let quoted = format!("`{}`", name.replace('`', "``"));
        let sql = if create {
            format!("CREATE DATABASE IF NOT EXISTS {quoted}")
        } else {
            format!("DROP DATABASE IF EXISTS {quoted}")
        };
        block_on(async {
            let mut conn = connect(admin.into()).await?;
            let result = conn.query_drop(sql).await.map_err(|e| Error::MySql {
                what: if create {
                    "creating the database"
                } else {
                    "dropping the database"
                },
                message: message(&e),
            });
            let _ = conn.disconnect().await;
            result
        })
    }
}

#[cfg(not(feature = "mysql"))]
mod enabled {
    use quarry_migrate::{Applied, Count, Migration};

    use crate::error::Error;

    fn not_built<T>() -> Result<T, Error> {
        Err(Error::NotBuilt(crate::NO_MYSQL.to_owned()))
    }

    pub fn run(_url: &str, _migrations: &[Migration]) -> Result<Vec<String>, Error> {
        not_built()
    }

    pub fn revert(
        _url: &str,
        _migrations: &[Migration],
        _count: Count,
    ) -> Result<Vec<String>, Error> {
        not_built()
    }

    pub fn applied(_url: &str) -> Result<Vec<Applied>, Error> {
        not_built()
    }

    pub fn database_statement(_url: &str, _create: bool) -> Result<(), Error> {
        not_built()
    }
}

pub use enabled::{applied, database_statement, revert, run};
