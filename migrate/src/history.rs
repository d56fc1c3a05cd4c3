//! The applied-migrations table, `__quarry_migrations`: one row per applied
//! migration with its version, name, the checksum of its `up.sql` and when
//! it ran.

/// The table's name. `print-schema` run by the `quarry` command leaves it
/// out.
pub const TABLE: &str = "__quarry_migrations";

/// One row of the applied-migrations table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// The version, 14 digits.
    pub version: String,
    /// The name part of the folder's name.
    pub name: String,
    /// SHA-256 of `up.sql` when it ran.
    pub checksum: String,
    /// When it ran, as the database prints a timestamp (UTC).
    pub run_on: String,
}

/// `CREATE TABLE IF NOT EXISTS` for the table; the same text suits SQLite
/// and PostgreSQL.
pub(crate) const CREATE: &str = "CREATE TABLE IF NOT EXISTS __quarry_migrations (
    version VARCHAR(50) PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    checksum TEXT NOT NULL,
    run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
)";
