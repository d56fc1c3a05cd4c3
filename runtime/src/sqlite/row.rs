//! One row of a result set, as handed to a query's callback.

use rusqlite::types::ValueRef;

use crate::Result;

use super::error_map::map_error;

/// One row of a result set. It borrows the statement, so it lives only for
/// one call of the query's callback.
#[derive(Debug, Clone, Copy)]
pub struct Row<'r> {
    inner: &'r rusqlite::Row<'r>,
}

impl<'r> Row<'r> {
    pub(crate) fn new(inner: &'r rusqlite::Row<'r>) -> Self {
        Row { inner }
    }

    /// The value of column `idx` (from 0), borrowed from the row.
    ///
    /// # Errors
    ///
    /// [`Error::Sqlite`](crate::Error::Sqlite) when `idx` is not below
    /// [`len`](Self::len).
    #[inline]
    pub fn get_ref(&self, idx: usize) -> Result<ValueRef<'_>> {
        self.inner.get_ref(idx).map_err(map_error)
    }

    /// The name of column `idx` (from 0) in the result set, or `""` when `idx`
    /// is not below [`len`](Self::len).
    pub fn column_name(&self, idx: usize) -> &str {
        self.inner.as_ref().column_name(idx).unwrap_or_default()
    }

    /// The number of columns.
    pub fn len(&self) -> usize {
        self.inner.as_ref().column_count()
    }

    /// Whether the row has no columns.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The `rusqlite` row, for everything else.
    pub fn raw(&self) -> &'r rusqlite::Row<'r> {
        self.inner
    }
}
