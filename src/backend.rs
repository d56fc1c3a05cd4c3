//! Backends and their SQL dialects.

use quarry_runtime::ParamType;

/// The SQL dialects quarry renders. The order is the order of the parts of
/// [`Part::ByDialect`](crate::sql_text::Part::ByDialect).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// SQLite: `?` placeholders, `"identifiers"`.
    Sqlite = 0,
    /// PostgreSQL: `$1` placeholders, `"identifiers"`.
    Postgres = 1,
    /// MariaDB and MySQL: `?` placeholders, `` `identifiers` ``.
    Mysql = 2,
}

impl Dialect {
    /// How many dialects there are.
    pub const COUNT: usize = 3;

    /// The byte that quotes identifiers.
    pub const fn identifier_quote(self) -> u8 {
        match self {
            Dialect::Sqlite | Dialect::Postgres => b'"',
            Dialect::Mysql => b'`',
        }
    }

    /// The SQL type a `?` placeholder of type `ty` is cast to, where the
    /// dialect would otherwise take the value for text: MariaDB/MySQL
    /// receive a decimal as text, and text compared with a number (or
    /// mixed with one in a `CASE`) compares as text there, so a
    /// `Numeric` placeholder is written `CAST(? AS DECIMAL(65,30))`.
    pub const fn placeholder_cast(self, ty: ParamType) -> Option<&'static str> {
        match (self, ty) {
            (Dialect::Mysql, ParamType::Numeric) => Some("DECIMAL(65,30)"),
            _ => None,
        }
    }

    /// Whether placeholders are numbered (`$1`) rather than `?`.
    pub const fn numbered_placeholders(self) -> bool {
        match self {
            Dialect::Sqlite | Dialect::Mysql => false,
            Dialect::Postgres => true,
        }
    }
}

/// A database backend: a dialect plus how its rows are read.
#[diagnostic::on_unimplemented(message = "`{Self}` is not a quarry backend")]
pub trait Backend: Sized + 'static {
    /// The SQL dialect this backend speaks.
    const DIALECT: Dialect;
    /// The backend's name in messages.
    const NAME: &'static str;
    /// One raw column value of a result row, handed to [`FromSql`](crate::deserialize::FromSql).
    type RawValue<'a>;
    /// Whether a raw value is SQL `NULL`.
    fn is_null(raw: &Self::RawValue<'_>) -> bool;
    /// Whether an `ORDER BY` term is written twice, once to place its
    /// NULLs (`x IS NULL, x` where the dialect has no `NULLS LAST`), so
    /// that its bind values are collected twice.
    const ORDER_KEY_REPEATS_TERM: bool = false;
}

/// The SQLite backend (rusqlite, synchronous).
#[derive(Debug, Clone, Copy, Default)]
pub struct Sqlite;

/// The PostgreSQL backend (tokio-postgres, asynchronous).
#[derive(Debug, Clone, Copy, Default)]
pub struct Pg;

impl Backend for Sqlite {
    const DIALECT: Dialect = Dialect::Sqlite;
    const NAME: &'static str = "SQLite";
    type RawValue<'a> = quarry_runtime::sqlite::ValueRef<'a>;
    fn is_null(raw: &Self::RawValue<'_>) -> bool {
        matches!(raw, quarry_runtime::sqlite::ValueRef::Null)
    }
}

impl Backend for Pg {
    const DIALECT: Dialect = Dialect::Postgres;
    const NAME: &'static str = "PostgreSQL";
    type RawValue<'a> = crate::pg::RawValue<'a>;
    fn is_null(raw: &Self::RawValue<'_>) -> bool {
        raw.is_null()
    }
}

/// The MariaDB and MySQL backend (`mysql_async`, asynchronous; feature
/// `mysql`). Diesel's name for it.
#[cfg(feature = "mysql")]
#[derive(Debug, Clone, Copy, Default)]
pub struct Mysql;

#[cfg(feature = "mysql")]
impl Backend for Mysql {
    const DIALECT: Dialect = Dialect::Mysql;
    const NAME: &'static str = "MariaDB/MySQL";
    type RawValue<'a> = crate::mysql::RawValue<'a>;
    fn is_null(raw: &Self::RawValue<'_>) -> bool {
        raw.is_null()
    }
    const ORDER_KEY_REPEATS_TERM: bool = true;
}
