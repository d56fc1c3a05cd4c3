//! `quarry migration generate NAME [--diff-schema [FILE]]`.

use std::path::{Path, PathBuf};

use super::Context;
use crate::error::Error;
use crate::migration_sql::{MigrationSql, TypeNames, write};

/// What `generate` made.
#[derive(Debug)]
pub struct Generated {
    /// The new migration's folder.
    pub dir: PathBuf,
    /// `false` when `--diff-schema` found the database and the file alike;
    /// then no folder is made.
    pub changed: bool,
}

/// A new migration folder `<now>_<name>` in the migrations folder: empty
/// `up.sql` and `down.sql`, or with `diff_schema` the SQL that turns the
/// database into what that `schema.rs` declares.
///
/// `version` overrides the timestamp (`YYYYMMDDHHMMSS`).
pub fn generate(
    context: &Context,
    name: &str,
    diff_schema: Option<&Path>,
    version: Option<&str>,
) -> Result<Generated, Error> {
    if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
        return Err(Error::Usage(format!(
            "`{name}` cannot name a migration folder; use letters, digits and `_`"
        )));
    }
    let existing = if context.migrations_dir.is_dir() {
        context.migrations()?
    } else {
        Vec::new()
    };
    let sql = match diff_schema {
        Some(file) => {
            let pending: Vec<String> = super::list(context)?
                .into_iter()
                .filter(|s| s.applied.is_none())
                .map(|s| s.dir)
                .collect();
            if !pending.is_empty() {
                return Err(Error::Pending(pending));
            }
            let (live, wanted) = super::migration::shapes(context, file)?;
            let types = TypeNames::new(&context.config.print_schema.map_types);
            let dialect = match context.database {
                super::Database::Sqlite(_) => crate::Dialect::Sqlite,
                super::Database::Postgres(_) => crate::Dialect::Postgres,
                super::Database::Mysql(_) => crate::Dialect::Mysql,
            };
            match write(&live, &wanted, dialect, &types)? {
                Some(sql) => sql,
                None => {
                    return Ok(Generated {
                        dir: context.migrations_dir.clone(),
                        changed: false,
                    });
                }
            }
        }
        None => MigrationSql {
            up: "-- Your SQL goes here\n".to_owned(),
            down: "-- This file should undo anything in `up.sql`\n".to_owned(),
        },
    };
    let mut version = match version {
        Some(v) => v
            .parse::<u64>()
            .map_err(|_| Error::Usage(format!("`--version {v}` is not YYYYMMDDHHMMSS")))?,
        None => now(),
    };
    // Two migrations made in one second still get versions of their own.
    while existing
        .iter()
        .any(|m| m.version() == format!("{version:014}"))
    {
        version += 1;
    }
    let dir = context.migrations_dir.join(format!("{version:014}_{name}"));
    let create = |path: &Path, result: std::io::Result<()>| {
        result.map_err(|source| Error::Create {
            path: path.to_owned(),
            source,
        })
    };
    create(&dir, std::fs::create_dir_all(&dir))?;
    for (file, text) in [("up.sql", &sql.up), ("down.sql", &sql.down)] {
        let path = dir.join(file);
        create(&path, std::fs::write(&path, text))?;
    }
    Ok(Generated { dir, changed: true })
}

/// The UTC time as a number `YYYYMMDDHHMMSS`.
fn now() -> u64 {
    chrono::Utc::now()
        .format("%Y%m%d%H%M%S")
        .to_string()
        .parse()
        .unwrap_or_default()
}
