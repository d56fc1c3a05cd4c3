//! From a database's type names to quarry's SQL types, and `--map-type`.

use quarry_grammar::ast::SqlType;
use quarry_grammar::print::sql_type;
use syn::Ident;

use crate::error::{Error, UnknownType};
use crate::model::{Column, DbType, Dialect};

/// The quarry type of a normalized type name, when quarry has one.
pub fn builtin(dialect: Dialect, name: &str) -> Option<&'static str> {
    Some(match dialect {
        Dialect::Postgres => match name {
            "int2" => "SmallInt",
            "int4" => "Integer",
            "int8" => "BigInt",
            "float4" => "Float",
            "float8" => "Double",
            "numeric" => "Numeric",
            "text" | "varchar" | "bpchar" => "Text",
            "bool" => "Bool",
            "bytea" => "Binary",
            "date" => "Date",
            "time" => "Time",
            "timestamp" => "Timestamp",
            "timestamptz" => "Timestamptz",
            "uuid" => "Uuid",
            "json" | "jsonb" => "Json",
            _ => return None,
        },
        // SQLite takes any declared type; these are the usual spellings.
        Dialect::Sqlite => match name {
            "smallint" | "int2" | "tinyint" => "SmallInt",
            "integer" | "int" | "int4" | "mediumint" => "Integer",
            "bigint" | "int8" | "unsigned big int" => "BigInt",
            "float4" => "Float",
            // SQLite's REAL is eight bytes.
            "real" | "double" | "double precision" | "float" | "float8" => "Double",
            "numeric" | "decimal" => "Numeric",
            "text" | "varchar" | "character varying" | "char" | "character" | "nchar"
            | "nvarchar" | "native character" | "varying character" | "clob" => "Text",
            "boolean" | "bool" => "Bool",
            "blob" | "binary" | "varbinary" | "bytea" => "Binary",
            "date" => "Date",
            "time" => "Time",
            "timestamp" | "datetime" => "Timestamp",
            "timestamptz" | "timestamp with time zone" => "Timestamptz",
            "uuid" => "Uuid",
            "json" | "jsonb" => "Json",
            _ => return None,
        },
        // Names as `mysql_name` writes them.
        Dialect::Mysql => match name {
            "tinyint(1)" | "bool" | "boolean" => "Bool",
            "tinyint" | "tinyint unsigned" | "smallint" => "SmallInt",
            "smallint unsigned" | "mediumint" | "mediumint unsigned" | "int" | "integer" => {
                "Integer"
            }
            "int unsigned" | "integer unsigned" | "bigint" => "BigInt",
            // Up to 2^64 - 1: beyond BigInt (see `note`).
            "bigint unsigned" => "Numeric",
            "float" | "float unsigned" => "Float",
            "double" | "double unsigned" | "real" | "double precision" => "Double",
            "decimal" | "decimal unsigned" | "numeric" | "dec" | "fixed" => "Numeric",
            "char" | "varchar" | "tinytext" | "text" | "mediumtext" | "longtext" => "Text",
            "binary" | "varbinary" | "tinyblob" | "blob" | "mediumblob" | "longblob" => "Binary",
            "date" => "Date",
            "datetime" | "timestamp" => "Timestamp",
            "time" => "Time",
            "json" => "Json",
            "uuid" => "Uuid",
            _ => return None,
        },
    })
}

/// A note on a column whose type maps with a caveat.
pub fn note(dialect: Dialect, ty: &DbType) -> Option<&'static str> {
    match (dialect, ty) {
        (Dialect::Mysql, DbType::Named(name)) if name == "bigint unsigned" => Some(
            " `BIGINT UNSIGNED`: `Numeric`, since values above 9223372036854775807 do not fit \
             `BigInt`.",
        ),
        _ => None,
    }
}

/// The quarry type, by path, of a PostgreSQL type that quarry maps to a
/// Rust type of its own rather than to a `table!` built-in name.
pub fn native(dialect: Dialect, name: &str) -> Option<&'static str> {
    match (dialect, name) {
        (Dialect::Postgres, "interval") => Some("quarry::sql_types::Interval"),
        (Dialect::Postgres, "inet") => Some("quarry::sql_types::Inet"),
        (Dialect::Postgres, "cidr") => Some("quarry::sql_types::Cidr"),
        _ => None,
    }
}

/// A MariaDB / MySQL column type as the model keeps it: lower case,
/// display widths and lengths dropped (`int(11)` → `int`, `varchar(20)` →
/// `varchar`), `unsigned` kept, `zerofill` dropped. `tinyint(1)` keeps its
/// width: it is how MariaDB spells `BOOLEAN`.
pub fn mysql_name(column_type: &str) -> String {
    let lower = column_type.trim().to_ascii_lowercase();
    let bool_like = lower.starts_with("tinyint(1)") && !lower.contains("unsigned");
    let words: Vec<String> = normalize_name(&lower)
        .split_whitespace()
        .filter(|w| *w != "zerofill")
        .map(str::to_owned)
        .collect();
    if bool_like && words.len() == 1 {
        return "tinyint(1)".to_owned();
    }
    words.join(" ")
}

/// `builtin`, then `native`, as a `table!` type.
fn known(dialect: Dialect, name: &str) -> Option<SqlType> {
    builtin(dialect, name).map(named).or_else(|| {
        native(dialect, name).and_then(|path| quarry_grammar::parse_sql_type(path).ok())
    })
}

/// Whether `+ - * /` apply: what the printer needs to know to print a
/// numeric default as a number.
pub fn is_numeric(name: &str) -> bool {
    matches!(
        name,
        "SmallInt" | "Integer" | "BigInt" | "Float" | "Double" | "Numeric"
    )
}

/// A declared type as the model keeps it: lower case, size modifiers
/// dropped (`VARCHAR(255)` → `varchar`), spaces collapsed.
pub fn normalize_name(declared: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in declared.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            c => out.extend(c.to_lowercase()),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// PostgreSQL's internal name for a type as DDL may spell it (`integer`,
/// `character varying`, `serial`), and whether it was a `serial` type.
pub fn postgres_name(spelled: &str) -> (String, bool) {
    let name = normalize_name(spelled);
    let (canonical, serial) = match name.as_str() {
        "smallint" | "int2" => ("int2", false),
        "smallserial" | "serial2" => ("int2", true),
        "integer" | "int" | "int4" => ("int4", false),
        "serial" | "serial4" => ("int4", true),
        "bigint" | "int8" => ("int8", false),
        "bigserial" | "serial8" => ("int8", true),
        "real" | "float4" => ("float4", false),
        "double precision" | "float8" | "double" => ("float8", false),
        "float" => {
            // `float(p)`: single precision up to 24 bits of mantissa.
            let bits: Option<u32> = spelled
                .split_once('(')
                .and_then(|(_, rest)| rest.split_once(')'))
                .and_then(|(bits, _)| bits.trim().parse().ok());
            match bits {
                Some(bits) if bits <= 24 => ("float4", false),
                _ => ("float8", false),
            }
        }
        "numeric" | "decimal" | "dec" => ("numeric", false),
        "character varying" | "varchar" => ("varchar", false),
        "character" | "char" | "bpchar" => ("bpchar", false),
        "boolean" | "bool" => ("bool", false),
        "time" | "time without time zone" => ("time", false),
        "time with time zone" | "timetz" => ("timetz", false),
        "timestamp" | "timestamp without time zone" => ("timestamp", false),
        "timestamp with time zone" | "timestamptz" => ("timestamptz", false),
        _ => return (name, false),
    };
    (canonical.to_owned(), serial)
}

/// `--map-type` entries: by type name, or by `table.column` for one column.
#[derive(Debug, Default)]
pub struct Mappings {
    by_type: Vec<(String, SqlType)>,
    by_column: Vec<((String, String), SqlType)>,
}

impl Mappings {
    /// Parses `dbtype=QuarryType` or `table.column=QuarryType` arguments.
    pub fn parse(args: &[String], dialect: Dialect) -> Result<Mappings, Error> {
        let mut mappings = Mappings::default();
        for arg in args {
            let bad = |reason: String| Error::BadMapType {
                arg: arg.clone(),
                reason,
            };
            let Some((key, ty)) = arg.split_once('=') else {
                return Err(bad(
                    "expected `dbtype=QuarryType`, like `citext=Text`".to_owned()
                ));
            };
            let key = key.trim();
            if key.is_empty() {
                return Err(bad("the database type before `=` is empty".to_owned()));
            }
            let ty = quarry_grammar::parse_sql_type(ty.trim()).map_err(|e| {
                bad(e
                    .into_iter()
                    .map(|e| e.to_string())
                    .collect::<Vec<_>>()
                    .join("; "))
            })?;
            if let SqlType::Nullable { .. } = ty {
                return Err(bad(
                    "nullability comes from the database: map to the type without `Nullable`"
                        .to_owned(),
                ));
            }
            match key.split_once('.') {
                Some((table, column)) if !table.is_empty() && !column.is_empty() => mappings
                    .by_column
                    .push(((table.to_owned(), column.to_owned()), ty)),
                _ => {
                    let name = match dialect {
                        Dialect::Postgres => match key.strip_prefix('_') {
                            Some(element) => format!("_{}", postgres_name(element).0),
                            None => postgres_name(key).0,
                        },
                        Dialect::Sqlite => normalize_name(key),
                        Dialect::Mysql => mysql_name(key),
                    };
                    mappings.by_type.push((name, ty));
                }
            }
        }
        Ok(mappings)
    }

    /// Maps type `name` to the SQL type at `path` unless a `--map-type`
    /// already does: for the markers print-schema declares itself.
    pub fn add_default(&mut self, name: &str, path: &str) {
        if self.by_type(name).is_some() {
            return;
        }
        if let Ok(ty) = quarry_grammar::parse_sql_type(path) {
            self.by_type.insert(0, (name.to_owned(), ty));
        }
    }

    /// Whether a `--map-type` (or a default added) maps type `name`.
    pub fn maps(&self, name: &str) -> bool {
        self.by_type(name).is_some()
    }

    fn by_type(&self, name: &str) -> Option<&SqlType> {
        self.by_type
            .iter()
            .rev()
            .find(|(key, _)| key == name)
            .map(|(_, ty)| ty)
    }

    fn by_column(&self, table: &str, column: &str) -> Option<&SqlType> {
        self.by_column
            .iter()
            .rev()
            .find(|((t, c), _)| t == table && c == column)
            .map(|(_, ty)| ty)
    }
}

/// The column's quarry type, without nullability, or what is unknown about
/// it.
pub fn resolve(
    dialect: Dialect,
    mappings: &Mappings,
    table: &str,
    column: &Column,
) -> Result<SqlType, UnknownType> {
    if let Some(ty) = mappings.by_column(table, &column.name) {
        return Ok(ty.clone());
    }
    let unknown = || UnknownType {
        table: table.to_owned(),
        column: column.name.clone(),
        ty: column.ty.clone(),
    };
    match &column.ty {
        DbType::Named(name) => mappings
            .by_type(name)
            .cloned()
            .or_else(|| known(dialect, name))
            .ok_or_else(unknown),
        DbType::Array(element) => {
            if let Some(ty) = mappings.by_type(&column.ty.map_key()) {
                return Ok(ty.clone());
            }
            let element = mappings
                .by_type(element)
                .cloned()
                .or_else(|| known(dialect, element))
                .ok_or_else(unknown)?;
            // PostgreSQL does not promise that elements are not NULL.
            Ok(array(nullable(element)))
        }
        DbType::Untyped => Err(unknown()),
    }
}

fn named(name: &str) -> SqlType {
    SqlType::Builtin(Ident::new(name, proc_macro2::Span::call_site()))
}

pub fn nullable(ty: SqlType) -> SqlType {
    match ty {
        ty @ SqlType::Nullable { .. } => ty,
        ty => SqlType::Nullable {
            span: proc_macro2::Span::call_site(),
            inner: Box::new(ty),
        },
    }
}

fn array(ty: SqlType) -> SqlType {
    SqlType::Array {
        span: proc_macro2::Span::call_site(),
        inner: Box::new(ty),
    }
}

/// A guess for the `--map-type` hint: a text type for names that say so.
pub fn hint_for(ty: &DbType) -> String {
    let name = match ty {
        DbType::Named(name) | DbType::Array(name) => name.as_str(),
        DbType::Untyped => "",
    };
    let guess = if name == "year" {
        "SmallInt"
    } else if ["point", "geometry", "linestring", "polygon", "bit"]
        .iter()
        .any(|word| name.contains(word))
    {
        "Binary"
    } else if ["char", "text", "citext", "name"]
        .iter()
        .any(|word| name.contains(word))
    {
        "Text"
    } else if name.contains("int") {
        "BigInt"
    } else if name.contains("time") {
        "Timestamp"
    } else {
        "Text"
    };
    sql_type(&named(guess))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_spellings() {
        assert_eq!(postgres_name("INTEGER"), ("int4".to_owned(), false));
        assert_eq!(postgres_name("SERIAL"), ("int4".to_owned(), true));
        assert_eq!(postgres_name("BIGSERIAL"), ("int8".to_owned(), true));
        assert_eq!(postgres_name("VARCHAR(20)"), ("varchar".to_owned(), false));
        assert_eq!(
            postgres_name("CHARACTER VARYING(20)"),
            ("varchar".to_owned(), false)
        );
        assert_eq!(
            postgres_name("TIMESTAMP(3) WITH TIME ZONE"),
            ("timestamptz".to_owned(), false)
        );
        assert_eq!(postgres_name("FLOAT(10)"), ("float4".to_owned(), false));
        assert_eq!(postgres_name("FLOAT(53)"), ("float8".to_owned(), false));
        assert_eq!(postgres_name("FLOAT"), ("float8".to_owned(), false));
        assert_eq!(
            postgres_name("NUMERIC(10,2)"),
            ("numeric".to_owned(), false)
        );
        assert_eq!(postgres_name("mood"), ("mood".to_owned(), false));
    }

    #[test]
    fn mysql_spellings() {
        assert_eq!(mysql_name("int(10) unsigned"), "int unsigned");
        assert_eq!(
            mysql_name("BIGINT(20) UNSIGNED ZEROFILL"),
            "bigint unsigned"
        );
        assert_eq!(mysql_name("tinyint(1)"), "tinyint(1)");
        assert_eq!(mysql_name("tinyint(1) unsigned"), "tinyint unsigned");
        assert_eq!(mysql_name("tinyint(4)"), "tinyint");
        assert_eq!(mysql_name("decimal(10,2)"), "decimal");
        assert_eq!(builtin(Dialect::Mysql, "tinyint(1)"), Some("Bool"));
        assert_eq!(builtin(Dialect::Mysql, "int unsigned"), Some("BigInt"));
        assert_eq!(builtin(Dialect::Mysql, "year"), None);
    }

    #[test]
    fn sqlite_spellings() {
        assert_eq!(normalize_name("VARCHAR(255)"), "varchar");
        assert_eq!(normalize_name("  Unsigned   Big INT "), "unsigned big int");
        assert_eq!(normalize_name("DECIMAL(10, 5)"), "decimal");
        assert_eq!(builtin(Dialect::Sqlite, "datetime"), Some("Timestamp"));
        assert_eq!(builtin(Dialect::Sqlite, "mood"), None);
    }

    #[test]
    fn map_type_arguments() {
        let args = |args: &[&str]| {
            Mappings::parse(
                &args.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
                Dialect::Postgres,
            )
        };
        let mappings = args(&[
            "citext=Text",
            "character varying=my::Varchar",
            "_int4=Array<Integer>",
            "events.payload=Json",
        ])
        .unwrap();
        assert_eq!(sql_type(mappings.by_type("citext").unwrap()), "Text");
        assert_eq!(
            sql_type(mappings.by_type("varchar").unwrap()),
            "my::Varchar"
        );
        assert_eq!(
            sql_type(mappings.by_type("_int4").unwrap()),
            "Array<Integer>"
        );
        assert_eq!(
            sql_type(mappings.by_column("events", "payload").unwrap()),
            "Json"
        );

        for (bad, reason) in [
            ("citext", "expected `dbtype=QuarryType`"),
            ("=Text", "is empty"),
            (
                "citext=String",
                "unknown SQL type `String`; did you mean `Text`?",
            ),
            (
                "citext=Nullable<Text>",
                "nullability comes from the database",
            ),
            ("citext=Text Text", "expected one SQL type"),
            ("citext=", "expected the SQL type"),
        ] {
            let error = args(&[bad]).unwrap_err().to_string();
            assert!(error.contains(reason), "{bad}: {error}");
        }
    }
}
