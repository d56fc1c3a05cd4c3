//! Running queries on MariaDB/MySQL, asynchronously.

use std::future::Future;
use std::ops::Deref;
use std::panic::Location;
use std::pin::Pin;

use crate::backend::Mysql;
use crate::deserialize::{FromRow, RowReader};
use crate::query::{AsQuery, Limit, Query, QueryDsl, SelectStatement};
use crate::query_fragment::{Binds, QueryFragment, StaticSql};
use quarry_runtime::mysql::{Connection, Pool, PooledConnection};
use quarry_runtime::{Error, with_caller_async};

/// Collects a statement's binds into a vector sized at build time.
fn binds<Q: QueryFragment<Mysql>>(query: &Q) -> Binds<'_> {
    let mut out = Binds::with_capacity(<Q as StaticSql<Mysql>>::PARAMS);
    query.collect_binds(&mut out);
    out
}

/// A connection borrowed for one statement: the caller's own, or one
/// checked out of a pool and returned when this is dropped.
#[derive(Debug)]
pub enum ConnectionRef<'a> {
    /// A connection the caller holds.
    Borrowed(&'a Connection),
    /// A connection checked out of a pool for this statement.
    Pooled(PooledConnection),
}

impl Deref for ConnectionRef<'_> {
    type Target = Connection;

    fn deref(&self) -> &Connection {
        match self {
            ConnectionRef::Borrowed(conn) => conn,
            ConnectionRef::Pooled(conn) => conn,
        }
    }
}

/// What MariaDB/MySQL queries run on: a [`Connection`], a
/// [`PooledConnection`], or a [`Pool`], which checks a connection out for
/// each statement.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot run MariaDB/MySQL queries",
    label = "expected a MariaDB/MySQL connection or pool",
    note = "pass `&quarry::mysql::Connection`, `&quarry::mysql::PooledConnection` or `&quarry::mysql::Pool`"
)]
pub trait Executor: Sync {
    /// The connection to run one statement on.
    fn connection(&self) -> impl Future<Output = Result<ConnectionRef<'_>, Error>> + Send;
}

impl Executor for Connection {
    async fn connection(&self) -> Result<ConnectionRef<'_>, Error> {
        Ok(ConnectionRef::Borrowed(self))
    }
}

impl Executor for PooledConnection {
    async fn connection(&self) -> Result<ConnectionRef<'_>, Error> {
        Ok(ConnectionRef::Borrowed(self))
    }
}

/// A statement on `&Pool` checks a connection out for itself (the
/// protocol runs one statement at a time per connection).
impl Executor for Pool {
    async fn connection(&self) -> Result<ConnectionRef<'_>, Error> {
        self.get().await.map(ConnectionRef::Pooled)
    }
}

/// The statement [`RunQueryAsync::first_async`] runs: `Q` with `LIMIT 1`.
type LimitOne<Q> = SelectStatement<
    <Q as QueryDsl>::From,
    <Q as QueryDsl>::Select,
    <Q as QueryDsl>::SelectIdx,
    <Q as QueryDsl>::Where,
    <Q as QueryDsl>::Order,
    Limit,
    <Q as QueryDsl>::Offset,
    <Q as QueryDsl>::Distinct,
    <Q as QueryDsl>::Group,
>;

/// The future a [`RunQueryAsync`] method returns: `Send`, boxed so that a
/// wrong argument is one compile error at the call.
pub type QueryFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, Error>> + Send + 'a>>;

/// Running queries on MariaDB/MySQL: `load_async`, `get_result_async`,
/// `first_async`, `execute_async`.
///
/// The SQL text is a constant computed at build time and the key of the
/// connection's prepared-statement cache. A query that uses something
/// MariaDB lacks does not compile here.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a statement that can run on MariaDB/MySQL",
    note = "tables, `select(...)` queries and statements built from them run with `load_async`, `get_result_async`, `first_async` and `execute_async`"
)]
pub trait RunQueryAsync: AsQuery + Sized {
    /// Every row, as `U`.
    ///
    /// ```no_run
    /// # quarry::__doc_setup!();
    /// # fn main() {}
    /// # async fn demo(pool: &quarry::mysql::Pool) -> Result<(), quarry::Error> {
    /// use quarry::mysql::RunQueryAsync;
    /// use quarry::query::QueryDsl;
    /// let names: Vec<String> = users::table.select(users::name).order(users::id).load_async(pool).await?;
    /// # Ok(()) }
    /// ```
    #[doc(alias = "fetch_all")]
    #[track_caller]
    fn load_async<'a, U, C>(self, conn: &'a C) -> QueryFuture<'a, Vec<U>>
    where
        C: Executor + ?Sized,
        Self::Query: QueryFragment<Mysql> + Query + Send + 'a,
        U: FromRow<<Self::Query as Query>::SqlType, Mysql> + Send + 'a,
    {
        let query = self.as_query();
        let caller = Location::caller();
        Box::pin(with_caller_async(caller, move || async move {
            let conn = conn.connection().await?;
            let binds = binds(&query);
            let mut rows = Vec::new();
            conn.query_static_each(<Self::Query as StaticSql<Mysql>>::SQL, &binds, |row| {
                rows.push(U::from_row(&mut RowReader::new(row))?);
                Ok(())
            })
            .await?;
            Ok(rows)
        }))
    }

    /// [`load_async`](Self::load_async) under the name Diesel's
    /// `get_results` suggests.
    ///
    /// ```no_run
    /// # quarry::__doc_setup!();
    /// # fn main() {}
    /// # async fn demo(pool: &quarry::mysql::Pool) -> Result<(), quarry::Error> {
    /// use quarry::mysql::RunQueryAsync;
    /// use quarry::query::QueryDsl;
    /// let names: Vec<String> = users::table.select(users::name).get_results_async(pool).await?;
    /// # Ok(()) }
    /// ```
    #[track_caller]
    fn get_results_async<'a, U, C>(self, conn: &'a C) -> QueryFuture<'a, Vec<U>>
    where
        C: Executor + ?Sized,
        Self::Query: QueryFragment<Mysql> + Query + Send + 'a,
        U: FromRow<<Self::Query as Query>::SqlType, Mysql> + Send + 'a,
    {
        self.load_async(conn)
    }

    /// The first row, or [`Error::NotFound`].
    ///
    /// ```no_run
    /// # quarry::__doc_setup!();
    /// # fn main() {}
    /// # async fn demo(pool: &quarry::mysql::Pool) -> Result<(), quarry::Error> {
    /// use quarry::mysql::RunQueryAsync;
    /// use quarry::query::{FindDsl, QueryDsl};
    /// let name: String = users::table.find(2).select(users::name).get_result_async(pool).await?;
    /// # Ok(()) }
    /// ```
    #[doc(alias = "fetch_one")]
    #[track_caller]
    fn get_result_async<'a, U, C>(self, conn: &'a C) -> QueryFuture<'a, U>
    where
        C: Executor + ?Sized,
        Self::Query: QueryFragment<Mysql> + Query + Send + 'a,
        U: FromRow<<Self::Query as Query>::SqlType, Mysql> + Send + 'a,
    {
        let query = self.as_query();
        let caller = Location::caller();
        Box::pin(with_caller_async(caller, move || async move {
            let conn = conn.connection().await?;
            let binds = binds(&query);
            let mut first = None;
            conn.query_static_each(<Self::Query as StaticSql<Mysql>>::SQL, &binds, |row| {
                if first.is_none() {
                    first = Some(U::from_row(&mut RowReader::new(row))?);
                }
                Ok(())
            })
            .await?;
            first.ok_or(Error::NotFound)
        }))
    }

    /// `LIMIT 1`, then the row, or [`Error::NotFound`].
    ///
    /// ```no_run
    /// # quarry::__doc_setup!();
    /// # fn main() {}
    /// # async fn demo(pool: &quarry::mysql::Pool) -> Result<(), quarry::Error> {
    /// use quarry::mysql::RunQueryAsync;
    /// use quarry::query::QueryDsl;
    /// use quarry::expression::ExpressionMethods;
    /// let top: String = posts::table.select(posts::title).order(posts::views.desc()).first_async(pool).await?;
    /// # Ok(()) }
    /// ```
    #[track_caller]
    fn first_async<'a, U, C>(self, conn: &'a C) -> QueryFuture<'a, U>
    where
        Self: QueryDsl,
        C: Executor + ?Sized,
        LimitOne<Self>: QueryFragment<Mysql> + Query + Send + 'a,
        U: FromRow<<LimitOne<Self> as Query>::SqlType, Mysql> + Send + 'a,
    {
        self.limit(1).get_result_async(conn)
    }

    /// Runs a statement and returns the number of rows it changed.
    ///
    /// ```no_run
    /// # quarry::__doc_setup!();
    /// # fn main() {}
    /// # async fn demo(pool: &quarry::mysql::Pool) -> Result<(), quarry::Error> {
    /// use quarry::mysql::RunQueryAsync;
    /// use quarry::query::QueryDsl;
    /// use quarry::expression::ExpressionMethods;
    /// let changed: u64 = quarry::update(posts::table.filter(posts::author_id.eq(1)))
    ///     .set(posts::published.eq(true))
    ///     .execute_async(pool)
    ///     .await?;
    /// # Ok(()) }
    /// ```
    #[track_caller]
    fn execute_async<'a, C>(self, conn: &'a C) -> QueryFuture<'a, u64>
    where
        C: Executor + ?Sized,
        Self::Query: QueryFragment<Mysql> + Send + 'a,
    {
        let query = self.as_query();
        let caller = Location::caller();
        Box::pin(with_caller_async(caller, move || async move {
            let conn = conn.connection().await?;
            let binds = binds(&query);
            conn.execute_static(<Self::Query as StaticSql<Mysql>>::SQL, &binds)
                .await
        }))
    }
}

impl<Q: AsQuery> RunQueryAsync for Q {}
