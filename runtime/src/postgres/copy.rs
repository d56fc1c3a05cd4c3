//! Bulk load: `COPY ... FROM STDIN BINARY`.

use std::pin::pin;

use tokio_postgres::binary_copy::BinaryCopyInWriter;

use super::bind;
use super::connection::{Connection, Via, observed};
use crate::error::{Error, Result};
use crate::value::Value;

impl Connection {
    /// Loads `rows` into `table` with `COPY table (columns) FROM STDIN
    /// BINARY`, the fastest way into PostgreSQL: one statement, rows sent
    /// in PostgreSQL's binary format without placeholders or a bind limit.
    /// Returns the number of rows copied.
    ///
    /// `table` and `columns` are SQL text, quoted as needed (`"users"`,
    /// `"name", "email"`). The columns' types are asked of the server
    /// first (a `SELECT` of them, prepared, never run), so every value is
    /// sent as its column's exact type. `values` pushes one row's values,
    /// one per column in order. COPY is all or nothing: a row that breaks a
    /// constraint fails the whole statement with that constraint's error
    /// ([`Error::UniqueViolation`] and the like), and nothing is loaded.
    ///
    /// ```no_run
    /// # async fn demo(conn: &quarry_runtime::postgres::Connection) -> quarry_runtime::Result<()> {
    /// use quarry_runtime::Value;
    ///
    /// let names = ["ada", "grace"];
    /// let copied = conn
    ///     .copy_in(r#""users""#, r#""name""#, &names, |name, out| out.push(Value::Text(name)))
    ///     .await?;
    /// assert_eq!(copied, 2);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Bind`] when a row has another number of values than there
    /// are columns, or a value does not fit its column's type; the
    /// server's error, mapped, when the statement fails.
    pub async fn copy_in<'a, R, F>(
        &self,
        table: &str,
        columns: &str,
        rows: &'a [R],
        mut values: F,
    ) -> Result<u64>
    where
        R: Sync,
        F: FnMut(&'a R, &mut Vec<Value<'a>>) + Send,
    {
        let sql = format!("COPY {table} ({columns}) FROM STDIN BINARY");
        observed(
            self,
            &sql,
            Via::Text,
            || async {
                let probe = self
                    .client
                    .prepare(&format!("SELECT {columns} FROM {table}"))
                    .await
                    .map_err(|e| self.fail(e))?;
                let types: Vec<_> = probe.columns().iter().map(|c| c.type_().clone()).collect();
                let sink = self.client.copy_in(&sql).await.map_err(|e| self.fail(e))?;
                let mut writer = pin!(BinaryCopyInWriter::new(sink, &types));
                let mut row = Vec::with_capacity(types.len());
                for (i, r) in rows.iter().enumerate() {
                    row.clear();
                    values(r, &mut row);
                    if row.len() != types.len() {
                        return Err(Error::Bind {
                            index: i * types.len() + row.len().min(types.len()) + 1,
                            message: format!(
                                "row {i} of the COPY has {} value(s) for {} column(s)",
                                row.len(),
                                types.len()
                            ),
                        });
                    }
                    let params = bind::convert(&types, &row)?;
                    writer
                        .as_mut()
                        .write_raw(params.iter())
                        .await
                        .map_err(|e| self.fail(e))?;
                }
                writer.as_mut().finish().await.map_err(|e| self.fail(e))
            },
            |copied| *copied,
        )
        .await
    }
}
