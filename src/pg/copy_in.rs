//! Bulk load on PostgreSQL: a batch INSERT's rows sent with `COPY ... FROM
//! STDIN BINARY`.

use super::run::Executor;
use crate::backend::{Dialect, Pg};
use crate::query::{Batch, InsertRow, InsertStatement, NoConflict, NoReturning};
use crate::query_fragment::Binds;
use crate::query_source::Table;
use crate::sql_text::{Part, append_at_run_time};
use quarry_runtime::Error;

/// The table and columns a batch INSERT writes, which `COPY` loads into.
///
/// Only a plain batch (`insert_into(t).values(&rows)`, no `ON CONFLICT`,
/// no `RETURNING`) has one: COPY can neither resolve conflicts nor return
/// rows, so `copy_in_async` on an upsert does not compile.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be loaded with COPY",
    note = "COPY takes a plain `insert_into(table).values(&rows)`, without `on_conflict` or `returning`"
)]
pub trait CopyTarget {
    /// The table's name, quoted.
    const TABLE: Part;
    /// The columns, quoted and separated by commas.
    const COLUMNS: Part;
}

impl<T: Table, V: InsertRow<Pg>> CopyTarget
    for InsertStatement<T, Batch<V>, NoConflict, NoReturning>
{
    const TABLE: Part = Part::Ident(T::NAME);
    const COLUMNS: Part = V::COLUMNS;
}

/// `part` rendered as PostgreSQL text at run time.
fn render(part: &Part) -> Result<String, Error> {
    let mut out = String::new();
    if append_at_run_time(part, Dialect::Postgres, 0, &mut out) {
        Ok(out)
    } else {
        Err(Error::Config(
            "the COPY target's text is longer than 64 KiB".into(),
        ))
    }
}

impl<T, V> InsertStatement<T, Batch<V>, NoConflict, NoReturning> {
    /// Loads every row with `COPY table (columns) FROM STDIN BINARY`, the
    /// fastest way into PostgreSQL, and returns how many rows were loaded.
    /// One statement whatever the number of rows: no bind limit, no
    /// placeholders, each value sent in binary as its column's exact type
    /// (asked of the server first).
    ///
    /// COPY is all or nothing: a row that breaks a constraint fails the
    /// whole load with that constraint's error
    /// ([`Error::UniqueViolation`] and the like) and no row is kept. Each
    /// row must give a value for every column it names: a row with a
    /// `DEFAULT` or an SQL expression in place of a value is an
    /// [`Error::Bind`]. On a [`Pool`](super::Pool) the load has a
    /// connection of its own.
    ///
    /// SQLite has no COPY: its fastest bulk load is
    /// [`execute`](crate::sqlite::RunQueryDsl::execute) of the same batch
    /// inside one [`transaction`](crate::sqlite::Connection::transaction)
    /// (statements of up to 256 rows, each prepared once and cached).
    ///
    /// ```no_run
    /// # async fn demo(pool: &quarry::pg::Pool) -> Result<(), quarry::Error> {
    /// use quarry::prelude::*;
    /// # quarry::table! { users (id) { id -> Integer, name -> Text, } }
    ///
    /// #[derive(Insertable)]
    /// #[quarry(table = users)]
    /// struct NewUser { name: String }
    ///
    /// let rows: Vec<NewUser> = (0..100_000).map(|i| NewUser { name: format!("user {i}") }).collect();
    /// let loaded = quarry::insert_into(users::table).values(&rows).copy_in_async(pool).await?;
    /// assert_eq!(loaded, 100_000);
    /// # Ok(()) }
    /// ```
    pub async fn copy_in_async<C>(self, conn: &C) -> Result<u64, Error>
    where
        C: Executor + ?Sized,
        Self: CopyTarget,
        V: InsertRow<Pg> + Sync,
    {
        let table = render(&<Self as CopyTarget>::TABLE)?;
        let columns = render(&<Self as CopyTarget>::COLUMNS)?;
        let conn = conn.exclusive().await?;
        conn.copy_in(&table, &columns, self.body.rows(), |row, out| {
            let mut binds = Binds::new();
            row.collect_row_binds(&mut binds);
            out.extend(binds.into_values());
        })
        .await
    }
}
