//! `quarry.toml`: where `schema.rs` and the migrations live, and the
//! print-schema options used when migrations regenerate `schema.rs`.
//!
//! ```toml
//! [print_schema]
//! file = "src/schema.rs"        # regenerated after `migration run/revert/redo`
//! only_tables = ["users|posts"] # regexes, as --only-tables
//! except_tables = ["audit_.*"]  # regexes, as --except-tables
//! schema = "public"             # PostgreSQL schema, as --schema
//! map_types = ["citext=Text"]   # as --map-type
//!
//! [migrations]
//! dir = "migrations"
//! ```

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::Error;

/// `quarry.toml`, every key optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub print_schema: PrintSchemaConfig,
    #[serde(default)]
    pub migrations: MigrationsConfig,
    /// The folder of `quarry.toml`; relative paths start there.
    #[serde(skip)]
    pub root: PathBuf,
}

/// `[print_schema]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrintSchemaConfig {
    pub file: Option<PathBuf>,
    #[serde(default)]
    pub only_tables: Vec<String>,
    #[serde(default)]
    pub except_tables: Vec<String>,
    pub schema: Option<String>,
    #[serde(default)]
    pub map_types: Vec<String>,
}

/// `[migrations]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MigrationsConfig {
    pub dir: Option<PathBuf>,
}

impl Config {
    /// Reads `path`; when it is `None`, `quarry.toml` in the working
    /// directory if there is one, else the defaults.
    ///
    /// ```no_run
    /// let config = quarry_schema::Config::load(None)?;
    /// println!("{}", config.migrations_dir().display());
    /// # Ok::<(), quarry_schema::Error>(())
    /// ```
    pub fn load(path: Option<&Path>) -> Result<Config, Error> {
        let (path, required) = match path {
            Some(path) => (path.to_owned(), true),
            None => (PathBuf::from("quarry.toml"), false),
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if !required && e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Config::default());
            }
            Err(e) => {
                return Err(Error::Config {
                    path,
                    message: e.to_string(),
                });
            }
        };
        let mut config: Config = toml::from_str(&text).map_err(|e| Error::Config {
            path: path.clone(),
            message: e.message().to_owned(),
        })?;
        config.root = path.parent().map(Path::to_owned).unwrap_or_default();
        Ok(config)
    }

    /// `[migrations] dir`, else `migrations`.
    pub fn migrations_dir(&self) -> PathBuf {
        self.root.join(
            self.migrations
                .dir
                .as_deref()
                .unwrap_or(Path::new("migrations")),
        )
    }

    /// `[print_schema] file`, else `src/schema.rs`.
    pub fn schema_file(&self) -> PathBuf {
        self.root.join(
            self.print_schema
                .file
                .as_deref()
                .unwrap_or(Path::new("src/schema.rs")),
        )
    }

    /// Whether migrations regenerate the schema file: when `quarry.toml`
    /// names it, or when `src/schema.rs` exists.
    pub fn regenerates_schema(&self) -> bool {
        self.print_schema.file.is_some() || self.schema_file().is_file()
    }
}

#[cfg(test)]
mod tests {
    use super::Config;

    #[test]
    fn every_key_is_optional_and_unknown_keys_are_refused() {
        let config: Config = toml::from_str("").unwrap();
        assert_eq!(config.migrations_dir(), std::path::Path::new("migrations"));
        let config: Config = toml::from_str(
            "[print_schema]\nfile = \"db/schema.rs\"\nmap_types = [\"citext=Text\"]\n\
             [migrations]\ndir = \"db/migrations\"",
        )
        .unwrap();
        assert_eq!(config.schema_file(), std::path::Path::new("db/schema.rs"));
        assert!(toml::from_str::<Config>("[print_schema]\nfiel = \"x\"").is_err());
    }
}
