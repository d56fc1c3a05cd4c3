//! What `print-schema` learns about a database, from the database itself or
//! from DDL: the same model either way, so both print the same source.

/// The SQL dialect a schema comes from; it decides how type names map.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
    /// MariaDB and MySQL.
    Mysql,
}

/// Tables and views, in any order; the printer sorts them.
#[derive(Debug, Default)]
pub struct Database {
    pub tables: Vec<Table>,
    /// PostgreSQL enum types of the printed schema, by name.
    pub enums: Vec<PgEnum>,
}

/// A PostgreSQL enum type: its name and labels in their order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PgEnum {
    pub name: String,
    pub labels: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Table,
    View,
}

#[derive(Debug)]
pub struct Table {
    pub name: String,
    pub kind: Kind,
    /// In the database's order.
    pub columns: Vec<Column>,
    /// Primary key columns in key order; empty when there is none.
    pub primary_key: Vec<String>,
    pub foreign_keys: Vec<ForeignKey>,
}

#[derive(Debug)]
pub struct Column {
    pub name: String,
    pub ty: DbType,
    pub not_null: bool,
    pub default: Option<Default>,
}

/// A column's type as the database names it, normalized per dialect so
/// that the live database and DDL agree: PostgreSQL's internal names
/// (`int4`, `varchar`, `timestamptz`), SQLite's declared type in lower case
/// without size modifiers (`varchar`, `unsigned big int`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbType {
    Named(String),
    /// A PostgreSQL array of the named element type.
    Array(String),
    /// No declared type (SQLite allows it; a view's computed column).
    Untyped,
}

impl DbType {
    /// The name `--map-type` matches: `int4`, `_int4` for an array.
    pub fn map_key(&self) -> String {
        match self {
            DbType::Named(name) => name.clone(),
            DbType::Array(element) => format!("_{element}"),
            DbType::Untyped => String::new(),
        }
    }
}

/// How a column gets a value when an insert leaves it out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Default {
    /// `DEFAULT expr`, normalized (see [`crate::defaults`]).
    Expr(String),
    /// The next value of a sequence: PostgreSQL's `serial`.
    Sequence,
    /// `GENERATED { ALWAYS | BY DEFAULT } AS IDENTITY`.
    Identity { always: bool },
    /// `GENERATED ALWAYS AS (expr)`: computed, never written.
    Generated,
    /// SQLite's `INTEGER PRIMARY KEY`: an alias of the rowid.
    Rowid,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ForeignKey {
    pub columns: Vec<String>,
    /// The referenced table; schema-qualified when it is in another
    /// PostgreSQL schema than the one printed.
    pub target_table: String,
    /// Empty when the DDL left them out: the target's primary key.
    pub target_columns: Vec<String>,
}
