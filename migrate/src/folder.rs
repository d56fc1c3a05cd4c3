//! Reading a migrations folder: one sub-folder per migration, each with
//! `up.sql`, usually `down.sql`, and optionally `metadata.toml`.

use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::metadata::Metadata;
use crate::migration::Migration;
use crate::version::parse_dir_name;

/// Every migration in `dir`, by version. Entries whose names start with
/// `.` and plain files (a `.keep`, a README) are skipped; any other folder
/// must be named `<version>_<name>` and hold an `up.sql`.
///
/// ```
/// let dir = tempfile::tempdir()?;
/// let one = dir.path().join("20240101120000_create_users");
/// std::fs::create_dir(&one)?;
/// std::fs::write(one.join("up.sql"), "CREATE TABLE users (id INTEGER PRIMARY KEY);")?;
/// std::fs::write(one.join("down.sql"), "DROP TABLE users;")?;
///
/// let migrations = quarry_migrate::load_folder(dir.path())?;
/// assert_eq!(migrations[0].name(), "create_users");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn load_folder(dir: &Path) -> Result<Vec<Migration>, Error> {
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| Error::Read { path, source }
    };
    let mut migrations: Vec<Migration> = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io(dir))? {
        let entry = entry.map_err(io(dir))?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || !path.is_dir() {
            continue;
        }
        if parse_dir_name(&name).is_none() {
            return Err(Error::BadFolderName { path });
        }
        migrations.push(load_one(&path, &name)?);
    }
    migrations.sort_by(|a, b| a.version().cmp(b.version()));
    for pair in migrations.windows(2) {
        if pair[0].version() == pair[1].version() {
            return Err(Error::DuplicateVersion {
                version: pair[0].version().to_owned(),
                first: pair[0].dir().to_owned(),
                second: pair[1].dir().to_owned(),
            });
        }
    }
    Ok(migrations)
}

fn load_one(path: &Path, name: &str) -> Result<Migration, Error> {
    let read = |file: &str| -> Result<Option<String>, Error> {
        let file = path.join(file);
        match std::fs::read_to_string(&file) {
            Ok(text) => Ok(Some(text)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(Error::Read { path: file, source }),
        }
    };
    let up = read("up.sql")?.ok_or_else(|| Error::NoUpSql {
        path: path.join("up.sql"),
    })?;
    let down = read("down.sql")?;
    let run_in_transaction = match read("metadata.toml")? {
        Some(text) => {
            Metadata::parse(&text)
                .map_err(|source| Error::BadMetadata {
                    path: path.join("metadata.toml"),
                    source,
                })?
                .run_in_transaction
        }
        None => true,
    };
    Migration::new(name, &up, down.as_deref(), run_in_transaction).ok_or_else(|| {
        Error::BadFolderName {
            path: PathBuf::from(path),
        }
    })
}
