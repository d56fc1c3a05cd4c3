//! From quarry's SQL types back to a dialect's type names, for the DDL a
//! generated migration writes. `--map-type` entries (from `quarry.toml`)
//! name the database types of custom ones.

use quarry_grammar::ast::SqlType;
use quarry_grammar::print::sql_type;

use crate::error::Error;
use crate::model::Dialect;

/// `dbtype=Type` mappings read backwards: `crate::Citext` → `citext`.
#[derive(Debug, Default, Clone)]
pub struct TypeNames {
    custom: Vec<(String, String)>,
}

impl TypeNames {
    /// From `--map-type` arguments; `table.column=Type` entries name no
    /// database type and are skipped.
    pub fn new(map_types: &[String]) -> TypeNames {
        let custom = map_types
            .iter()
            .filter_map(|arg| {
                let (db, ty) = arg.split_once('=')?;
                (!db.contains('.')).then(|| (ty.trim().replace(' ', ""), db.trim().to_owned()))
            })
            .collect();
        TypeNames { custom }
    }

    /// The dialect's name for `ty` (without `Nullable`); `table.column`
    /// only for the error.
    pub fn sql(&self, ty: &SqlType, dialect: Dialect, at: &str) -> Result<String, Error> {
        let written = sql_type(ty).replace(' ', "");
        if let Some((_, db)) = self.custom.iter().find(|(t, _)| *t == written) {
            return Ok(db.clone());
        }
        let unknown = || Error::NoSqlType {
            column: at.to_owned(),
            ty: sql_type(ty),
            dialect: match dialect {
                Dialect::Postgres => "PostgreSQL",
                Dialect::Sqlite => "SQLite",
                Dialect::Mysql => "MariaDB",
            },
        };
        match ty {
            SqlType::Builtin(ident) => builtin(&ident.to_string(), dialect)
                .map(str::to_owned)
                .ok_or_else(unknown),
            SqlType::Array { inner, .. } if dialect == Dialect::Postgres => {
                Ok(format!("{}[]", self.sql(inner, dialect, at)?))
            }
            _ => Err(unknown()),
        }
    }
}

/// Names that print-schema reads back as the same quarry type.
fn builtin(name: &str, dialect: Dialect) -> Option<&'static str> {
    if dialect == Dialect::Mysql {
        return mysql_builtin(name);
    }
    Some(match (dialect, name) {
        (_, "SmallInt") => "SMALLINT",
        (_, "Integer") => "INTEGER",
        (_, "BigInt") => "BIGINT",
        (Dialect::Postgres, "Float") => "REAL",
        (Dialect::Sqlite, "Float") => "FLOAT4",
        (Dialect::Postgres, "Double") => "DOUBLE PRECISION",
        (Dialect::Sqlite, "Double") => "DOUBLE",
        (_, "Numeric") => "NUMERIC",
        (_, "Text") => "TEXT",
        (_, "Bool") => "BOOLEAN",
        (Dialect::Postgres, "Binary") => "BYTEA",
        (Dialect::Sqlite, "Binary") => "BLOB",
        (_, "Date") => "DATE",
        (_, "Time") => "TIME",
        (_, "Timestamp") => "TIMESTAMP",
        (_, "Timestamptz") => "TIMESTAMPTZ",
        (_, "Uuid") => "UUID",
        (Dialect::Postgres, "Json") => "JSONB",
        (Dialect::Sqlite, "Json") => "JSON",
        _ => return None,
    })
}

/// MariaDB's names. `TEXT` and `BLOB` hold 64 KiB, so `LONGTEXT` and
/// `LONGBLOB`; `NUMERIC` alone is `DECIMAL(10,0)`, which would round every
/// fraction away, so the widest `DECIMAL(65,30)`; `DATETIME(6)` and
/// `TIME(6)` keep microseconds. MariaDB has no time zone type:
/// `Timestamptz` has no name here.
fn mysql_builtin(name: &str) -> Option<&'static str> {
    Some(match name {
        "SmallInt" => "SMALLINT",
        "Integer" => "INT",
        "BigInt" => "BIGINT",
        "Float" => "FLOAT",
        "Double" => "DOUBLE",
        "Numeric" => "DECIMAL(65,30)",
        "Text" => "LONGTEXT",
        "Bool" => "BOOLEAN",
        "Binary" => "LONGBLOB",
        "Date" => "DATE",
        "Time" => "TIME(6)",
        "Timestamp" => "DATETIME(6)",
        "Uuid" => "UUID",
        "Json" => "JSON",
        _ => return None,
    })
}
