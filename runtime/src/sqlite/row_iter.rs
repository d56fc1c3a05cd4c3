//! Rows of a query read one at a time, at the caller's pace.

use crate::instrument;
use crate::{Result, Value};

use super::bind::bind_all;
use super::connection::{Connection, SYSTEM};
use super::error_map::map_error;
use super::row::Row;

/// The rows of one query, stepped one at a time: SQLite computes each row
/// when it is asked for, so memory does not grow with the result.
///
/// It borrows the connection mutably for as long as it lives. Dropped
/// before the last row, the statement is reset and the rest is never
/// computed. quarry's typed `load_iter` is built on it.
///
/// ```
/// use quarry_runtime::Value;
/// use quarry_runtime::sqlite::Connection;
///
/// let mut conn = Connection::open_in_memory()?;
/// let mut rows = conn.query_iter(
///     "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1) SELECT i FROM n",
///     &[Value::Int(1000)],
/// )?;
/// let mut sum = 0;
/// while let Some(i) = rows.next_with(|row| Ok(row.get_ref(0)?.as_i64().unwrap_or_default())) {
///     sum += i?;
/// }
/// assert_eq!(sum, 500_500);
/// # Ok::<(), quarry_runtime::Error>(())
/// ```
pub struct RowIter<'c> {
    stmt: rusqlite::Statement<'c>,
    statement: Option<instrument::Statement<'c>>,
    rows: u64,
    done: bool,
}

impl std::fmt::Debug for RowIter<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RowIter")
            .field("rows", &self.rows)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl Connection {
    /// Runs a query with `params` bound and returns its rows to be read one
    /// at a time ([`RowIter::next_with`]).
    ///
    /// The statement is prepared for this run, not taken from the cache:
    /// a cached statement is shared with every other run of the same text,
    /// and this one stays open between rows. Preparing costs microseconds,
    /// which a result worth streaming does not notice.
    ///
    /// # Errors
    ///
    /// As [`query_raw`](Self::query_raw), for preparing and binding.
    pub fn query_iter<'c>(&'c mut self, sql: &'c str, params: &[Value<'_>]) -> Result<RowIter<'c>> {
        let statement = instrument::Statement::start(SYSTEM, sql);
        let prepared = {
            let _entered = statement.span().enter();
            self.inner
                .conn()
                .prepare(sql)
                .map_err(map_error)
                .and_then(|mut stmt| {
                    // The statement is this run's own: large values go
                    // when it is finalized, so nothing to release early.
                    let _ = bind_all(&mut stmt, params)?;
                    Ok(stmt)
                })
        };
        match prepared {
            Ok(stmt) => Ok(RowIter {
                stmt,
                statement: Some(statement),
                rows: 0,
                done: false,
            }),
            Err(e) => {
                tracing::debug!(parent: statement.span(), error = %e, "statement failed");
                statement.finish(0);
                Err(e)
            }
        }
    }
}

impl RowIter<'_> {
    /// Steps to the next row and hands it to `f`; `None` after the last
    /// row, and after an error.
    pub fn next_with<T>(&mut self, f: impl FnOnce(&Row<'_>) -> Result<T>) -> Option<Result<T>> {
        if self.done {
            return None;
        }
        let stepped = {
            let _entered = self.statement.as_ref().map(|s| s.span().enter());
            // A `Rows` resets its statement when dropped: one is made for
            // each step and forgotten, so that the statement stays where it
            // is. `Rows` owns nothing (two references), so forgetting it
            // leaks nothing; the reset is done by `finish` instead.
            let mut cursor = self.stmt.raw_query();
            let stepped = match cursor.next() {
                Ok(Some(row)) => Some(f(&Row::new(row))),
                Ok(None) => None,
                Err(e) => Some(Err(map_error(e))),
            };
            std::mem::forget(cursor);
            stepped
        };
        match &stepped {
            Some(Ok(_)) => self.rows += 1,
            Some(Err(e)) => {
                tracing::debug!(error = %e, "statement failed");
                self.finish();
            }
            None => self.finish(),
        }
        stepped
    }

    /// How many rows were read so far.
    pub fn rows_read(&self) -> u64 {
        self.rows
    }

    /// Resets the statement (a `Rows` dropped resets it) and closes the
    /// span.
    fn finish(&mut self) {
        if !self.done {
            self.done = true;
            drop(self.stmt.raw_query());
            if let Some(statement) = self.statement.take() {
                statement.finish(self.rows);
            }
        }
    }
}

impl Drop for RowIter<'_> {
    fn drop(&mut self) {
        self.finish();
    }
}
