//! Running queries on a SQLite connection.

use crate::backend::Sqlite;
use crate::deserialize::{FromRow, RowReader};
use crate::query::query_dsl::Statement;
use crate::query::{Limit, Query, QueryDsl, SelectStatement};
use crate::query_fragment::{QueryFragment, StaticSql};
use quarry_runtime::sqlite::Connection;
use quarry_runtime::{Error, Value};

/// Collects a statement's binds into a vector sized at build time.
fn binds<Q: QueryFragment<Sqlite>>(query: &Q) -> Vec<Value<'_>> {
    let mut out = Vec::with_capacity(<Q as StaticSql<Sqlite>>::PARAMS);
    query.collect_binds(&mut out);
    out
}

/// Loading the rows of a query from SQLite.
///
/// The SQL text is a constant computed at build time and is the key of the
/// connection's prepared-statement cache: running a query again builds no
/// string.
pub trait RunQueryDsl: QueryDsl {
    /// Every row, as `U`.
    fn load<U>(self, conn: &mut Connection) -> Result<Vec<U>, Error>
    where
        Statement<Self>: QueryFragment<Sqlite> + Query,
        U: FromRow<<Statement<Self> as Query>::SqlType, Sqlite>,
    {
        let query = self.into_statement();
        let binds = binds(&query);
        let mut rows = Vec::new();
        conn.query_static(<Statement<Self> as StaticSql<Sqlite>>::SQL, &binds, |row| {
            rows.push(U::from_row(&mut RowReader::new(row))?);
            Ok(())
        })?;
        Ok(rows)
    }

    /// The first row, or [`Error::NotFound`]. Add
    /// [`.optional()`](crate::OptionalExtension::optional) to get `None`.
    fn get_result<U>(self, conn: &mut Connection) -> Result<U, Error>
    where
        Statement<Self>: QueryFragment<Sqlite> + Query,
        U: FromRow<<Statement<Self> as Query>::SqlType, Sqlite>,
    {
        let query = self.into_statement();
        let binds = binds(&query);
        let mut first = None;
        conn.query_static(<Statement<Self> as StaticSql<Sqlite>>::SQL, &binds, |row| {
            if first.is_none() {
                first = Some(U::from_row(&mut RowReader::new(row))?);
            }
            Ok(())
        })?;
        first.ok_or(Error::NotFound)
    }

    /// `LIMIT 1`, then the row, or [`Error::NotFound`].
    fn first<U>(self, conn: &mut Connection) -> Result<U, Error>
    where
        SelectStatement<
            Self::From,
            Self::Select,
            Self::SelectIdx,
            Self::Where,
            Self::Order,
            Limit,
            Self::Offset,
            Self::Distinct,
        >: QueryFragment<Sqlite> + Query,
        U: FromRow<
                <SelectStatement<
                    Self::From,
                    Self::Select,
                    Self::SelectIdx,
                    Self::Where,
                    Self::Order,
                    Limit,
                    Self::Offset,
                    Self::Distinct,
                > as Query>::SqlType,
                Sqlite,
            >,
    {
        self.limit(1).get_result(conn)
    }
}

impl<Q: QueryDsl> RunQueryDsl for Q {}
