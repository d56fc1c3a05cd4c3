//! MariaDB (and MySQL) DDL for a list of changes. Foreign keys get
//! PostgreSQL's naming, `<table>_<columns>_fkey`, so a generated migration
//! can drop what an earlier one created; one that plain DDL made without a
//! name (`posts_ibfk_1`) needs its `DROP FOREIGN KEY` edited.
//!
//! MariaDB cannot index a whole `TEXT` or `BLOB`, so a `Text` or `Binary`
//! column of a primary or foreign key is `VARCHAR(255)` / `VARBINARY(255)`;
//! print-schema reads both back as `Text` and `Binary`. Each DDL statement
//! commits at once: the migration runner says what that means when one
//! fails half way.

use std::fmt::Write;

use super::TypeNames;
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

/// An identifier: backquoted unless it is a plain lower-case name that is
/// no keyword.
fn quote(name: &str) -> String {
    if super::is_plain(name) {
        name.to_owned()
    } else {
        format!("`{}`", name.replace('`', "``"))
    }
}

fn quote_list(names: &[String]) -> String {
    names
        .iter()
        .map(|n| quote(n))
        .collect::<Vec<_>>()
        .join(", ")
}

fn fk_name(table: &str, fk: &ForeignKeyShape) -> String {
    format!("{table}_{}_fkey", fk.columns.join("_"))
}

fn drop_foreign_key(out: &mut String, table: &str, fk: &ForeignKeyShape) {
    let _ = writeln!(
        out,
        "ALTER TABLE {} DROP FOREIGN KEY {};",
        quote(table),
        quote(&fk_name(table, fk))
    );
}

/// The column's type; a key column of `Text` or `Binary` gets a length.
fn column_type(t: &TableShape, column: &ColumnShape, types: &TypeNames) -> Result<String, Error> {
    let ty = types.sql(
        &column.ty,
        Dialect::Mysql,
        &format!("{}.{}", t.name, column.name),
    )?;
    let keyed = t.primary_key.contains(&column.name)
        || t.foreign_keys
            .iter()
            .any(|fk| fk.columns.contains(&column.name));
    Ok(match ty.as_str() {
        "LONGTEXT" if keyed => "VARCHAR(255)".to_owned(),
        "LONGBLOB" if keyed => "VARBINARY(255)".to_owned(),
        _ => ty,
    })
}

fn definition(t: &TableShape, c: &ColumnShape, types: &TypeNames) -> Result<String, Error> {
    let not_null = if c.nullable { "" } else { " NOT NULL" };
    Ok(format!(
        "{} {}{not_null}",
        quote(&c.name),
        column_type(t, c, types)?
    ))
}

fn create_table(out: &mut String, t: &TableShape, types: &TypeNames) -> Result<(), Error> {
    let _ = writeln!(out, "CREATE TABLE {} (", quote(&t.name));
    let mut lines = Vec::new();
    for c in &t.columns {
        lines.push(format!("    {}", definition(t, c, types)?));
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
        let _ = writeln!(out, "ALTER TABLE {table} DROP PRIMARY KEY;");
    }
    for c in &a.dropped {
        let _ = writeln!(out, "ALTER TABLE {table} DROP COLUMN {};", quote(&c.name));
    }
    for (before, after) in &a.changed {
        let _ = writeln!(
            out,
            "-- quarry: MODIFY COLUMN restates the whole column: add back any DEFAULT, \
             AUTO_INCREMENT or COMMENT that `{}.{}` has.",
            a.to.name, after.name
        );
        if before.nullable && !after.nullable {
            let _ = writeln!(
                out,
                "-- quarry: fails while `{}.{}` holds NULLs; update them first.",
                a.to.name, after.name
            );
        }
        let _ = writeln!(
            out,
            "ALTER TABLE {table} MODIFY COLUMN {};",
            definition(&a.to, after, types)?
        );
    }
    for c in &a.added {
        if !c.nullable {
            let _ = writeln!(
                out,
                "-- quarry: existing rows of `{}` get the type's implicit default (0, '') or the \
                 statement fails; give the column a DEFAULT if that is wrong.",
                a.to.name
            );
        }
        let _ = writeln!(
            out,
            "ALTER TABLE {table} ADD COLUMN {};",
            definition(&a.to, c, types)?
        );
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

#[cfg(test)]
mod tests {
    use crate::migration_sql::{TypeNames, write};
    use crate::model::Dialect;
    use crate::shape::Shape;

    fn shape(source: &str) -> Shape {
        Shape::of(&quarry_grammar::parse_file(source).unwrap(), &[])
    }

    #[test]
    fn names_are_backquoted_and_key_text_has_a_length() {
        let wanted = shape(
            "quarry::table! {
                #[sql_name = \"Order\"]
                orders (code) {
                    code -> Text,
                    #[sql_name = \"Total`Sum\"]
                    total -> Numeric,
                    note -> Nullable<Text>,
                    at -> Timestamp,
                }
            }",
        );
        let sql = write(
            &Shape::default(),
            &wanted,
            Dialect::Mysql,
            &TypeNames::default(),
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            sql.up,
            "CREATE TABLE `Order` (\n    code VARCHAR(255) NOT NULL,\n    \
             `Total``Sum` DECIMAL(65,30) NOT NULL,\n    note LONGTEXT,\n    \
             at DATETIME(6) NOT NULL,\n    PRIMARY KEY (code)\n);\n"
        );
        assert_eq!(sql.down, "DROP TABLE `Order`;\n");
    }

    #[test]
    fn timestamptz_has_no_mariadb_type() {
        let wanted = shape("quarry::table! { events (id) { id -> Integer, at -> Timestamptz, } }");
        let error = write(
            &Shape::default(),
            &wanted,
            Dialect::Mysql,
            &TypeNames::default(),
        )
        .unwrap_err()
        .to_string();
        assert!(
            error.contains("`events.at`") && error.contains("in MariaDB DDL"),
            "{error}"
        );
    }
}
