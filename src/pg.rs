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
