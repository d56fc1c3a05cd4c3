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
    /// A result row as the backend's driver hands it over, which
    /// [`RowReader`](crate::deserialize::RowReader) reads column by column.
    /// A concrete type rather than `dyn RawRow`, so that every column read
    /// is a direct call the compiler can inline into the row type's
    /// [`FromRow`](crate::deserialize::FromRow) impl.
    type Row<'a>: crate::deserialize::RawRow<Self>;
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

// A backend's marker type, dialect and SQL rendering are always compiled
// (they need no driver), so queries, `debug_query` and the code `table!`
// and the derives generate in the user's crate need no `#[cfg]`. Only what
// touches the driver, here its raw value, follows the backend's feature.

impl Backend for Sqlite {
    const DIALECT: Dialect = Dialect::Sqlite;
    const NAME: &'static str = "SQLite";
    #[cfg(feature = "sqlite")]
    type RawValue<'a> = quarry_runtime::sqlite::ValueRef<'a>;
    #[cfg(not(feature = "sqlite"))]
    type RawValue<'a> = NotCompiled<'a>;
    #[cfg(feature = "sqlite")]
    type Row<'a> = quarry_runtime::sqlite::Row<'a>;
    #[cfg(not(feature = "sqlite"))]
    type Row<'a> = NotCompiled<'a>;
    fn is_null(raw: &Self::RawValue<'_>) -> bool {
        #[cfg(feature = "sqlite")]
        return matches!(raw, quarry_runtime::sqlite::ValueRef::Null);
        #[cfg(not(feature = "sqlite"))]
        match raw.never {}
    }
}

impl Backend for Pg {
    const DIALECT: Dialect = Dialect::Postgres;
    const NAME: &'static str = "PostgreSQL";
    #[cfg(feature = "postgres")]
    type RawValue<'a> = crate::pg::RawValue<'a>;
    #[cfg(not(feature = "postgres"))]
    type RawValue<'a> = NotCompiled<'a>;
    #[cfg(feature = "postgres")]
    type Row<'a> = quarry_runtime::postgres::Row;
    #[cfg(not(feature = "postgres"))]
    type Row<'a> = NotCompiled<'a>;
    fn is_null(raw: &Self::RawValue<'_>) -> bool {
        #[cfg(feature = "postgres")]
        return raw.is_null();
        #[cfg(not(feature = "postgres"))]
        match raw.never {}
    }
}

/// The raw value and row of a backend whose Cargo feature is off: no value
/// of this type exists, since no row of that backend can be read.
#[derive(Debug, Clone, Copy)]
pub struct NotCompiled<'a> {
    // Read only by the `match` of a backend whose feature is off.
    #[allow(dead_code)]
    never: core::convert::Infallible,
    _row: core::marker::PhantomData<&'a ()>,
}

impl<DB: Backend> crate::deserialize::RawRow<DB> for NotCompiled<'_> {
    fn value(&self, _: usize) -> Result<DB::RawValue<'_>, quarry_runtime::Error> {
        match self.never {}
    }
    fn column_name(&self, _: usize) -> String {
        match self.never {}
    }
}

/// The backend whose loading rules `#[derive(Selectable)]` checks a field
/// against: PostgreSQL's cover every type the others load, plus arrays.
#[cfg(feature = "postgres")]
type CheckedBy = Pg;
#[cfg(all(not(feature = "postgres"), feature = "sqlite"))]
type CheckedBy = Sqlite;

/// Checks at the field that `T` can hold SQL type `ST`, for
/// `#[derive(Selectable)]`: the error then points at the field's type. A
/// field is accepted if the widest backend compiled in can load it.
#[doc(hidden)]
#[cfg(any(feature = "postgres", feature = "sqlite"))]
pub fn check_field<ST: crate::sql_types::SqlType, T: crate::types::FromSql<ST, CheckedBy>>() {}

/// Without a backend no row is ever loaded, so there is nothing to check.
#[doc(hidden)]
#[cfg(not(any(feature = "postgres", feature = "sqlite")))]
pub fn check_field<ST: crate::sql_types::SqlType, T>() {}

// What the macros quarry exports expand to in the user's crate cannot test
// quarry's features with `#[cfg]`: the user's crate evaluates it, against
// its own features. These macros are compiled in or out with quarry's
// features and pass their input through, or drop it.

/// Expands to its input when quarry's `sqlite` feature is on, else to
/// nothing. Not part of the public API.
#[cfg(feature = "sqlite")]
#[doc(hidden)]
#[macro_export]
macro_rules! __if_sqlite {
    ($($item:tt)*) => { $($item)* };
}

/// Expands to its input when quarry's `sqlite` feature is on, else to
/// nothing. Not part of the public API.
#[cfg(not(feature = "sqlite"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __if_sqlite {
    ($($item:tt)*) => {};
}

/// Expands to its input when quarry's `postgres` feature is on, else to
/// nothing. Not part of the public API.
#[cfg(feature = "postgres")]
#[doc(hidden)]
#[macro_export]
macro_rules! __if_postgres {
    ($($item:tt)*) => { $($item)* };
}

/// Expands to its input when quarry's `postgres` feature is on, else to
/// nothing. Not part of the public API.
#[cfg(not(feature = "postgres"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __if_postgres {
    ($($item:tt)*) => {};
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
    type Row<'a> = quarry_runtime::mysql::Row;
    fn is_null(raw: &Self::RawValue<'_>) -> bool {
        raw.is_null()
    }
    const ORDER_KEY_REPEATS_TERM: bool = true;
}
