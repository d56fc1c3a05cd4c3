//! Migrations compiled into the binary by `quarry::embed_migrations!`.

use crate::migration::Migration;

/// A migrations folder compiled into the binary by
/// `quarry::embed_migrations!("migrations")`, checksums computed at build
/// time. [`run_pending`](Self::run_pending) and
/// [`run_pending_async`](Self::run_pending_async) apply what a database has
/// not seen, at start-up.
///
/// ```
/// // In an application: `const MIGRATIONS: EmbeddedMigrations = quarry::embed_migrations!("migrations");`
/// use quarry_migrate::EmbeddedMigrations;
/// const MIGRATIONS: EmbeddedMigrations = EmbeddedMigrations::new(&[]);
/// assert!(MIGRATIONS.migrations().is_empty());
/// ```
#[derive(Debug, Clone, Copy)]
pub struct EmbeddedMigrations {
    migrations: &'static [EmbeddedMigration],
}

/// One embedded migration, as `embed_migrations!` writes it. Not meant to
/// be written by hand.
#[doc(hidden)]
#[derive(Debug)]
pub struct EmbeddedMigration {
    pub dir: &'static str,
    pub up: &'static str,
    pub down: Option<&'static str>,
    pub checksum: &'static str,
    pub run_in_transaction: bool,
}

impl EmbeddedMigrations {
    /// The migrations `embed_migrations!` found, by version.
    pub const fn new(migrations: &'static [EmbeddedMigration]) -> Self {
        EmbeddedMigrations { migrations }
    }

    /// The migrations, by version.
    ///
    /// ```
    /// # const MIGRATIONS: quarry_migrate::EmbeddedMigrations = quarry_migrate::EmbeddedMigrations::new(&[]);
    /// for migration in MIGRATIONS.migrations() {
    ///     println!("{}", migration.dir());
    /// }
    /// ```
    pub fn migrations(&self) -> Vec<Migration> {
        self.migrations
            .iter()
            .filter_map(|m| {
                Migration::new(m.dir, m.up, m.down, m.run_in_transaction)
                    .map(|migration| migration.with_checksum(m.checksum))
            })
            .collect()
    }
}

#[cfg(feature = "runtime")]
impl EmbeddedMigrations {
    /// Applies every migration `conn`'s database has not seen and returns
    /// their folder names. See [`sqlite::run_pending`](crate::sqlite::run_pending).
    ///
    /// ```
    /// # const MIGRATIONS: quarry_migrate::EmbeddedMigrations = quarry_migrate::EmbeddedMigrations::new(&[]);
    /// let mut conn = quarry_runtime::sqlite::Connection::open_in_memory()?;
    /// MIGRATIONS.run_pending(&mut conn)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[cfg(feature = "sqlite")]
    pub fn run_pending(
        &self,
        conn: &mut quarry_runtime::sqlite::Connection,
    ) -> Result<Vec<String>, crate::Error> {
        let ran = crate::sqlite::run_pending(conn.raw(), &self.migrations())?;
        // Cached statements may describe tables the migrations changed.
        conn.clear_statement_cache();
        Ok(ran)
    }

    /// Applies every migration the pool's database has not seen, on one of
    /// its connections, and returns their folder names. See
    /// [`postgres::run_pending`](crate::postgres::run_pending).
    ///
    /// ```no_run
    /// # const MIGRATIONS: quarry_migrate::EmbeddedMigrations = quarry_migrate::EmbeddedMigrations::new(&[]);
    /// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
    /// let pool = quarry_runtime::postgres::Pool::connect("postgres://me@localhost/app").await?;
    /// MIGRATIONS.run_pending_async(&pool).await?;
    /// # Ok(())
    /// # }
    /// ```
    #[cfg(feature = "postgres")]
    pub async fn run_pending_async(
        &self,
        pool: &quarry_runtime::postgres::Pool,
    ) -> Result<Vec<String>, crate::Error> {
        let conn = pool.get().await.map_err(crate::Error::database)?;
        let ran = crate::postgres::run_pending(conn.client(), &self.migrations()).await?;
        // Other pooled connections keep their prepared statements; one that
        // no longer fits the changed tables is prepared again on failure.
        conn.clear_statement_cache();
        Ok(ran)
    }

    /// Applies every migration the MariaDB/MySQL pool's database has not
    /// seen, on one of its connections, and returns their folder names.
    /// See [`mysql::run_pending`](crate::mysql::run_pending), which says
    /// what MariaDB's non-transactional DDL means for a migration that
    /// fails half way.
    ///
    /// ```no_run
    /// # const MIGRATIONS: quarry_migrate::EmbeddedMigrations = quarry_migrate::EmbeddedMigrations::new(&[]);
    /// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
    /// let pool = quarry_runtime::mysql::Pool::connect("mysql://root@127.0.0.1:3306/app").await?;
    /// MIGRATIONS.run_pending_mysql(&pool).await?;
    /// # Ok(())
    /// # }
    /// ```
    #[cfg(feature = "mysql")]
    pub async fn run_pending_mysql(
        &self,
        pool: &quarry_runtime::mysql::Pool,
    ) -> Result<Vec<String>, crate::Error> {
        let conn = pool.get().await.map_err(crate::Error::database)?;
        self.run_pending_mysql_on(&conn).await
    }

    /// [`run_pending_mysql`](Self::run_pending_mysql) on a connection the
    /// caller holds (a [`PooledConnection`](quarry_runtime::mysql::PooledConnection)
    /// dereferences to one). A connection inside a quarry transaction is
    /// refused: the runner's own transactions would commit it.
    ///
    /// ```no_run
    /// # const MIGRATIONS: quarry_migrate::EmbeddedMigrations = quarry_migrate::EmbeddedMigrations::new(&[]);
    /// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
    /// let conn = quarry_runtime::mysql::Connection::connect("mysql://root@127.0.0.1:3306/app").await?;
    /// let applied = MIGRATIONS.run_pending_mysql_on(&conn).await?;
    /// # let _ = applied; Ok(())
    /// # }
    /// ```
    #[cfg(feature = "mysql")]
    pub async fn run_pending_mysql_on(
        &self,
        conn: &quarry_runtime::mysql::Connection,
    ) -> Result<Vec<String>, crate::Error> {
        if conn.in_transaction() {
            return Err(crate::Error::database(quarry_runtime::Error::Config(
                "migrations cannot run inside a transaction on MariaDB/MySQL: \
                 its DDL would commit it"
                    .to_owned(),
            )));
        }
        let mut raw = conn.raw().await.map_err(crate::Error::database)?;
        // MariaDB prepares a cached statement again when a table it reads
        // changed, so the connection's statement cache is kept.
        crate::mysql::run_pending(&mut raw, &self.migrations()).await
    }
}
