//! Running queries on a SQLite connection.

use super::LoadIter;
use crate::backend::Sqlite;
use crate::deserialize::{FromRow, RowReader};
use crate::query::query_dsl::Limited;
use crate::query::{AsQuery, Query, QueryDsl};
use crate::query_fragment::{QueryFragment, StaticSql, static_binds};
use quarry_runtime::sqlite::Connection;
use quarry_runtime::{Error, with_caller};
use std::panic::Location;

/// Running queries on SQLite: `load`, `load_iter`, `get_result`, `first`,
/// `execute`.
///
/// The SQL text is a constant computed at build time and is the key of the
/// connection's prepared-statement cache: running a query again builds no
/// string.
///
/// The same query value runs on PostgreSQL with
/// [`RunQueryAsync`](crate::pg::RunQueryAsync)'s `load_async` and friends.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a statement that can run on SQLite",
    note = "tables, `select(...)` queries and statements built from them run with `load`, `get_result`, `first` and `execute`"
)]
pub trait RunQueryDsl: AsQuery + Sized {
    /// Every row, as `U`.
    ///
    /// ```
    /// # quarry::__doc_setup!();
    /// # fn main() -> Result<(), quarry::Error> {
    /// use quarry::prelude::*;
    /// # let mut db = db();
    /// let names: Vec<String> = users::table.select(users::name).order(users::id).load(&mut db)?;
    /// assert_eq!(names, ["Ada", "Brian", "Cleo"]);
    /// # Ok(()) }
    /// ```
    #[doc(alias = "fetch_all")]
    #[track_caller]
    // `U`'s bound in the generics rather than the `where` clause: rustc
    // then quotes it on the line that names `load`, one line shorter.
    fn load<U: FromRow<<Self::Query as Query>::SqlType, Sqlite>>(
        self,
        conn: &mut Connection,
    ) -> Result<Vec<U>, Error>
    where
        Self::Query: QueryFragment<Sqlite> + Query,
    {
        let query = self.as_query();
        let binds = static_binds::<Sqlite, _>(&query);
        let mut rows = Vec::new();
        with_caller(Location::caller(), || {
            conn.query_static(<Self::Query as StaticSql<Sqlite>>::SQL, &binds, |row| {
                rows.push(U::from_row(&mut RowReader::new(row))?);
                Ok(())
            })
        })?;
        Ok(rows)
    }

    /// The rows as `U`, one at a time: each is read from SQLite when the
    /// iterator is asked for it, so memory stays flat however many rows the
    /// query returns. The iterator borrows the connection until dropped;
    /// dropped early, the rest of the rows are never computed.
    ///
    /// ```
    /// use quarry::prelude::*;
    /// # quarry::table! { users (id) { id -> Integer, name -> Text, } }
    /// let mut db = quarry::sqlite::Connection::open_in_memory()?;
    /// db.execute_batch("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
    ///                   INSERT INTO users VALUES (1, 'Ada'), (2, 'Grace');")?;
    /// let mut longest = 0;
    /// for name in users::table.select(users::name).load_iter::<String>(&mut db)? {
    ///     longest = longest.max(name?.len());
    /// }
    /// assert_eq!(longest, 5);
    /// # Ok::<(), quarry::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// Preparing and binding fail here; each row's error (a decoding error,
    /// or SQLite's) comes as an item, after which the iterator ends.
    #[track_caller]
    fn load_iter<'c, U>(
        self,
        conn: &'c mut Connection,
    ) -> Result<LoadIter<'c, <Self::Query as Query>::SqlType, U>, Error>
    where
        Self::Query: QueryFragment<Sqlite> + Query,
        U: FromRow<<Self::Query as Query>::SqlType, Sqlite>,
    {
        let query = self.as_query();
        let binds = static_binds::<Sqlite, _>(&query);
        let rows = with_caller(Location::caller(), || {
            conn.query_iter(<Self::Query as StaticSql<Sqlite>>::SQL, &binds)
        })?;
        Ok(LoadIter::new(rows))
    }

    /// [`load`](Self::load) under Diesel's name.
    ///
    /// ```
    /// # quarry::__doc_setup!();
    /// # fn main() -> Result<(), quarry::Error> {
    /// use quarry::prelude::*;
    /// # let mut db = db();
    /// let names: Vec<String> = users::table.select(users::name).order(users::id).get_results(&mut db)?;
    /// assert_eq!(names.len(), 3);
    /// # Ok(()) }
    /// ```
    #[track_caller]
    fn get_results<U>(self, conn: &mut Connection) -> Result<Vec<U>, Error>
    where
        Self::Query: QueryFragment<Sqlite> + Query,
        U: FromRow<<Self::Query as Query>::SqlType, Sqlite>,
    {
        self.load(conn)
    }

    /// The first row, or [`Error::NotFound`]. Add
    /// [`.optional()`](crate::OptionalExtension::optional) to get `None`.
    /// SQLite stops after that row: later rows are never computed.
    ///
    /// ```
    /// # quarry::__doc_setup!();
    /// # fn main() -> Result<(), quarry::Error> {
    /// use quarry::prelude::*;
    /// # let mut db = db();
    /// let name: String = users::table.find(2).select(users::name).get_result(&mut db)?;
    /// assert_eq!(name, "Brian");
    /// let none: Option<String> = users::table.find(9).select(users::name).get_result(&mut db).optional()?;
    /// assert_eq!(none, None);
    /// # Ok(()) }
    /// ```
    #[doc(alias = "fetch_one")]
    #[track_caller]
    fn get_result<U>(self, conn: &mut Connection) -> Result<U, Error>
    where
        Self::Query: QueryFragment<Sqlite> + Query,
        U: FromRow<<Self::Query as Query>::SqlType, Sqlite>,
    {
        let query = self.as_query();
        let binds = static_binds::<Sqlite, _>(&query);
        let first = with_caller(Location::caller(), || {
            conn.query_static_first(<Self::Query as StaticSql<Sqlite>>::SQL, &binds, |row| {
                U::from_row(&mut RowReader::new(row))
            })
        })?;
        // Not `ok_or`: it would build (and drop) the error on every call.
        match first {
            Some(row) => Ok(row),
            None => Err(Error::NotFound),
        }
    }

    /// `LIMIT 1`, then the row, or [`Error::NotFound`].
    ///
    /// ```
    /// # quarry::__doc_setup!();
    /// # fn main() -> Result<(), quarry::Error> {
    /// use quarry::prelude::*;
    /// # let mut db = db();
    /// let top: String = posts::table.select(posts::title).order(posts::views.desc()).first(&mut db)?;
    /// assert_eq!(top, "Engines");
    /// # Ok(()) }
    /// ```
    #[track_caller]
    fn first<U>(self, conn: &mut Connection) -> Result<U, Error>
    where
        Self: QueryDsl,
        Limited<Self>: QueryFragment<Sqlite> + Query,
        U: FromRow<<Limited<Self> as Query>::SqlType, Sqlite>,
    {
        self.limit(1).get_result(conn)
    }

    /// Runs a statement and returns the number of rows it changed.
    ///
    /// ```
    /// # quarry::__doc_setup!();
    /// # fn main() -> Result<(), quarry::Error> {
    /// use quarry::prelude::*;
    /// # let mut db = db();
    /// let changed = quarry::update(posts::table.filter(posts::author_id.eq(1)))
    ///     .set(posts::published.eq(true))
    ///     .execute(&mut db)?;
    /// assert_eq!(changed, 2);
    /// # Ok(()) }
    /// ```
    #[track_caller]
    fn execute(self, conn: &mut Connection) -> Result<u64, Error>
    where
        Self::Query: QueryFragment<Sqlite>,
    {
        let query = self.as_query();
        let binds = static_binds::<Sqlite, _>(&query);
        with_caller(Location::caller(), || {
            conn.execute_static(<Self::Query as StaticSql<Sqlite>>::SQL, &binds)
        })
    }
}

impl<Q: AsQuery> RunQueryDsl for Q {}
