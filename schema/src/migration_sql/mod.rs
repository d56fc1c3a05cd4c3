//! The SQL of a generated migration: one DDL printer per dialect, fed the
//! changes [`diff`](crate::diff) found. `down.sql` is the diff taken the
//! other way round, printed the same way.

mod mysql;
mod names;
mod postgres;
mod sqlite;

use crate::diff::{Change, diff};
use crate::error::Error;
use crate::model::Dialect;
use crate::shape::Shape;

pub use names::TypeNames;

/// `up.sql` and `down.sql` of a generated migration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationSql {
    pub up: String,
    pub down: String,
}

/// The migration from the database's shape `live` to `wanted`, or `None`
/// when they agree.
pub fn write(
    live: &Shape,
    wanted: &Shape,
    dialect: Dialect,
    types: &TypeNames,
) -> Result<Option<MigrationSql>, Error> {
    let up = diff(live, wanted);
    if up.is_empty() {
        return Ok(None);
    }
    let down = diff(wanted, live);
    let print = |changes: &[Change]| match dialect {
        Dialect::Postgres => postgres::print(changes, types),
        Dialect::Sqlite => sqlite::print(changes, types),
        Dialect::Mysql => mysql::print(changes, types),
    };
    Ok(Some(MigrationSql {
        up: print(&up)?,
        down: print(&down)?,
    }))
}

/// `-- quarry:` comments where a drop and an add may have been one rename.
fn rename_warnings(changes: &[Change], out: &mut String, quote: fn(&str) -> String) {
    let dropped: Vec<&str> = changes
        .iter()
        .filter_map(|c| match c {
            Change::Drop(t) => Some(t.name.as_str()),
            _ => None,
        })
        .collect();
    let created: Vec<&str> = changes
        .iter()
        .filter_map(|c| match c {
            Change::Create(t) => Some(t.name.as_str()),
            _ => None,
        })
        .collect();
    for from in &dropped {
        for to in &created {
            out.push_str(&format!(
                "-- quarry: table `{from}` is dropped and `{to}` created, which loses `{from}`'s \
                 rows. If you meant a rename,\n-- replace both with: ALTER TABLE {} RENAME TO {};\n",
                quote(from),
                quote(to)
            ));
        }
    }
    for change in changes {
        if let Change::Alter(a) = change {
            for from in &a.dropped {
                for to in &a.added {
                    out.push_str(&format!(
                        "-- quarry: column `{t}.{f}` is dropped and `{t}.{n}` added, which loses \
                         its values. If you meant a rename,\n-- write instead: ALTER TABLE {} \
                         RENAME COLUMN {} TO {};\n",
                        quote(&a.to.name),
                        quote(&from.name),
                        quote(&to.name),
                        t = a.to.name,
                        f = from.name,
                        n = to.name,
                    ));
                }
            }
        }
    }
    if !out.is_empty() {
        out.push('\n');
    }
}

/// An identifier as SQL text, quoted unless it is a plain lower-case name
/// that is no keyword.
fn quote(name: &str) -> String {
    if is_plain(name) {
        name.to_owned()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

/// A lower-case name that is no keyword: written without quotes.
fn is_plain(name: &str) -> bool {
    const KEYWORDS: &[&str] = &[
        "all",
        "and",
        "as",
        "asc",
        "between",
        "by",
        "case",
        "check",
        "column",
        "constraint",
        "create",
        "default",
        "delete",
        "desc",
        "distinct",
        "drop",
        "else",
        "end",
        "except",
        "exists",
        "foreign",
        "from",
        "group",
        "having",
        "in",
        "index",
        "insert",
        "into",
        "is",
        "join",
        "key",
        "limit",
        "not",
        "null",
        "offset",
        "on",
        "or",
        "order",
        "primary",
        "references",
        "select",
        "set",
        "table",
        "then",
        "to",
        "type",
        "union",
        "unique",
        "update",
        "user",
        "using",
        "values",
        "when",
        "where",
        "with",
    ];
    name.chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !KEYWORDS.contains(&name)
}

fn quote_list(names: &[String]) -> String {
    names
        .iter()
        .map(|n| quote(n))
        .collect::<Vec<_>>()
        .join(", ")
}
