//! One migration: its version, name, SQL and options.

use crate::checksum::checksum;

/// A migration read from its folder or compiled in by `embed_migrations!`.
///
/// ```
/// let migration = quarry_migrate::Migration::new(
///     "20240101120000_create_users",
///     "CREATE TABLE users (id INTEGER PRIMARY KEY);",
///     Some("DROP TABLE users;"),
///     true,
/// )
/// .expect("a migration folder's name");
/// assert_eq!(migration.version(), "20240101120000");
/// assert_eq!(migration.name(), "create_users");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migration {
    version: String,
    name: String,
    dir: String,
    up: String,
    down: Option<String>,
    checksum: String,
    run_in_transaction: bool,
}

impl Migration {
    /// A migration named like its folder (`20240101120000_create_users` or
    /// `2024-01-01-120000_create_users`); `None` when `dir` is no such name.
    /// The checksum is computed from `up`.
    ///
    /// ```
    /// assert!(quarry_migrate::Migration::new("create_users", "", None, true).is_none());
    /// ```
    pub fn new(dir: &str, up: &str, down: Option<&str>, run_in_transaction: bool) -> Option<Self> {
        let (version, name) = crate::version::parse_dir_name(dir)?;
        Some(Migration {
            version,
            name,
            dir: dir.to_owned(),
            up: up.to_owned(),
            down: down.map(str::to_owned),
            checksum: checksum(up),
            run_in_transaction,
        })
    }

    /// Like [`new`](Self::new) with a checksum computed earlier (at build
    /// time, by `embed_migrations!`).
    pub(crate) fn with_checksum(mut self, checksum: &str) -> Self {
        checksum.clone_into(&mut self.checksum);
        self
    }

    /// The version: the folder name's 14 digits, dashes removed.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The folder name after the version and `_`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The folder's name, as messages show it.
    pub fn dir(&self) -> &str {
        &self.dir
    }

    /// The text of `up.sql`.
    pub fn up(&self) -> &str {
        &self.up
    }

    /// The text of `down.sql`, when the folder has one.
    pub fn down(&self) -> Option<&str> {
        self.down.as_deref()
    }

    /// SHA-256 of `up.sql` in hex (see [`checksum`](crate::checksum())).
    pub fn checksum(&self) -> &str {
        &self.checksum
    }

    /// `false` when `metadata.toml` says `run_in_transaction = false`.
    pub fn run_in_transaction(&self) -> bool {
        self.run_in_transaction
    }
}
