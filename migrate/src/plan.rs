//! What a run or a revert does, decided from the folder and the table
//! alone, the same way on every backend.

use crate::error::Error;
use crate::history::Applied;
use crate::migration::Migration;

/// How many applied migrations a revert undoes, newest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Count {
    /// The newest `n`.
    Last(usize),
    /// Every applied migration.
    All,
}

/// One migration of the folder or the table, for `quarry migration list`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// The version, 14 digits.
    pub version: String,
    /// The folder's name, or the version and name from the table when the
    /// folder is gone.
    pub dir: String,
    /// The table's row, when applied.
    pub applied: Option<Applied>,
    /// Whether the folder has it.
    pub in_folder: bool,
}

/// Fails when an applied migration's `up.sql` differs from what ran.
pub fn verify(available: &[Migration], applied: &[Applied]) -> Result<(), Error> {
    for row in applied {
        if let Some(m) = available.iter().find(|m| m.version() == row.version)
            && m.checksum() != row.checksum
        {
            return Err(Error::Modified {
                dir: m.dir().to_owned(),
                applied: short(&row.checksum),
                found: short(m.checksum()),
            });
        }
    }
    Ok(())
}

fn short(checksum: &str) -> String {
    checksum.chars().take(12).collect()
}

/// The first migration of the folder that the table does not have.
pub fn next_pending<'a>(available: &'a [Migration], applied: &[Applied]) -> Option<&'a Migration> {
    available
        .iter()
        .find(|m| !applied.iter().any(|a| a.version == m.version()))
}

/// The newest applied migration, with its `down.sql`.
pub fn newest_applied<'a>(
    available: &'a [Migration],
    applied: &[Applied],
) -> Result<Option<(&'a Migration, &'a str)>, Error> {
    let Some(row) = applied.iter().max_by(|a, b| a.version.cmp(&b.version)) else {
        return Ok(None);
    };
    let migration = available
        .iter()
        .find(|m| m.version() == row.version)
        .ok_or_else(|| Error::NotInFolder {
            version: row.version.clone(),
        })?;
    let down = migration.down().ok_or_else(|| Error::NoDownSql {
        dir: migration.dir().to_owned(),
    })?;
    Ok(Some((migration, down)))
}

/// Every migration of the folder and the table, by version.
pub fn statuses(available: &[Migration], applied: &[Applied]) -> Vec<Status> {
    let mut out: Vec<Status> = available
        .iter()
        .map(|m| Status {
            version: m.version().to_owned(),
            dir: m.dir().to_owned(),
            applied: applied.iter().find(|a| a.version == m.version()).cloned(),
            in_folder: true,
        })
        .collect();
    for row in applied {
        if !available.iter().any(|m| m.version() == row.version) {
            out.push(Status {
                version: row.version.clone(),
                dir: format!("{}_{}", row.version, row.name),
                applied: Some(row.clone()),
                in_folder: false,
            });
        }
    }
    out.sort_by(|a, b| a.version.cmp(&b.version));
    out
}

impl Count {
    /// Whether `done` reverts are enough.
    pub(crate) fn reached(self, done: usize) -> bool {
        match self {
            Count::Last(n) => done >= n,
            Count::All => false,
        }
    }
}
