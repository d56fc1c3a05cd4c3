//! PostgreSQL pieces the DSL needs before the async runtime is wired in:
//! how a raw column value is handed to `FromSql`.

/// One column of a PostgreSQL row: the row and the column's index.
#[derive(Clone, Copy)]
pub struct RawValue<'a> {
    /// The row.
    pub row: &'a quarry_runtime::postgres::tokio_postgres::Row,
    /// The column's index, from 0.
    pub index: usize,
}

impl RawValue<'_> {
    /// Whether the value is SQL `NULL`, whatever its type.
    pub fn is_null(&self) -> bool {
        matches!(
            self.row.try_get::<_, NullProbe>(self.index),
            Ok(NullProbe(true))
        )
    }
}

/// Reads any column only to learn whether it is `NULL`.
struct NullProbe(bool);

impl<'a> quarry_runtime::postgres::tokio_postgres::types::FromSql<'a> for NullProbe {
    fn from_sql(
        _ty: &quarry_runtime::postgres::tokio_postgres::types::Type,
        _raw: &'a [u8],
    ) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(NullProbe(false))
    }
    fn from_sql_null(
        _ty: &quarry_runtime::postgres::tokio_postgres::types::Type,
    ) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(NullProbe(true))
    }
    fn accepts(_ty: &quarry_runtime::postgres::tokio_postgres::types::Type) -> bool {
        true
    }
}
