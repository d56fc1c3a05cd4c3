//! Reading a live SQLite database: `pragma_table_list`,
//! `pragma_table_xinfo` and `pragma_foreign_key_list`. The file is opened
//! read-only and never created.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use crate::defaults;
use crate::error::Error;
use crate::model::Dialect;
use crate::model::{Column, Database, DbType, Default, ForeignKey, Kind, Table};
use crate::types::{builtin, is_numeric, normalize_name};

/// The file a SQLite URL names: `sqlite://app.db` (relative),
/// `sqlite:///abs/app.db`, `sqlite:app.db`, or a plain path.
pub fn path_of(url: &str) -> Option<PathBuf> {
    let path = match url.strip_prefix("sqlite:") {
        Some(rest) => rest.strip_prefix("//").unwrap_or(rest),
        None => url,
    };
    (!path.is_empty()).then(|| PathBuf::from(path))
}

pub fn read(path: &Path) -> Result<Database, Error> {
    let sqlite = |source| Error::Sqlite {
        path: path.to_owned(),
        source,
    };
    if !path.is_file() {
        return Err(Error::MissingSqliteFile {
            path: path.to_owned(),
        });
    }
    // No SQLITE_OPEN_CREATE: a file that vanished since is an error, not a
    // new empty database.
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(sqlite)?;
    read_connection(&conn).map_err(sqlite)
}

fn read_connection(conn: &Connection) -> rusqlite::Result<Database> {
    let mut list = conn.prepare(
        "SELECT name, type, wr FROM pragma_table_list WHERE schema = 'main' \
         AND type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
    )?;
    let entries: Vec<(String, String, bool)> = list
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;

    let mut tables = Vec::new();
    for (name, kind, without_rowid) in entries {
        let kind = if kind == "view" {
            Kind::View
        } else {
            Kind::Table
        };
        tables.push(read_table(conn, name, kind, without_rowid)?);
    }
    Ok(Database {
        tables,
        enums: Vec::new(),
    })
}

fn read_table(
    conn: &Connection,
    name: String,
    kind: Kind,
    without_rowid: bool,
) -> rusqlite::Result<Table> {
    let mut info = conn.prepare(
        "SELECT name, type, \"notnull\", dflt_value, pk, hidden FROM pragma_table_xinfo(?1) \
         ORDER BY cid",
    )?;
    let rows: Vec<(String, String, bool, Option<String>, i64, i64)> = info
        .query_map([&name], |row| {
            Ok((
                row.get(0)?,
                row.get::<_, Option<String>>(1)?.unwrap_or_default(),
                row.get(2)?,
                row.get(3)?,
                row.get(4)?,
                row.get(5)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;

    let mut key: Vec<(i64, String)> = Vec::new();
    let mut columns = Vec::new();
    let mut declared = Vec::new();
    for (column, ty, not_null, default, pk, hidden) in rows {
        // 1: a virtual table's hidden column; 2, 3: generated columns.
        if hidden == 1 {
            continue;
        }
        if pk > 0 {
            key.push((pk, column.clone()));
        }
        let normalized = normalize_name(&ty);
        let ty_model = if normalized.is_empty() {
            DbType::Untyped
        } else {
            DbType::Named(normalized.clone())
        };
        let numeric = builtin(Dialect::Sqlite, &normalized).is_some_and(is_numeric);
        let default = if hidden >= 2 {
            Some(Default::Generated)
        } else {
            default.map(|text| Default::Expr(defaults::normalize(&text, numeric)))
        };
        declared.push(ty);
        columns.push(Column {
            name: column,
            ty: ty_model,
            // A primary key column is NOT NULL in quarry (SQLite's rowid
            // alias never holds NULL; other keys only by an old quirk).
            not_null: not_null || pk > 0,
            default,
        });
    }
    key.sort();
    let primary_key: Vec<String> = key.into_iter().map(|(_, column)| column).collect();

    // `INTEGER PRIMARY KEY` makes the column the rowid, which SQLite fills in.
    if let [only] = primary_key.as_slice()
        && kind == Kind::Table
        && !without_rowid
        && let Some(index) = columns.iter().position(|c| &c.name == only)
        && declared[index].trim().eq_ignore_ascii_case("integer")
        && columns[index].default.is_none()
    {
        columns[index].default = Some(Default::Rowid);
    }

    let mut foreign_keys = Vec::new();
    if kind == Kind::Table {
        let mut fks = conn.prepare(
            "SELECT id, \"table\", \"from\", \"to\" FROM pragma_foreign_key_list(?1) \
             ORDER BY id, seq",
        )?;
        let rows: Vec<(i64, String, String, Option<String>)> = fks
            .query_map([&name], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut current: Option<(i64, ForeignKey)> = None;
        for (id, target, from, to) in rows {
            match &mut current {
                Some((current_id, fk)) if *current_id == id => {
                    fk.columns.push(from);
                    fk.target_columns.extend(to);
                }
                _ => {
                    if let Some((_, fk)) = current.take() {
                        foreign_keys.push(fk);
                    }
                    current = Some((
                        id,
                        ForeignKey {
                            columns: vec![from],
                            target_table: target,
                            target_columns: to.into_iter().collect(),
                        },
                    ));
                }
            }
        }
        foreign_keys.extend(current.map(|(_, fk)| fk));
    }

    Ok(Table {
        name,
        kind,
        columns,
        primary_key,
        foreign_keys,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(path_of("sqlite://app.db"), Some("app.db".into()));
        assert_eq!(path_of("sqlite:///abs/app.db"), Some("/abs/app.db".into()));
        assert_eq!(path_of("sqlite:app.db"), Some("app.db".into()));
        assert_eq!(path_of("data/app.db"), Some("data/app.db".into()));
        assert_eq!(path_of("sqlite://"), None);
    }
}
