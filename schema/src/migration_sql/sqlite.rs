//! SQLite DDL for a list of changes. SQLite cannot alter a column, so any
//! change but a new nullable column rebuilds the table the way SQLite's
//! documentation shows (<https://www.sqlite.org/lang_altertable.html>,
//! "Making Other Kinds Of Table Schema Changes"): create the new table,
//! copy the rows, drop the old one, rename the new one. The migration
//! runner switches foreign key enforcement off around the migration and
//! runs `PRAGMA foreign_key_check` before it commits, as that recipe asks.

use std::fmt::Write;

use super::{TypeNames, quote, quote_list, rename_warnings};
use crate::diff::{Alter, Change};
use crate::error::Error;
use crate::model::Dialect;
use crate::shape::TableShape;

pub fn print(changes: &[Change], types: &TypeNames) -> Result<String, Error> {
    let mut out = String::new();
    rename_warnings(changes, &mut out, quote);
    for change in changes {
        if let Change::Drop(t) = change {
            let _ = writeln!(out, "DROP TABLE {};", quote(&t.name));
        }
    }
    for change in changes {
        match change {
            Change::Create(t) => create_table(&mut out, t, &t.name, types)?,
            Change::Alter(a) => alter_table(&mut out, a, types)?,
            Change::Drop(_) => {}
        }
    }
    Ok(out)
}

fn create_table(
    out: &mut String,
    t: &TableShape,
    name: &str,
    types: &TypeNames,
) -> Result<(), Error> {
    let _ = writeln!(out, "CREATE TABLE {} (", quote(name));
    let mut lines = Vec::new();
    for c in &t.columns {
        let ty = types.sql(&c.ty, Dialect::Sqlite, &format!("{}.{}", t.name, c.name))?;
        let not_null = if c.nullable { "" } else { " NOT NULL" };
        lines.push(format!("    {} {ty}{not_null}", quote(&c.name)));
    }
    if !t.primary_key.is_empty() {
        lines.push(format!("    PRIMARY KEY ({})", quote_list(&t.primary_key)));
    }
    for fk in &t.foreign_keys {
        lines.push(format!(
            "    FOREIGN KEY ({}) REFERENCES {} ({})",
            quote_list(&fk.columns),
            quote(&fk.table),
            quote_list(&fk.target_columns)
        ));
    }
    let _ = writeln!(out, "{}\n);", lines.join(",\n"));
    Ok(())
}

fn alter_table(out: &mut String, a: &Alter, types: &TypeNames) -> Result<(), Error> {
    let only_nullable_columns_added = a.dropped.is_empty()
        && a.changed.is_empty()
        && !a.primary_key_changed
        && a.foreign_keys_dropped.is_empty()
        && a.foreign_keys_added.is_empty()
        && a.added.iter().all(|c| c.nullable);
    if only_nullable_columns_added {
        for c in &a.added {
            let ty = types.sql(&c.ty, Dialect::Sqlite, &format!("{}.{}", a.to.name, c.name))?;
            let _ = writeln!(
                out,
                "ALTER TABLE {} ADD COLUMN {} {ty};",
                quote(&a.to.name),
                quote(&c.name)
            );
        }
        return Ok(());
    }
    let table = &a.to.name;
    let new = format!("__quarry_new_{table}");
    let _ = writeln!(
        out,
        "-- quarry: SQLite cannot alter columns, so `{table}` is rebuilt: created anew, its rows\n\
         -- copied, the old table dropped and the new one renamed. Indexes, triggers, defaults and\n\
         -- CHECK constraints of `{table}` are not carried over: add them again below."
    );
    create_table(out, &a.to, &new, types)?;
    let kept: Vec<String> =
        a.to.columns
            .iter()
            .filter(|c| a.from.column(&c.name).is_some())
            .map(|c| c.name.clone())
            .collect();
    if !kept.is_empty() {
        let list = quote_list(&kept);
        let _ = writeln!(
            out,
            "INSERT INTO {} ({list}) SELECT {list} FROM {};",
            quote(&new),
            quote(table)
        );
    }
    let _ = writeln!(out, "DROP TABLE {};", quote(table));
    let _ = writeln!(
        out,
        "ALTER TABLE {} RENAME TO {};",
        quote(&new),
        quote(table)
    );
    Ok(())
}
