//! A query's rows as an iterator of typed rows, read one at a time.

use std::marker::PhantomData;

use crate::backend::Sqlite;
use crate::deserialize::{FromRow, RowReader};
use quarry_runtime::Error;
use quarry_runtime::sqlite::RowIter;

/// The rows of a query as `U`, each read from SQLite when asked for:
/// memory does not grow with the result. Returned by
/// [`RunQueryDsl::load_iter`](super::RunQueryDsl::load_iter).
///
/// It borrows the connection mutably until dropped. Dropped before the
/// last row, the statement is reset and the rest is never computed. After
/// an error it yields nothing more.
pub struct LoadIter<'c, ST, U> {
    rows: RowIter<'c>,
    row: PhantomData<fn() -> (ST, U)>,
}

impl<'c, ST, U> LoadIter<'c, ST, U> {
    pub(crate) fn new(rows: RowIter<'c>) -> Self {
        LoadIter {
            rows,
            row: PhantomData,
        }
    }
}

impl<ST, U> std::fmt::Debug for LoadIter<'_, ST, U> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoadIter")
            .field("rows", &self.rows)
            .finish()
    }
}

impl<ST, U: FromRow<ST, Sqlite>> Iterator for LoadIter<'_, ST, U> {
    type Item = Result<U, Error>;

    fn next(&mut self) -> Option<Result<U, Error>> {
        self.rows
            .next_with(|row| U::from_row(&mut RowReader::new(row)))
    }
}
