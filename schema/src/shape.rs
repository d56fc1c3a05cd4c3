//! What the diff compares: a schema reduced to SQL names, column types,
//! nullability, primary keys and foreign keys. Both sides come from
//! `table!`'s syntax tree — `schema.rs` parsed by the grammar crate, the
//! live database converted by print-schema — so they compare alike.

use std::collections::BTreeMap;

use quarry_grammar::ast::{Schema, SqlType, Table};
use quarry_grammar::validate::{column_sql_name, table_sql_name};
use syn::ext::IdentExt;

/// Tables by SQL name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Shape {
    pub tables: BTreeMap<String, TableShape>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableShape {
    pub name: String,
    /// In declaration order.
    pub columns: Vec<ColumnShape>,
    pub primary_key: Vec<String>,
    /// Sorted, so two shapes compare without regard to order.
    pub foreign_keys: Vec<ForeignKeyShape>,
}

#[derive(Debug, Clone)]
pub struct ColumnShape {
    pub name: String,
    /// The type without `Nullable<>`.
    pub ty: SqlType,
    pub nullable: bool,
}

impl PartialEq for ColumnShape {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
            && self.nullable == other.nullable
            && self.type_text() == other.type_text()
    }
}

impl Eq for ColumnShape {}

impl ColumnShape {
    /// The type as `table!` writes it, without `Nullable<>`.
    pub fn type_text(&self) -> String {
        quarry_grammar::print::sql_type(&self.ty)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ForeignKeyShape {
    pub columns: Vec<String>,
    pub table: String,
    pub target_columns: Vec<String>,
}

impl TableShape {
    pub fn column(&self, name: &str) -> Option<&ColumnShape> {
        self.columns.iter().find(|c| c.name == name)
    }
}

impl Shape {
    /// `schema`'s tables, leaving out those named in `skip` (views).
    pub fn of(schema: &Schema, skip: &[String]) -> Shape {
        let tables = schema
            .tables
            .iter()
            .map(|table| table_shape(table, schema))
            .filter(|t| !skip.contains(&t.name))
            .map(|t| (t.name.clone(), t))
            .collect();
        Shape { tables }
    }
}

fn table_shape(table: &Table, schema: &Schema) -> TableShape {
    let local = |ident: &syn::Ident| sql_column(table, ident);
    let mut foreign_keys: Vec<ForeignKeyShape> = Vec::new();
    for column in &table.columns {
        if let Some(reference) = &column.references {
            let target = find_table(schema, &reference.table);
            foreign_keys.push(ForeignKeyShape {
                columns: vec![column_sql_name(column)],
                table: target.map_or_else(|| reference.table.unraw().to_string(), table_sql_name),
                target_columns: vec![match target {
                    Some(t) => sql_column(t, &reference.column),
                    None => reference.column.unraw().to_string(),
                }],
            });
        }
    }
    for fk in &table.foreign_keys {
        let target = find_table(schema, &fk.table);
        foreign_keys.push(ForeignKeyShape {
            columns: fk.columns.iter().map(local).collect(),
            table: target.map_or_else(|| fk.table.unraw().to_string(), table_sql_name),
            target_columns: fk
                .target_columns
                .iter()
                .map(|c| match target {
                    Some(t) => sql_column(t, c),
                    None => c.unraw().to_string(),
                })
                .collect(),
        });
    }
    foreign_keys.sort();
    foreign_keys.dedup();
    TableShape {
        name: table_sql_name(table),
        columns: table
            .columns
            .iter()
            .map(|c| {
                let (ty, nullable) = match &c.ty {
                    SqlType::Nullable { inner, .. } => ((**inner).clone(), true),
                    ty => (ty.clone(), false),
                };
                ColumnShape {
                    name: column_sql_name(c),
                    ty,
                    nullable,
                }
            })
            .collect(),
        primary_key: table.primary_key.iter().map(local).collect(),
        foreign_keys,
    }
}

fn find_table<'a>(schema: &'a Schema, name: &syn::Ident) -> Option<&'a Table> {
    schema
        .tables
        .iter()
        .find(|t| t.name.unraw() == name.unraw())
}

fn sql_column(table: &Table, ident: &syn::Ident) -> String {
    table
        .columns
        .iter()
        .find(|c| c.name.unraw() == ident.unraw())
        .map_or_else(|| ident.unraw().to_string(), column_sql_name)
}
