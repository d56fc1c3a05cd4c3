//! PostgreSQL DDL for a list of changes. Constraints keep PostgreSQL's own
//! default names (`users_pkey`, `posts_user_id_fkey`), so a generated
//! migration can drop what an earlier one, or plain DDL, created.

use std::fmt::Write;

use super::{TypeNames, quote, quote_list};
use crate::diff::Alter;
use crate::error::Error;
use crate::model::Dialect;
use crate::shape::{ColumnShape, ForeignKeyShape, TableShape};

/// This dialect's part of the shared walk.
pub(super) const DDL: super::Ddl = super::Ddl {
    quote,
    quote_list,
    fk_name,
    drop_foreign_key,
    create_table,
    alter_table,
};

/// PostgreSQL's default name: `<table>_<columns>_fkey`.
fn fk_name(table: &str, fk: &ForeignKeyShape) -> String {
    format!("{table}_{}_fkey", fk.columns.join("_"))
}

fn drop_foreign_key(out: &mut String, table: &str, fk: &ForeignKeyShape) {
    let _ = writeln!(
        out,
        "ALTER TABLE {} DROP CONSTRAINT {};",
        quote(table),
        quote(&fk_name(table, fk))
    );
}

fn column_type(table: &str, column: &ColumnShape, types: &TypeNames) -> Result<String, Error> {
    types.sql(
        &column.ty,
        Dialect::Postgres,
        &format!("{table}.{}", column.name),
    )
}

fn create_table(out: &mut String, t: &TableShape, types: &TypeNames) -> Result<(), Error> {
    let _ = writeln!(out, "CREATE TABLE {} (", quote(&t.name));
    let mut lines = Vec::new();
    for c in &t.columns {
        let not_null = if c.nullable { "" } else { " NOT NULL" };
        lines.push(format!(
            "    {} {}{not_null}",
            quote(&c.name),
            column_type(&t.name, c, types)?
        ));
    }
    if !t.primary_key.is_empty() {
        lines.push(format!("    PRIMARY KEY ({})", quote_list(&t.primary_key)));
    }
    let _ = writeln!(out, "{}\n);", lines.join(",\n"));
    Ok(())
}

fn alter_table(out: &mut String, a: &Alter, types: &TypeNames) -> Result<(), Error> {
    let table = quote(&a.to.name);
    if a.primary_key_changed && !a.from.primary_key.is_empty() {
        let _ = writeln!(
            out,
            "ALTER TABLE {table} DROP CONSTRAINT {};",
            quote(&format!("{}_pkey", a.to.name))
        );
    }
    for c in &a.dropped {
        let _ = writeln!(out, "ALTER TABLE {table} DROP COLUMN {};", quote(&c.name));
    }
    for (before, after) in &a.changed {
        let column = quote(&after.name);
        if before.type_text() != after.type_text() {
            let ty = column_type(&a.to.name, after, types)?;
            let _ = writeln!(
                out,
                "ALTER TABLE {table} ALTER COLUMN {column} TYPE {ty} USING {column}::{ty};"
            );
        }
        match (before.nullable, after.nullable) {
            (true, false) => {
                let _ = writeln!(
                    out,
                    "-- quarry: fails while `{}.{}` holds NULLs; update them first.\n\
                     ALTER TABLE {table} ALTER COLUMN {column} SET NOT NULL;",
                    a.to.name, after.name
                );
            }
            (false, true) => {
                let _ = writeln!(
                    out,
                    "ALTER TABLE {table} ALTER COLUMN {column} DROP NOT NULL;"
                );
            }
            _ => {}
        }
    }
    for c in &a.added {
        let ty = column_type(&a.to.name, c, types)?;
        if c.nullable {
            let _ = writeln!(
                out,
                "ALTER TABLE {table} ADD COLUMN {} {ty};",
                quote(&c.name)
            );
        } else {
            let _ = writeln!(
                out,
                "-- quarry: a NOT NULL column needs a DEFAULT while `{}` has rows.\n\
                 ALTER TABLE {table} ADD COLUMN {} {ty} NOT NULL;",
                a.to.name,
                quote(&c.name)
            );
        }
    }
    if a.primary_key_changed && !a.to.primary_key.is_empty() {
        let _ = writeln!(
            out,
            "ALTER TABLE {table} ADD PRIMARY KEY ({});",
            quote_list(&a.to.primary_key)
        );
    }
    Ok(())
}
