//! Running queries on PostgreSQL, asynchronously.

use std::future::Future;
use std::ops::Deref;
use std::pin::Pin;

use super::LoadStream;
use crate::backend::Pg;
use crate::deserialize::{FromRow, RowReader};
use crate::query::{AsQuery, Limit, Query, QueryDsl, SelectStatement};
use crate::query_fragment::{QueryFragment, StaticSql, static_binds};
use quarry_runtime::postgres::{
    Connection, Pool, PooledConnection, Reads, Router, RowStream, SharedConnection,
};
use quarry_runtime::{Error, TypedSql, with_caller_async};
use std::panic::Location;

/// A statement's text and its parameters' types, both build-time constants.
fn typed_sql<Q: StaticSql<Pg>>() -> TypedSql {
    TypedSql::new(Q::SQL, Q::PARAM_TYPES)
}

/// A connection borrowed for one statement: the caller's own, one a
/// [`Pool`] lends to statements on `&Pool` (shared with others running at
/// the same time), or one checked out of a pool and returned when this is
/// dropped.
///
/// It lives in the statement's future only; boxing the pooled connection
/// would cost an allocation per statement to save a few hundred bytes.
#[derive(Debug)]
#[allow(clippy::large_enum_variant)]
pub enum ConnectionRef<'a> {
    /// A connection the caller holds.
    Borrowed(&'a Connection),
    /// A connection checked out of a pool for this statement.
    Pooled(PooledConnection),
    /// A pool's connection shared with other statements on `&Pool`
    /// ([`Pool::shared`]).
    Shared(SharedConnection),
}

impl Deref for ConnectionRef<'_> {
    type Target = Connection;

    fn deref(&self) -> &Connection {
        match self {
            ConnectionRef::Borrowed(conn) => conn,
            ConnectionRef::Pooled(conn) => conn,
            ConnectionRef::Shared(conn) => conn,
        }
    }
}

/// What PostgreSQL queries run on: a [`Connection`], a
/// [`PooledConnection`], or a [`Pool`], which runs each statement on a
/// connection it shares between statements ([`Pool::shared`]).
///
/// This is what makes `query.load_async(&sqlite_connection)` fail to
/// compile: SQLite runs queries synchronously, with
/// [`RunQueryDsl`](crate::sqlite::RunQueryDsl).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot run PostgreSQL queries",
    label = "expected a PostgreSQL connection or pool",
    note = "pass `&quarry::pg::Connection`, `&quarry::pg::PooledConnection`, `&quarry::pg::Pool` or `&quarry::pg::Router`; SQLite connections use `load`, `get_result`, `first` and `execute`"
)]
pub trait Executor: Sync {
    /// The connection to run one statement on.
    fn connection(&self) -> impl Future<Output = Result<ConnectionRef<'_>, Error>> + Send;

    /// A connection that nothing else runs on while the caller holds it:
    /// for a row stream, which holds its connection until dropped. The
    /// caller's own connection, or one checked out of a pool.
    fn exclusive(&self) -> impl Future<Output = Result<ConnectionRef<'_>, Error>> + Send {
        self.connection()
    }
}

#[diagnostic::do_not_recommend]
impl Executor for Connection {
    async fn connection(&self) -> Result<ConnectionRef<'_>, Error> {
        Ok(ConnectionRef::Borrowed(self))
    }
}

#[diagnostic::do_not_recommend]
impl Executor for PooledConnection {
    async fn connection(&self) -> Result<ConnectionRef<'_>, Error> {
        Ok(ConnectionRef::Borrowed(self))
    }
}

/// A statement on `&Pool` runs on a connection the pool shares between
/// such statements, pipelined with them ([`Pool::shared`]); a
/// transaction (`pool.transaction(..)`) has its own.
#[diagnostic::do_not_recommend]
impl Executor for Pool {
    async fn connection(&self) -> Result<ConnectionRef<'_>, Error> {
        self.shared().await.map(ConnectionRef::Shared)
    }

    async fn exclusive(&self) -> Result<ConnectionRef<'_>, Error> {
        self.get().await.map(ConnectionRef::Pooled)
    }
}

/// Every statement on the primary: writes, transactions' statements, and
/// reads that must see earlier writes. Reads that may be stale go to
/// [`Router::read`].
///
/// ```no_run
/// use quarry::prelude::*;
/// # quarry::table! { users (id) { id -> Integer, name -> Text, } }
/// # async fn demo(router: &quarry::pg::Router) -> Result<(), quarry::Error> {
/// quarry::update(users::table.filter(users::id.eq(1)))
///     .set(users::name.eq("Ada"))
///     .execute_async(router)
///     .await?;
/// // Read-your-writes: on the primary too.
/// let name: String = users::table.select(users::name).filter(users::id.eq(1)).get_result_async(router).await?;
/// # let _ = name; Ok(()) }
/// ```
#[diagnostic::do_not_recommend]
impl Executor for Router {
    async fn connection(&self) -> Result<ConnectionRef<'_>, Error> {
        self.get().await.map(ConnectionRef::Pooled)
    }
}

/// Each statement on a replica that is up (round-robin), or on the primary
/// when none is or when the view is [pinned](Reads::primary).
///
/// ```no_run
/// use quarry::prelude::*;
/// # quarry::table! { users (id) { id -> Integer, name -> Text, } }
/// # async fn demo(router: &quarry::pg::Router) -> Result<(), quarry::Error> {
/// let names: Vec<String> = users::table.select(users::name).load_async(&router.read()).await?;
/// # let _ = names; Ok(()) }
/// ```
#[diagnostic::do_not_recommend]
impl Executor for Reads<'_> {
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

/// The future a [`RunQueryAsync`] method returns: `Send`, borrowing the
/// connection (and whatever the query borrows) for `'a`.
///
/// It is boxed, one allocation per statement, so that a wrong argument is
/// one compile error at the call: an `impl Future` return type repeats
/// every bound of the method on the future and at each `.await`.
pub type QueryFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, Error>> + Send + 'a>>;

/// Running queries on PostgreSQL: `load_async`, `get_result_async`,
/// `first_async`, `execute_async`, the asynchronous twins of
/// [`RunQueryDsl`](crate::sqlite::RunQueryDsl)'s methods.
///
/// The SQL text is a constant computed at build time and is the key of the
/// connection's prepared-statement cache: running a query again builds no
/// string and prepares nothing. The returned futures are `Send`
/// ([`QueryFuture`]).
///
/// A query that uses only portable features compiles for both backends;
/// one that uses something PostgreSQL lacks does not compile here.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a statement that can run on PostgreSQL",
    note = "tables, `select(...)` queries and statements built from them run with `load_async`, `get_result_async`, `first_async` and `execute_async`"
)]
pub trait RunQueryAsync: AsQuery + Sized {
    /// Every row, as `U`.
    ///
    /// ```no_run
    /// # quarry::__doc_setup!();
    /// # fn main() {}
    /// # async fn demo(pool: &quarry::pg::Pool) -> Result<(), quarry::Error> {
    /// use quarry::prelude::*;
    /// let names: Vec<String> = users::table.select(users::name).order(users::id).load_async(pool).await?;
    /// # Ok(()) }
    /// ```
    #[doc(alias = "fetch_all")]
    #[track_caller]
    fn load_async<'a, U, C>(self, conn: &'a C) -> QueryFuture<'a, Vec<U>>
    where
        C: Executor + ?Sized,
        Self::Query: QueryFragment<Pg> + Query + Send + 'a,
        U: FromRow<<Self::Query as Query>::SqlType, Pg> + Send + 'a,
    {
        let query = self.as_query();
        let caller = Location::caller();
        Box::pin(with_caller_async(caller, move || async move {
            let conn = conn.connection().await?;
            let binds = static_binds::<Pg, _>(&query);
            let mut rows = Vec::new();
            conn.query_static_each(typed_sql::<Self::Query>(), &binds, |row| {
                rows.push(U::from_row(&mut RowReader::new(row))?);
                Ok(())
            })
            .await?;
            Ok(rows)
        }))
    }

    /// The rows as a [`Stream`](futures_util::Stream) of `U`, decoded as
    /// the server sends them, so memory stays flat however many rows the
    /// query returns ([`LoadStream`]). On a [`Pool`] the stream has a
    /// connection of its own until dropped; dropped early, the query is
    /// cancelled on the server.
    ///
    /// ```no_run
    /// # async fn demo(pool: &quarry::pg::Pool) -> Result<(), quarry::Error> {
    /// use futures_util::TryStreamExt;
    /// use quarry::prelude::*;
    /// # quarry::table! { users (id) { id -> Integer, name -> Text, } }
    ///
    /// let mut names = users::table.select(users::name).load_stream::<String, _>(pool).await?;
    /// while let Some(name) = names.try_next().await? {
    ///     println!("{name}");
    /// }
    /// # Ok(()) }
    /// ```
    #[track_caller]
    fn load_stream<'a, U, C>(
        self,
        conn: &'a C,
    ) -> QueryFuture<'a, LoadStream<'a, <Self::Query as Query>::SqlType, U>>
    where
        C: Executor + ?Sized,
        Self::Query: QueryFragment<Pg> + Query + Send + 'a,
        U: FromRow<<Self::Query as Query>::SqlType, Pg> + Send + 'a,
    {
        let query = self.as_query();
        let caller = Location::caller();
        Box::pin(with_caller_async(caller, move || async move {
            let conn = conn.exclusive().await?;
            let binds = static_binds::<Pg, _>(&query);
            let rows = RowStream::start(conn, typed_sql::<Self::Query>(), &binds).await?;
            Ok(LoadStream::new(rows))
        }))
    }

    /// [`load_async`](Self::load_async) under the name Diesel's
    /// `get_results` suggests.
    ///
    /// ```no_run
    /// # quarry::__doc_setup!();
    /// # fn main() {}
    /// # async fn demo(pool: &quarry::pg::Pool) -> Result<(), quarry::Error> {
    /// use quarry::prelude::*;
    /// let names: Vec<String> = users::table.select(users::name).get_results_async(pool).await?;
    /// # Ok(()) }
    /// ```
    #[track_caller]
    fn get_results_async<'a, U, C>(self, conn: &'a C) -> QueryFuture<'a, Vec<U>>
    where
        C: Executor + ?Sized,
        Self::Query: QueryFragment<Pg> + Query + Send + 'a,
        U: FromRow<<Self::Query as Query>::SqlType, Pg> + Send + 'a,
    {
        self.load_async(conn)
    }

    /// The first row, or [`Error::NotFound`]. Add
    /// [`.optional()`](crate::OptionalExtension::optional) to get `None`.
    ///
    /// ```no_run
    /// # quarry::__doc_setup!();
    /// # fn main() {}
    /// # async fn demo(pool: &quarry::pg::Pool) -> Result<(), quarry::Error> {
    /// use quarry::prelude::*;
    /// let name: String = users::table.find(2).select(users::name).get_result_async(pool).await?;
    /// let none: Option<String> = users::table.find(9).select(users::name).get_result_async(pool).await.optional()?;
    /// # Ok(()) }
    /// ```
    #[doc(alias = "fetch_one")]
    #[track_caller]
    fn get_result_async<'a, U, C>(self, conn: &'a C) -> QueryFuture<'a, U>
    where
        C: Executor + ?Sized,
        Self::Query: QueryFragment<Pg> + Query + Send + 'a,
        U: FromRow<<Self::Query as Query>::SqlType, Pg> + Send + 'a,
    {
        let query = self.as_query();
        let caller = Location::caller();
        Box::pin(with_caller_async(caller, move || async move {
            let conn = conn.connection().await?;
            let binds = static_binds::<Pg, _>(&query);
            let mut first = None;
            conn.query_static_each(typed_sql::<Self::Query>(), &binds, |row| {
                if first.is_none() {
                    first = Some(U::from_row(&mut RowReader::new(row))?);
                }
                Ok(())
            })
            .await?;
            match first {
                Some(first) => Ok(first),
                None => Err(Error::NotFound),
            }
        }))
    }

    /// `LIMIT 1`, then the row, or [`Error::NotFound`].
    ///
    /// ```no_run
    /// # quarry::__doc_setup!();
    /// # fn main() {}
    /// # async fn demo(pool: &quarry::pg::Pool) -> Result<(), quarry::Error> {
    /// use quarry::prelude::*;
    /// let top: String = posts::table.select(posts::title).order(posts::views.desc()).first_async(pool).await?;
    /// # Ok(()) }
    /// ```
    #[track_caller]
    fn first_async<'a, U, C>(self, conn: &'a C) -> QueryFuture<'a, U>
    where
        Self: QueryDsl,
        C: Executor + ?Sized,
        LimitOne<Self>: QueryFragment<Pg> + Query + Send + 'a,
        U: FromRow<<LimitOne<Self> as Query>::SqlType, Pg> + Send + 'a,
    {
        self.limit(1).get_result_async(conn)
    }

    /// Runs a statement and returns the number of rows it changed.
    ///
    /// ```no_run
    /// # quarry::__doc_setup!();
    /// # fn main() {}
    /// # async fn demo(pool: &quarry::pg::Pool) -> Result<(), quarry::Error> {
    /// use quarry::prelude::*;
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
        Self::Query: QueryFragment<Pg> + Send + 'a,
    {
        let query = self.as_query();
        let caller = Location::caller();
        Box::pin(with_caller_async(caller, move || async move {
            let conn = conn.connection().await?;
            let binds = static_binds::<Pg, _>(&query);
            conn.execute_static(typed_sql::<Self::Query>(), &binds)
                .await
        }))
    }
}

impl<Q: AsQuery> RunQueryAsync for Q {}
