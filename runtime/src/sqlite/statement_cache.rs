//! The connection together with its cache of prepared statements for static
//! SQL.
//!
//! `rusqlite`'s own `prepare_cached` builds an `Arc<str>` from the SQL text
//! on every call, a copy of the whole text. This cache is keyed by the
//! address and length of a `&'static str` instead: a hit neither copies nor
//! hashes the text. Two `&'static str` with one address and length always
//! hold the same text, since static text can neither change nor be freed.
//!
//! A `rusqlite::Statement` borrows its `rusqlite::Connection`, so the cache
//! and the connection are kept in one self-referential cell.

use hashlink::LruCache;

use crate::Result;

use super::error_map::map_error;

/// A cache key: the address and length of a `&'static str`.
type Key = (usize, usize);

/// Statements prepared on the connection that owns them.
type StatementMap<'conn> = LruCache<Key, rusqlite::Statement<'conn>>;

self_cell::self_cell!(
    /// A connection and the statements prepared on it.
    struct Cell {
        owner: rusqlite::Connection,

        #[not_covariant]
        dependent: StatementMap,
    }
);

// SAFETY: `Cell` is not `Send` only because a `rusqlite::Statement` holds a
// `&rusqlite::Connection` (and `rusqlite::Connection` is not `Sync`) and a
// raw `sqlite3_stmt` pointer. Every statement in the cell was prepared on the
// connection in the same cell, and the cell moves them together: once moved,
// no other thread holds a reference to the connection, because every borrow
// of the owner or of the statements is tied to a borrow of the cell, and
// `Cell` is not `Sync`. SQLite allows a connection and its statements to be
// used from any thread one at a time (rusqlite's own statement cache is
// `Send` by the same argument).
unsafe impl Send for Cell {}

/// A `rusqlite::Connection` with an LRU cache of statements prepared from
/// `&'static str` SQL.
pub(crate) struct CachedConnection {
    cell: Cell,
}

impl CachedConnection {
    /// Wraps `conn` with an empty cache of at most `capacity` statements.
    pub(crate) fn new(conn: rusqlite::Connection, capacity: usize) -> Self {
        CachedConnection {
            cell: Cell::new(conn, |_| LruCache::new(capacity)),
        }
    }

    /// The connection.
    pub(crate) fn conn(&self) -> &rusqlite::Connection {
        self.cell.borrow_owner()
    }

    /// Gives the connection back, finalizing every cached statement.
    pub(crate) fn into_conn(self) -> rusqlite::Connection {
        self.cell.into_owner()
    }

    /// How many statements the cache holds.
    pub(crate) fn len(&self) -> usize {
        self.cell.with_dependent(|_, cache| cache.len())
    }

    /// How many statements the cache may hold.
    pub(crate) fn capacity(&self) -> usize {
        self.cell.with_dependent(|_, cache| cache.capacity())
    }

    /// Changes the capacity, finalizing the least recently used statements
    /// beyond it. With 0, static statements are prepared on every use.
    pub(crate) fn set_capacity(&mut self, capacity: usize) {
        self.cell
            .with_dependent_mut(|_, cache| cache.set_capacity(capacity));
    }

    /// Finalizes every cached statement.
    pub(crate) fn clear(&mut self) {
        self.cell.with_dependent_mut(|_, cache| cache.clear());
    }

    /// Runs `f` with the statement prepared from `sql`, from the cache or
    /// prepared now and cached. On a hit nothing is allocated.
    ///
    /// Inlined into each statement's caller: the statement that ran last
    /// (the back of the LRU list) is compared first, which costs a pointer
    /// compare and saves the hash lookup when a statement runs again (a
    /// loop); any other hit is one hash lookup; a miss (preparing the
    /// statement) is out of line.
    #[inline]
    pub(crate) fn with_static<R>(
        &mut self,
        sql: &'static str,
        f: impl for<'c> FnOnce(&'c rusqlite::Connection, &mut rusqlite::Statement<'c>) -> Result<R>,
    ) -> Result<R> {
        let key: Key = (sql.as_ptr() as usize, sql.len());
        self.cell.with_dependent_mut(|conn, cache| {
            // The most recently used statement, already where a hit would
            // move it.
            if let Some((last, stmt)) = cache.iter_mut().next_back()
                && *last == key
            {
                return f(conn, stmt);
            }
            match cache.get_mut(&key) {
                Some(stmt) => f(conn, stmt),
                None => prepare_and_run(conn, cache, sql, key, f),
            }
        })
    }
}

/// A miss of [`CachedConnection::with_static`]: prepares `sql`, caches it
/// (unless the capacity is 0) and runs `f` with it.
#[inline(never)]
fn prepare_and_run<'c, R>(
    conn: &'c rusqlite::Connection,
    cache: &mut StatementMap<'c>,
    sql: &'static str,
    key: Key,
    f: impl FnOnce(&'c rusqlite::Connection, &mut rusqlite::Statement<'c>) -> Result<R>,
) -> Result<R> {
    let mut stmt = conn.prepare(sql).map_err(map_error)?;
    if cache.capacity() == 0 {
        return f(conn, &mut stmt);
    }
    cache.insert(key, stmt);
    match cache.get_mut(&key) {
        Some(stmt) => f(conn, stmt),
        // Just inserted; prepare once more rather than panic.
        None => f(conn, &mut conn.prepare(sql).map_err(map_error)?),
    }
}
