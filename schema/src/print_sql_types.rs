//! The `sql_types` module printed before `table!`: one marker type per
//! PostgreSQL enum, as Diesel's print-schema writes them, and one per
//! other PostgreSQL type quarry does not know (`interval`, `inet`, a
//! range), so that such a column prints instead of stopping print-schema.
//! A marker's values are bound as text that the server converts
//! (`ParamType::Named`); a column of a non-enum one loads through
//! `.cast::<Text>()` or a `SqlValue` type of the application's.

use crate::model::{Database, DbType, Dialect, PgEnum};
use crate::types::{Mappings, builtin, native};

/// The PostgreSQL types the columns of `database` use that neither quarry
/// nor `--map-type` nor an enum covers, as enums without labels.
pub fn unknown_types(database: &Database, mappings: &Mappings) -> Vec<PgEnum> {
    let mut names: Vec<String> = database
        .tables
        .iter()
        .flat_map(|t| &t.columns)
        .filter_map(|c| match &c.ty {
            DbType::Named(name) | DbType::Array(name) => Some(name.clone()),
            DbType::Untyped => None,
        })
        .filter(|name| {
            builtin(Dialect::Postgres, name).is_none()
                && native(Dialect::Postgres, name).is_none()
                && !mappings.maps(name)
                && !database.enums.iter().any(|e| &e.name == name)
        })
        .collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .map(|name| PgEnum {
            name,
            labels: Vec::new(),
        })
        .collect()
}

/// The marker's name: `mood` is `Mood`, `order_status` is `OrderStatus`.
pub fn marker_name(type_name: &str) -> String {
    let mut out = String::new();
    let mut upper = true;
    for c in type_name.chars() {
        if c.is_ascii_alphanumeric() {
            if upper {
                out.extend(c.to_uppercase());
            } else {
                out.push(c);
            }
            upper = false;
        } else {
            upper = true;
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'T');
    }
    out
}

/// Maps each enum's type name (and arrays of it) to `sql_types::Marker`,
/// under any `--map-type` the user gave.
pub fn map_enums(enums: &[PgEnum], mappings: &mut Mappings) {
    for e in enums {
        mappings.add_default(&e.name, &format!("sql_types::{}", marker_name(&e.name)));
    }
}

/// The module's source, or nothing when there is no enum.
pub fn print(enums: &[PgEnum], dialect: Dialect) -> String {
    if enums.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "/// The database's own SQL types. Map a Rust enum to one with\n\
         /// `#[derive(quarry::SqlEnum)]` and `#[sql(sql_type = sql_types::Name)]`.\n\
         pub mod sql_types {\n",
    );
    for (i, e) in enums.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let labels = e
            .labels
            .iter()
            .map(|l| format!("`{l}`"))
            .collect::<Vec<_>>()
            .join(", ");
        // A bind is cast to the marker's type; `bit` alone is `bit(1)`,
        // which would cut a longer value, so `bit(n)` binds as `varbit`.
        let bind_type = if e.name == "bit" { "varbit" } else { &e.name };
        let doc = if dialect == Dialect::Mysql {
            format!(
                "    /// The MariaDB `ENUM` column `{}`: {labels}.\n    \
                 /// Its values are bound as text.\n",
                e.name
            )
        } else if e.labels.is_empty() {
            format!(
                "    /// The PostgreSQL type `{}`, which quarry does not map: bind a\n    \
                 /// `quarry::types::SqlValue` of its text form; load it with `.cast::<Text>()`.\n",
                e.name
            )
        } else {
            format!("    /// The PostgreSQL enum `{}`: {labels}.\n", e.name)
        };
        out.push_str(&format!(
            "{doc}    #[derive(quarry::SqlType)]\n    \
             #[sql(postgres_type = {:?})]\n    pub struct {};\n",
            bind_type,
            marker_name(&e.name)
        ));
    }
    out.push_str("}\n\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marker_names() {
        assert_eq!(marker_name("mood"), "Mood");
        assert_eq!(marker_name("order_status"), "OrderStatus");
        assert_eq!(marker_name("2fa"), "T2fa");
    }
}
