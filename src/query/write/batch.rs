//! Many rows in one INSERT: multi-row `VALUES` lists, split under the
//! backend's bind limit, all in one transaction.
//!
//! A batch's length is known only at run time, so its SQL text cannot be a
//! constant of its type. It is composed at run time from the statement's
//! static fragments (the part before `VALUES`, the one-row fragment, the
//! upsert and RETURNING clauses) by the same rendering walk that renders
//! static queries at build time: one rendering logic.
//!
//! Rows are sent in as few statements as the bind limit allows: as many
//! full statements of the largest size under it (a power of two, at most
//! [`MAX_ROWS_PER_STATEMENT`]) as fit, then one statement of the rest. A
//! batch of up to that size is one statement, one round trip, and needs no
//! transaction. A statement type therefore has at most one text per row
//! count up to that size, each rendered once per process, kept as a
//! `&'static str` (a few hundred KiB if a program inserted every count),
//! and prepared once per connection in its static statement cache:
//! inserting the same count again renders nothing.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use rustc_hash::FxBuildHasher;

use crate::backend::Backend;
#[cfg(feature = "postgres")]
use crate::backend::Pg;
#[cfg(feature = "sqlite")]
use crate::backend::Sqlite;
#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
use crate::deserialize::{FromRow, RowReader};
use crate::query::Query;
use crate::query_fragment::{Binds, QueryFragment, StaticSql};
use crate::query_source::Table;
use crate::sql_text::{Part, append_at_run_time, append_param_types, count_params};
use quarry_runtime::{Error, ParamType, TypedSql};

use super::{InsertRow, InsertStatement, ValuesClause};

/// The most bind parameters one SQLite statement may have
/// (`SQLITE_MAX_VARIABLE_NUMBER` of the bundled SQLite).
pub const SQLITE_BIND_LIMIT: usize = 32766;

/// The most bind parameters one PostgreSQL statement may have (the wire
/// protocol counts them in 16 bits).
pub const PG_BIND_LIMIT: usize = 65535;

/// The most rows one statement of a batch holds, whatever the bind limit.
/// Measured with `examples/insert_bench` (10 000 two-column rows, SQLite in
/// memory): 128 to 256 rows per statement were fastest, 1024 to 16384 about
/// 10% slower, and a longer statement also costs a larger prepared program
/// per connection.
pub const MAX_ROWS_PER_STATEMENT: usize = 256;

/// Many rows of type `V` to insert.
#[derive(Debug, Clone)]
pub struct Batch<V> {
    rows: Vec<V>,
}

impl<V> Batch<V> {
    pub(crate) fn new(rows: Vec<V>) -> Self {
        Batch { rows }
    }

    /// How many rows the batch holds.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether the batch holds no rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The rows, for `COPY` (`src/pg/copy_in.rs`).
    #[cfg(feature = "postgres")]
    pub(crate) fn rows(&self) -> &[V] {
        &self.rows
    }
}

/// The static fragments of a batch INSERT, from which each statement's
/// text is composed.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be written as a batch INSERT for {DB}",
    note = "some clause of the statement does not exist on {DB}"
)]
pub trait BatchSql<DB: Backend> {
    /// `INSERT INTO "t" ("a", "b") VALUES `
    const PREFIX: Part;
    /// `(?, ?)`: one row.
    const ROW: Part;
    /// The upsert and RETURNING clauses.
    const SUFFIX: Part;
    /// The text of the statement with one row: the cache key of the
    /// statement's texts.
    const ONE_ROW_SQL: &'static str;
    /// Placeholders per row.
    const ROW_PARAMS: usize = count_params(&Self::ROW);
    /// Placeholders of the suffix, bound once per statement.
    const SUFFIX_PARAMS: usize = count_params(&Self::SUFFIX);
}

impl<DB, T, V, OC, R> BatchSql<DB> for InsertStatement<T, Batch<V>, OC, R>
where
    DB: Backend,
    T: Table,
    V: InsertRow<DB>,
    OC: QueryFragment<DB>,
    R: QueryFragment<DB>,
{
    const PREFIX: Part = Part::Seq(&[
        Part::Str("INSERT INTO "),
        Part::Ident(T::NAME),
        Part::Str(" ("),
        V::COLUMNS,
        Part::Str(") VALUES "),
    ]);
    const ROW: Part = Part::Paren(&V::ROW);
    const SUFFIX: Part = Part::Seq(&[OC::FRAG, R::FRAG]);
    const ONE_ROW_SQL: &'static str =
        <InsertStatement<T, ValuesClause<V>, OC, R> as StaticSql<DB>>::SQL;
}

/// The row counts of the statements that insert `rows` rows, at most
/// `max_rows` each: full statements first, then one of the rest.
pub(crate) fn chunk_sizes(rows: usize, max_rows: usize) -> impl Iterator<Item = usize> {
    let full = rows / max_rows;
    let rest = rows % max_rows;
    std::iter::repeat_n(max_rows, full).chain((rest > 0).then_some(rest))
}

/// The rows per statement for a statement type under `limit` binds: the
/// largest power of two that fits, at most [`MAX_ROWS_PER_STATEMENT`].
fn max_rows(row_params: usize, suffix_params: usize, limit: usize) -> Result<usize, Error> {
    let room = limit.saturating_sub(suffix_params);
    let fit = room.checked_div(row_params).unwrap_or(usize::MAX);
    if fit == 0 {
        return Err(Error::Bind {
            index: limit + 1,
            message: format!(
                "one row needs {} bind parameters and the upsert {suffix_params}; a statement may have at most {limit}",
                row_params
            ),
        });
    }
    let capped = fit.min(MAX_ROWS_PER_STATEMENT);
    Ok(1 << (usize::BITS - 1 - capped.leading_zeros()))
}

/// The rendered texts of batch statements and their parameters' types, by
/// dialect, the address and length of the one-row text (a `&'static str`,
/// so its address is its identity) and row count. Each text is leaked once:
/// the set is bounded by the statement types of the program times
/// [`MAX_ROWS_PER_STATEMENT`].
type Texts = HashMap<(u8, usize, usize, usize), TypedSql, FxBuildHasher>;

/// The text of the batch statement `S` with `rows` rows, rendered on first
/// use.
fn statement_text<S: BatchSql<DB>, DB: Backend>(rows: usize) -> Result<TypedSql, Error> {
    static TEXTS: OnceLock<Mutex<Texts>> = OnceLock::new();
    let one_row = S::ONE_ROW_SQL;
    let key = (
        DB::DIALECT as u8,
        one_row.as_ptr() as usize,
        one_row.len(),
        rows,
    );
    let texts = TEXTS.get_or_init(|| Mutex::new(HashMap::default()));
    // A panic elsewhere while holding the lock leaves the map consistent:
    // entries are inserted whole.
    let mut texts = texts
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(text) = texts.get(&key) {
        return Ok(*text);
    }
    let text = render::<S, DB>(rows).ok_or_else(|| Error::Bind {
        index: 0,
        message: "a row's SQL fragment is longer than 64 KiB".to_owned(),
    })?;
    let text = TypedSql::new(
        Box::leak(text.into_boxed_str()),
        Box::leak(param_types::<S, DB>(rows).into_boxed_slice()),
    );
    texts.insert(key, text);
    Ok(text)
}

/// The parameters' types of the statement with `rows` rows.
fn param_types<S: BatchSql<DB>, DB: Backend>(rows: usize) -> Vec<ParamType> {
    let dialect = DB::DIALECT;
    let mut types = Vec::with_capacity(rows * S::ROW_PARAMS + S::SUFFIX_PARAMS);
    append_param_types(&S::PREFIX, dialect, &mut types);
    for _ in 0..rows {
        append_param_types(&S::ROW, dialect, &mut types);
    }
    append_param_types(&S::SUFFIX, dialect, &mut types);
    types
}

/// Composes the statement with `rows` rows from `S`'s fragments.
fn render<S: BatchSql<DB>, DB: Backend>(rows: usize) -> Option<String> {
    let dialect = DB::DIALECT;
    let mut out = String::with_capacity(S::ONE_ROW_SQL.len() + rows * (S::ROW_PARAMS * 4 + 4));
    let mut ok = append_at_run_time(&S::PREFIX, dialect, 0, &mut out);
    for i in 0..rows {
        if i > 0 {
            out.push_str(", ");
        }
        ok &= append_at_run_time(&S::ROW, dialect, i * S::ROW_PARAMS, &mut out);
    }
    ok &= append_at_run_time(&S::SUFFIX, dialect, rows * S::ROW_PARAMS, &mut out);
    ok.then_some(out)
}

/// One statement of a batch: its text and binds.
struct Chunk<'a> {
    sql: TypedSql,
    binds: Binds<'a>,
}

impl<T, V, OC, R> InsertStatement<T, Batch<V>, OC, R> {
    /// The statements that insert every row, `limit` binds at most each.
    fn chunks<DB: Backend>(&self, limit: usize) -> Result<Vec<Chunk<'_>>, Error>
    where
        Self: BatchSql<DB>,
        V: InsertRow<DB>,
        OC: QueryFragment<DB>,
        R: QueryFragment<DB>,
    {
        let max = max_rows(
            <Self as BatchSql<DB>>::ROW_PARAMS,
            <Self as BatchSql<DB>>::SUFFIX_PARAMS,
            limit,
        )?;
        let mut chunks = Vec::new();
        let mut start = 0;
        for rows in chunk_sizes(self.body.rows.len(), max) {
            let mut binds = Binds::with_capacity(
                rows * <Self as BatchSql<DB>>::ROW_PARAMS + <Self as BatchSql<DB>>::SUFFIX_PARAMS,
            );
            for row in &self.body.rows[start..start + rows] {
                row.collect_row_binds(&mut binds);
            }
            self.on_conflict.collect_binds(&mut binds);
            self.returning.collect_binds(&mut binds);
            chunks.push(Chunk {
                sql: statement_text::<Self, DB>(rows)?,
                binds,
            });
            start += rows;
        }
        Ok(chunks)
    }

    /// Inserts every row and returns how many were inserted (with
    /// `do_nothing`, the skipped ones are not counted).
    ///
    /// The rows go in statements of many rows each, under SQLite's bind
    /// limit; when there is more than one statement they run in one
    /// transaction (a savepoint inside a transaction), so either every row
    /// is inserted or none is. An empty batch runs nothing.
    #[cfg(feature = "sqlite")]
    pub fn execute(self, conn: &mut crate::sqlite::Connection) -> Result<u64, Error>
    where
        Self: BatchSql<Sqlite>,
        V: InsertRow<Sqlite>,
        OC: QueryFragment<Sqlite>,
        R: QueryFragment<Sqlite>,
    {
        let chunks = self.chunks::<Sqlite>(SQLITE_BIND_LIMIT)?;
        let run = |conn: &mut crate::sqlite::Connection| {
            let mut total = 0;
            for chunk in &chunks {
                total += conn.execute_static(chunk.sql.sql, &chunk.binds)?;
            }
            Ok::<_, Error>(total)
        };
        if chunks.len() > 1 {
            conn.transaction(run)
        } else {
            run(conn)
        }
    }

    /// Inserts every row, as [`execute`](Self::execute), and loads the
    /// RETURNING rows, statement by statement in the order the database
    /// returns them (in practice the order of the batch).
    #[cfg(feature = "sqlite")]
    pub fn load<U>(self, conn: &mut crate::sqlite::Connection) -> Result<Vec<U>, Error>
    where
        Self: BatchSql<Sqlite> + Query,
        V: InsertRow<Sqlite>,
        OC: QueryFragment<Sqlite>,
        R: QueryFragment<Sqlite>,
        U: FromRow<<Self as Query>::SqlType, Sqlite>,
    {
        let chunks = self.chunks::<Sqlite>(SQLITE_BIND_LIMIT)?;
        let run = |conn: &mut crate::sqlite::Connection| {
            let mut out = Vec::with_capacity(self.body.rows.len());
            for chunk in &chunks {
                conn.query_static(chunk.sql.sql, &chunk.binds, |row| {
                    out.push(U::from_row(&mut RowReader::new(row))?);
                    Ok(())
                })?;
            }
            Ok::<_, Error>(out)
        };
        if chunks.len() > 1 {
            conn.transaction(run)
        } else {
            run(conn)
        }
    }

    /// The same as [`load`](Self::load).
    #[cfg(feature = "sqlite")]
    pub fn get_results<U>(self, conn: &mut crate::sqlite::Connection) -> Result<Vec<U>, Error>
    where
        Self: BatchSql<Sqlite> + Query,
        V: InsertRow<Sqlite>,
        OC: QueryFragment<Sqlite>,
        R: QueryFragment<Sqlite>,
        U: FromRow<<Self as Query>::SqlType, Sqlite>,
    {
        self.load(conn)
    }
}

#[cfg(feature = "postgres")]
impl<T, V, OC, R> InsertStatement<T, Batch<V>, OC, R> {
    /// Inserts every row on PostgreSQL and returns how many were inserted,
    /// as [`execute`](Self::execute) does on SQLite: statements under
    /// PostgreSQL's bind limit, in one transaction (a savepoint inside a
    /// transaction) when there is more than one.
    ///
    /// It runs on `&pool` like every statement, or on `&mut` a connection
    /// or a transaction's `tx`: see [`BatchExecutor`](crate::pg::BatchExecutor).
    /// The future is `Send` and boxed, as [`QueryFuture`](crate::pg::QueryFuture)s are.
    pub fn execute_async<'c>(
        self,
        conn: impl crate::pg::BatchExecutor<'c> + 'c,
    ) -> crate::pg::QueryFuture<'c, u64>
    where
        Self: BatchSql<Pg> + Send + 'c,
        V: InsertRow<Pg>,
        OC: QueryFragment<Pg>,
        R: QueryFragment<Pg>,
    {
        Box::pin(async move {
            let chunks = self.chunks::<Pg>(PG_BIND_LIMIT)?;
            if chunks.is_empty() {
                return Ok(0);
            }
            let mut held = conn.batch_connection().await?;
            let conn: &mut crate::pg::Connection = &mut held;
            let run = async |conn: &mut crate::pg::Connection| {
                let mut total = 0;
                for chunk in &chunks {
                    total += conn.execute_static(chunk.sql, &chunk.binds).await?;
                }
                Ok::<_, Error>(total)
            };
            if chunks.len() > 1 {
                conn.transaction(run).await
            } else {
                run(conn).await
            }
        })
    }

    /// Inserts every row on PostgreSQL, as
    /// [`execute_async`](Self::execute_async), and loads the RETURNING rows,
    /// statement by statement in the order the database returns them (in
    /// practice the order of the batch).
    pub fn load_async<'c, U>(
        self,
        conn: impl crate::pg::BatchExecutor<'c> + 'c,
    ) -> crate::pg::QueryFuture<'c, Vec<U>>
    where
        Self: BatchSql<Pg> + Query + Send + 'c,
        V: InsertRow<Pg>,
        OC: QueryFragment<Pg>,
        R: QueryFragment<Pg>,
        U: FromRow<<Self as Query>::SqlType, Pg> + Send + 'c,
    {
        Box::pin(async move {
            let chunks = self.chunks::<Pg>(PG_BIND_LIMIT)?;
            if chunks.is_empty() {
                return Ok(Vec::new());
            }
            let mut held = conn.batch_connection().await?;
            let conn: &mut crate::pg::Connection = &mut held;
            let rows = self.body.rows.len();
            let run = async |conn: &mut crate::pg::Connection| {
                let mut out = Vec::with_capacity(rows);
                for chunk in &chunks {
                    conn.query_static_each(chunk.sql, &chunk.binds, |row| {
                        out.push(U::from_row(&mut RowReader::new(row))?);
                        Ok(())
                    })
                    .await?;
                }
                Ok::<_, Error>(out)
            };
            if chunks.len() > 1 {
                conn.transaction(run).await
            } else {
                run(conn).await
            }
        })
    }

    /// The same as [`load_async`](Self::load_async).
    pub fn get_results_async<'c, U>(
        self,
        conn: impl crate::pg::BatchExecutor<'c> + 'c,
    ) -> crate::pg::QueryFuture<'c, Vec<U>>
    where
        Self: BatchSql<Pg> + Query + Send + 'c,
        V: InsertRow<Pg>,
        OC: QueryFragment<Pg>,
        R: QueryFragment<Pg>,
        U: FromRow<<Self as Query>::SqlType, Pg> + Send + 'c,
    {
        self.load_async(conn)
    }
}

/// The most bind parameters a MariaDB/MySQL prepared statement takes.
pub const MYSQL_BIND_LIMIT: usize = 65535;

/// Batch INSERTs on MariaDB/MySQL: `execute_async` and `load_async`, as
/// PostgreSQL's. Their names are the inherent PostgreSQL methods' names,
/// so call them through the trait:
/// `BatchInsertMysql::execute_async(statement, &mut conn)`.
///
/// ```no_run
/// # quarry::__doc_setup!();
/// # fn main() {}
/// # async fn demo(conn: &mut quarry::mysql::Connection) -> Result<(), quarry::Error> {
/// use quarry::mysql::BatchInsertMysql;
/// use quarry::expression::ExpressionMethods;
/// let rows = vec![(users::id.eq(7), users::name.eq("Grace")), (users::id.eq(8), users::name.eq("Alan"))];
/// let n = BatchInsertMysql::execute_async(quarry::insert_into(users::table).values(rows), conn).await?;
/// # let _ = n; Ok(()) }
/// ```
#[cfg(feature = "mysql")]
#[diagnostic::on_unimplemented(message = "`{Self}` is not a batch INSERT for MariaDB/MySQL")]
pub trait BatchInsertMysql: Sized {
    /// Inserts every row and returns how many were inserted: statements
    /// under MariaDB's bind limit, in one transaction (a savepoint inside
    /// a transaction) when there is more than one.
    fn execute_async(
        self,
        conn: &mut crate::mysql::Connection,
    ) -> impl std::future::Future<Output = Result<u64, Error>>;

    /// Inserts every row and loads the RETURNING rows (MariaDB 10.5+).
    fn load_async<U>(
        self,
        conn: &mut crate::mysql::Connection,
    ) -> impl std::future::Future<Output = Result<Vec<U>, Error>>
    where
        Self: Query,
        U: FromRow<<Self as Query>::SqlType, crate::Mysql> + Send;
}

#[cfg(feature = "mysql")]
impl<T, V, OC, R> BatchInsertMysql for InsertStatement<T, Batch<V>, OC, R>
where
    Self: BatchSql<crate::Mysql>,
    V: InsertRow<crate::Mysql>,
    OC: QueryFragment<crate::Mysql>,
    R: QueryFragment<crate::Mysql>,
{
    async fn execute_async(self, conn: &mut crate::mysql::Connection) -> Result<u64, Error> {
        let chunks = self.chunks::<crate::Mysql>(MYSQL_BIND_LIMIT)?;
        let run = async |conn: &mut crate::mysql::Connection| {
            let mut total = 0;
            for chunk in &chunks {
                total += conn.execute_static(chunk.sql.sql, &chunk.binds).await?;
            }
            Ok::<_, Error>(total)
        };
        if chunks.len() > 1 {
            conn.transaction(run).await
        } else {
            run(conn).await
        }
    }

    async fn load_async<U>(self, conn: &mut crate::mysql::Connection) -> Result<Vec<U>, Error>
    where
        Self: Query,
        U: FromRow<<Self as Query>::SqlType, crate::Mysql> + Send,
    {
        let chunks = self.chunks::<crate::Mysql>(MYSQL_BIND_LIMIT)?;
        let rows = self.body.rows.len();
        let run = async |conn: &mut crate::mysql::Connection| {
            let mut out = Vec::with_capacity(rows);
            for chunk in &chunks {
                conn.query_static_each(chunk.sql.sql, &chunk.binds, |row| {
                    out.push(U::from_row(&mut RowReader::new(row))?);
                    Ok(())
                })
                .await?;
            }
            Ok::<_, Error>(out)
        };
        if chunks.len() > 1 {
            conn.transaction(run).await
        } else {
            run(conn).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_are_full_statements_then_the_rest() {
        assert_eq!(chunk_sizes(0, 8).collect::<Vec<_>>(), Vec::<usize>::new());
        assert_eq!(chunk_sizes(5, 8).collect::<Vec<_>>(), [5]);
        assert_eq!(chunk_sizes(8, 8).collect::<Vec<_>>(), [8]);
        assert_eq!(chunk_sizes(21, 8).collect::<Vec<_>>(), [8, 8, 5]);
        let total: usize = chunk_sizes(100_000, 1024).sum();
        assert_eq!(total, 100_000);
    }

    #[test]
    fn rows_per_statement_stay_under_the_limit() {
        assert_eq!(
            max_rows(3, 0, SQLITE_BIND_LIMIT).ok(),
            Some(MAX_ROWS_PER_STATEMENT)
        );
        assert_eq!(max_rows(200, 0, SQLITE_BIND_LIMIT).ok(), Some(128));
        assert_eq!(max_rows(3, 1, 7).ok(), Some(2));
        assert_eq!(max_rows(0, 0, 10).ok(), Some(MAX_ROWS_PER_STATEMENT));
        assert!(max_rows(40_000, 0, SQLITE_BIND_LIMIT).is_err());
    }
}
