//! Everything that stops a migration run, each with what to do.

use std::path::PathBuf;

/// A boxed error from a database driver.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Why migrations could not be read or run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file or folder could not be read.
    #[error("cannot read `{}`: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// A folder in the migrations folder is not named `<version>_<name>`.
    #[error(
        "`{}` is not a migration folder: name it `YYYYMMDDHHMMSS_name` (or \
         `YYYY-MM-DD-HHMMSS_name`)",
        path.display()
    )]
    BadFolderName { path: PathBuf },

    /// A migration folder has no `up.sql`.
    #[error("`{}` is missing", path.display())]
    NoUpSql { path: PathBuf },

    /// Two folders have the same version.
    #[error("migrations `{first}` and `{second}` have the same version {version}")]
    DuplicateVersion {
        version: String,
        first: String,
        second: String,
    },

    /// `metadata.toml` is not what quarry reads.
    #[error("bad `{}` (it takes `run_in_transaction = false`): {source}", path.display())]
    BadMetadata {
        path: PathBuf,
        #[source]
        source: toml::de::Error,
    },

    /// An applied migration's `up.sql` was edited afterwards.
    #[error(
        "migration `{dir}` was applied, but `{dir}/up.sql` has changed since (checksum {found}, \
         applied {applied}); restore the file and put the change in a new migration"
    )]
    Modified {
        dir: String,
        applied: String,
        found: String,
    },

    /// A migration to revert is applied but its folder is gone.
    #[error("migration {version} is applied but no folder in the migrations folder has it")]
    NotInFolder { version: String },

    /// A migration to revert has no `down.sql`.
    #[error("migration `{dir}` has no `down.sql`, so it cannot be reverted")]
    NoDownSql { dir: String },

    /// A migration's SQL failed.
    #[error(
        "migration `{dir}` failed in `{file}`: {}{}",
        one_line(source.as_ref()),
        if *rolled_back { "; the database is as it was before it" } else {
            "; it ran outside a transaction (`run_in_transaction = false`), so what ran before \
             the failing statement stays"
        }
    )]
    Failed {
        dir: String,
        file: &'static str,
        rolled_back: bool,
        #[source]
        source: BoxError,
    },

    /// A migration's SQL failed on MariaDB, whose DDL commits as it runs.
    #[error(
        "migration `{dir}` failed in `{file}`: {}; MariaDB commits each DDL statement (CREATE, \
         ALTER, DROP, RENAME) at once, so those before the failing statement stay applied, while \
         data changes since the last of them were rolled back and the migration is not recorded: \
         undo what ran by hand, or make the file safe to run again, then run again",
        one_line(source.as_ref())
    )]
    FailedPartway {
        dir: String,
        file: &'static str,
        #[source]
        source: BoxError,
    },

    /// After a migration, SQLite's `PRAGMA foreign_key_check` found rows
    /// whose references do not hold; the migration was rolled back.
    #[error(
        "migration `{dir}` leaves rows in `{table}` whose foreign keys point nowhere; it was \
         rolled back"
    )]
    ForeignKeyViolation { dir: String, table: String },

    /// Reading or writing the applied-migrations table failed.
    #[error("the applied-migrations table: {}", one_line(source.as_ref()))]
    Database {
        #[source]
        source: BoxError,
    },
}

impl Error {
    pub(crate) fn database(source: impl Into<BoxError>) -> Error {
        Error::Database {
            source: source.into(),
        }
    }
}

/// An error's message and its causes on one line (tokio-postgres puts the
/// server's message in a cause).
pub(crate) fn one_line(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
