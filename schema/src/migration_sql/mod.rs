//! The SQL of a generated migration: one DDL printer per dialect, fed the
//! changes [`diff`](crate::diff) found. `down.sql` is the diff taken the
//! other way round, printed the same way.

mod mysql;
mod names;
mod postgres;
mod sqlite;

use std::fmt::Write;

use crate::diff::{Alter, Change, diff};
use crate::error::Error;
use crate::model::Dialect;
use crate::shape::{ForeignKeyShape, Shape, TableShape};

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
        Dialect::Postgres => print_in_order(&postgres::DDL, changes, types),
        Dialect::Sqlite => sqlite::print(changes, types),
        Dialect::Mysql => print_in_order(&mysql::DDL, changes, types),
    };
    Ok(Some(MigrationSql {
        up: print(&up)?,
        down: print(&down)?,
    }))
}

/// What a dialect's DDL printer gives the shared walk ([`print_in_order`]):
/// its own functions, each module's `DDL`.
struct Ddl {
    quote: fn(&str) -> String,
    quote_list: fn(&[String]) -> String,
    fk_name: fn(&str, &ForeignKeyShape) -> String,
    drop_foreign_key: fn(&mut String, &str, &ForeignKeyShape),
    create_table: fn(&mut String, &TableShape, &TypeNames) -> Result<(), Error>,
    alter_table: fn(&mut String, &Alter, &TypeNames) -> Result<(), Error>,
}

/// The changes as DDL in an order every dialect with foreign key
/// constraints accepts: foreign keys that a drop would break are dropped
/// first, then tables, then tables are created and altered, and foreign
/// keys are added last, so tables may reference each other in any order.
fn print_in_order(d: &Ddl, changes: &[Change], types: &TypeNames) -> Result<String, Error> {
    let mut out = String::new();
    rename_warnings(changes, &mut out, d.quote);
    let dropped: Vec<&TableShape> = changes
        .iter()
        .filter_map(|c| match c {
            Change::Drop(t) => Some(t),
            _ => None,
        })
        .collect();
    // Foreign keys first, so tables and columns drop in any order.
    for change in changes {
        match change {
            Change::Drop(t) => {
                for fk in &t.foreign_keys {
                    if fk.table != t.name && dropped.iter().any(|gone| gone.name == fk.table) {
                        (d.drop_foreign_key)(&mut out, &t.name, fk);
                    }
                }
            }
            Change::Alter(a) => {
                for fk in &a.foreign_keys_dropped {
                    (d.drop_foreign_key)(&mut out, &a.to.name, fk);
                }
            }
            Change::Create(_) => {}
        }
    }
    for t in &dropped {
        let _ = writeln!(out, "DROP TABLE {};", (d.quote)(&t.name));
    }
    for change in changes {
        match change {
            Change::Create(t) => (d.create_table)(&mut out, t, types)?,
            Change::Alter(a) => (d.alter_table)(&mut out, a, types)?,
            Change::Drop(_) => {}
        }
    }
    for change in changes {
        let (table, fks) = match change {
            Change::Create(t) => (&t.name, &t.foreign_keys),
            Change::Alter(a) => (&a.to.name, &a.foreign_keys_added),
            Change::Drop(_) => continue,
        };
        for fk in fks {
            let _ = writeln!(
                out,
                "ALTER TABLE {} ADD CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} ({});",
                (d.quote)(table),
                (d.quote)(&(d.fk_name)(table, fk)),
                (d.quote_list)(&fk.columns),
                (d.quote)(&fk.table),
                (d.quote_list)(&fk.target_columns)
            );
        }
    }
    Ok(out)
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
