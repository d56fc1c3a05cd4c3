//! What `table!` can still expand after [`validate`](crate::validate)
//! rejected its input: every table, column, key and reference that is not
//! itself wrong. Expanding it beside the errors keeps one mistake to one
//! error: code that uses the tables still resolves.

use std::collections::HashSet;

use syn::ext::IdentExt;

use crate::ast::{Schema, Table};
use crate::parse::Errors;
use crate::validate::{RESERVED_NAMES, check_sql_type, column_sql_name, table_sql_name, validate};

/// The end of `validate`'s message for a reference between columns of
/// two SQL types.
pub const TYPE_MISMATCH: &str = "a reference joins columns of the same SQL type";

/// `schema` without what `validate` reports: duplicate tables and columns,
/// columns of unknown types, a primary key with a problem, and references
/// that are wrong on their own.
pub fn recoverable(schema: &Schema) -> Schema {
    let mut names = HashSet::new();
    let mut sql_names = HashSet::new();
    let tables: Vec<Table> = schema
        .tables
        .iter()
        .filter(|t| names.insert(t.name.unraw().to_string()) & sql_names.insert(table_sql_name(t)))
        .map(sound_columns)
        .collect();
    let bare = Schema {
        tables: tables.iter().map(without_references).collect(),
    };
    // Keep each reference that validates beside the tables alone.
    let tables = tables
        .iter()
        .enumerate()
        .map(|(i, table)| {
            let mut kept = without_references(table);
            for (c, column) in table.columns.iter().enumerate() {
                if column.references.is_some() {
                    let mut trial = without_references(table);
                    trial.columns[c].references = column.references.clone();
                    if fits(&bare, i, trial) {
                        kept.columns[c].references = column.references.clone();
                    }
                }
            }
            for fk in &table.foreign_keys {
                let mut trial = without_references(table);
                trial.foreign_keys.push(fk.clone());
                if fits(&bare, i, trial) {
                    kept.foreign_keys.push(fk.clone());
                }
            }
            kept
        })
        .collect();
    Schema { tables }
}

fn fits(bare: &Schema, index: usize, table: Table) -> bool {
    let mut trial = bare.clone();
    trial.tables[index] = table;
    expandable(&trial)
}

/// Whether `schema` expands to items that compile: it validates, or its
/// only errors are references between columns of two SQL types (each
/// reported once by `validate`; the join along it compiles).
pub fn expandable(schema: &Schema) -> bool {
    let trial = schema;
    // A reference to a column of another type is reported once, by
    // `validate`; expanding it anyway keeps joins along it from failing too.
    match validate(trial) {
        Ok(()) => true,
        Err(errors) => errors
            .into_iter()
            .all(|e| e.to_string().ends_with(TYPE_MISMATCH)),
    }
}

fn without_references(table: &Table) -> Table {
    let mut table = table.clone();
    table.foreign_keys.clear();
    for column in &mut table.columns {
        column.references = None;
    }
    table
}

/// The table's columns that are right on their own, and its primary key
/// if all of it is among them.
fn sound_columns(table: &Table) -> Table {
    let mut table = table.clone();
    let mut names = HashSet::new();
    let mut sql_names = HashSet::new();
    table.columns.retain(|column| {
        let name = column.name.unraw().to_string();
        let mut errors = Errors::default();
        check_sql_type(&column.ty, &mut errors);
        !RESERVED_NAMES.contains(&name.as_str())
            && errors.finish(()).is_ok()
            && names.insert(name)
            && sql_names.insert(column_sql_name(column))
    });
    let key_ok = {
        let mut seen = HashSet::new();
        table.primary_key.iter().all(|pk| {
            seen.insert(pk.unraw().to_string())
                && table.columns.iter().any(|c| {
                    c.name.unraw() == pk.unraw()
                        && !matches!(c.ty, crate::ast::SqlType::Nullable { .. })
                })
        })
    };
    if !key_ok {
        table.primary_key.clear();
    }
    table
}
