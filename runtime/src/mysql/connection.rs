//! One connection to MariaDB or MySQL.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use mysql_async::prelude::Queryable;
use mysql_async::{Conn, Opts, OptsBuilder, Row};
use tracing::Instrument;

use super::{SYSTEM, bind, error_map};
use crate::error::{Error, Result};
use crate::instrument;
use crate::value::Value;

/// How many prepared statements a connection keeps, by SQL text, least
/// recently used closed first (the driver's own per-connection cache).
pub const STATEMENT_CACHE_SIZE: usize = 512;

/// How much longer than its `statement_timeout` quarry waits for a
/// statement the server was told to stop, before closing the connection.
const TIMEOUT_GRACE: Duration = Duration::from_secs(1);

/// A connection to MariaDB or MySQL.
///
/// Its methods take `&self`: statements sent at the same time run one after
/// the other (the protocol does not pipeline). Statements are prepared once
/// and cached by their text ([`STATEMENT_CACHE_SIZE`]). Every statement is
/// a `quarry.statement` tracing span with its SQL text, never its values.
pub struct Connection {
    conn: tokio::sync::Mutex<Conn>,
    pub(crate) depth: u32,
    /// The connection is in an unknown state (a statement was abandoned
    /// mid-flight, a transaction's end failed): nothing more runs on it.
    pub(crate) broken: AtomicBool,
    /// A nested transaction failed to roll back to its savepoint: the
    /// outer one must roll back.
    pub(crate) aborted: AtomicBool,
    pub(crate) idle_since: Option<Instant>,
    statement_timeout: Option<Duration>,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("depth", &self.depth)
            .field("broken", &self.broken.load(Ordering::Relaxed))
            .field("statement_timeout", &self.statement_timeout)
            .finish_non_exhaustive()
    }
}

/// The driver's options for `url`, with quarry's statement cache size and
/// session settings.
pub(crate) fn parse_url(url: &str) -> Result<Opts> {
    let opts = Opts::from_url(url)
        .map_err(|e| Error::Config(format!("invalid MariaDB/MySQL connection URL: {e}")))?;
    Ok(OptsBuilder::from_opts(opts)
        .stmt_cache_size(STATEMENT_CACHE_SIZE)
        // An UPDATE counts the rows it matched, as on PostgreSQL and
        // SQLite, not only those whose values changed.
        .client_found_rows(true)
        .init(vec![
            // MariaDB 10.11 returns no rows for `HAVING SUM(x) IN (SELECT v
            // FROM JSON_TABLE(..))` when it materializes the subquery, which
            // is how quarry sends lists: subquery materialization is off.
            "SET time_zone = '+00:00', sql_mode = CONCAT(@@sql_mode, ',STRICT_ALL_TABLES'), \
             optimizer_switch = 'materialization=off'",
        ])
        .into())
}

fn target(opts: &Opts) -> String {
    format!("{}:{}", opts.ip_or_hostname(), opts.tcp_port())
}

impl Connection {
    /// Connects to `url`: `mysql://user:password@host:port/database`.
    ///
    /// ```no_run
    /// # async fn demo() -> quarry_runtime::Result<()> {
    /// let conn = quarry_runtime::mysql::Connection::connect("mysql://root@127.0.0.1:3306/test").await?;
    /// conn.ping().await?;
    /// # Ok(()) }
    /// ```
    pub async fn connect(url: &str) -> Result<Self> {
        Self::open(parse_url(url)?, None).await
    }

    pub(crate) async fn open(opts: Opts, statement_timeout: Option<Duration>) -> Result<Self> {
        let target = target(&opts);
        let conn = Conn::new(opts)
            .await
            .map_err(|e| match error_map::map(e, None) {
                e @ Error::Config(_) => e,
                Error::ConnectionLost { source } => Error::Connect { target, source },
                other => Error::Connect {
                    target,
                    source: Box::new(other),
                },
            })?;
        let mut conn = Connection {
            conn: tokio::sync::Mutex::new(conn),
            depth: 0,
            broken: AtomicBool::new(false),
            aborted: AtomicBool::new(false),
            idle_since: None,
            statement_timeout: None,
        };
        conn.set_statement_timeout(statement_timeout).await?;
        Ok(conn)
    }

    /// Bounds each later statement on this connection: the server stops
    /// one that runs longer (MariaDB's `max_statement_time`), and it fails
    /// with [`Error::Timeout`]. `None` removes the bound.
    pub async fn set_statement_timeout(&mut self, timeout: Option<Duration>) -> Result<()> {
        let seconds = timeout.map_or(0.0, |t| t.as_secs_f64());
        if timeout.is_some() || self.statement_timeout.is_some() {
            match self
                .batch_execute(&format!("SET SESSION max_statement_time = {seconds}"))
                .await
            {
                // MySQL has no such variable; quarry's own bound remains.
                Err(Error::Mysql(_)) | Ok(()) => {}
                Err(e) => return Err(e),
            }
        }
        self.statement_timeout = timeout;
        Ok(())
    }

    /// The bound set by [`set_statement_timeout`](Self::set_statement_timeout).
    pub fn statement_timeout(&self) -> Option<Duration> {
        self.statement_timeout
    }

    /// Whether the connection is known to be closed or in an unknown state.
    pub fn is_closed(&self) -> bool {
        self.broken.load(Ordering::Relaxed)
    }

    /// The `mysql_async` connection, held for the caller until the guard
    /// is dropped, for what this API does not cover (quarry's migration
    /// runner uses it). Other statements on this connection wait meanwhile.
    ///
    /// Statements run through it are neither instrumented nor bounded by
    /// the statement timeout, and quarry's transaction bookkeeping does not
    /// see them. A connection an earlier error left in an unknown state is
    /// [`Error::ConnectionLost`].
    ///
    /// ```no_run
    /// # async fn demo(conn: &quarry_runtime::mysql::Connection) -> quarry_runtime::Result<()> {
    /// use quarry_runtime::mysql::mysql_async::prelude::Queryable;
    /// let mut raw = conn.raw().await?;
    /// let version: Option<String> = raw.query_first("SELECT VERSION()").await.ok().flatten();
    /// # let _ = version; Ok(()) }
    /// ```
    pub async fn raw(&self) -> Result<impl std::ops::DerefMut<Target = Conn> + Send + '_> {
        let conn = self.conn.lock().await;
        self.usable()?;
        Ok(conn)
    }

    /// Whether a quarry transaction is open on this connection.
    pub fn in_transaction(&self) -> bool {
        self.depth > 0
    }

    /// Runs `sql`, prepared and cached, and calls `f` on each row; returns
    /// the number of rows read, or affected for a statement without rows.
    async fn run<F>(&self, sql: &str, params: &[Value<'_>], mut f: F) -> Result<u64>
    where
        F: FnMut(&Row) -> Result<()> + Send,
    {
        let params = bind::params(params)?;
        let statement = instrument::Statement::start(SYSTEM, sql);
        let work = async {
            let mut conn = self.conn.lock().await;
            self.usable()?;
            let mut result = conn
                .exec_iter(sql, params)
                .await
                .map_err(|e| self.fail(e))?;
            let mut rows = 0u64;
            let mut failed = None;
            while let Some(row) = result.next().await.map_err(|e| self.fail(e))? {
                rows += 1;
                if failed.is_none()
                    && let Err(e) = f(&row)
                {
                    failed = Some(e);
                }
            }
            let columns = !result.columns_ref().is_empty();
            let affected = result.affected_rows();
            result.drop_result().await.map_err(|e| self.fail(e))?;
            match failed {
                Some(e) => Err(e),
                None => Ok(if columns { rows } else { affected }),
            }
        }
        .instrument(statement.span().clone());
        let outcome = self.bounded(work).await;
        statement.finish(*outcome.as_ref().unwrap_or(&0));
        outcome
    }

    /// `work` within the statement timeout and its grace: past it, the
    /// connection is closed.
    async fn bounded<T>(&self, work: impl Future<Output = Result<T>>) -> Result<T> {
        let Some(after) = self.statement_timeout else {
            return work.await;
        };
        match tokio::time::timeout(after + TIMEOUT_GRACE, work).await {
            Ok(done) => done,
            Err(_) => {
                self.broken.store(true, Ordering::Relaxed);
                Err(Error::Timeout {
                    setting: "statement_timeout",
                    after,
                })
            }
        }
    }

    fn usable(&self) -> Result<()> {
        if self.broken.load(Ordering::Relaxed) {
            return Err(Error::ConnectionLost {
                source: "the connection was closed after an error left it in an unknown state"
                    .into(),
            });
        }
        Ok(())
    }

    /// Maps a driver error, marking the connection broken when it is.
    fn fail(&self, e: mysql_async::Error) -> Error {
        if e.is_fatal() {
            self.broken.store(true, Ordering::Relaxed);
        }
        error_map::map(e, self.statement_timeout)
    }

    /// Runs a statement of constant text and calls `f` on each row, as
    /// it arrives. Returns the number of rows.
    ///
    /// ```no_run
    /// # async fn demo(conn: &quarry_runtime::mysql::Connection) -> quarry_runtime::Result<()> {
    /// use quarry_runtime::Value;
    /// let mut names = Vec::new();
    /// conn.query_static_each("SELECT name FROM users WHERE id = ?", &[Value::Int(1)], |row| {
    ///     names.push(row.get::<String, _>(0));
    ///     Ok(())
    /// })
    /// .await?;
    /// # Ok(()) }
    /// ```
    pub async fn query_static_each<F>(
        &self,
        sql: &'static str,
        params: &[Value<'_>],
        f: F,
    ) -> Result<u64>
    where
        F: FnMut(&Row) -> Result<()> + Send,
    {
        self.run(sql, params, f).await
    }

    /// Runs a statement of constant text; returns the rows it changed.
    ///
    /// ```no_run
    /// # async fn demo(conn: &quarry_runtime::mysql::Connection) -> quarry_runtime::Result<()> {
    /// use quarry_runtime::Value;
    /// let changed = conn.execute_static("DELETE FROM users WHERE id = ?", &[Value::Int(1)]).await?;
    /// # let _ = changed; Ok(()) }
    /// ```
    pub async fn execute_static(&self, sql: &'static str, params: &[Value<'_>]) -> Result<u64> {
        self.run(sql, params, |_| Ok(())).await
    }

    /// Runs SQL text built at run time, prepared and cached like constant
    /// text, and returns its rows.
    ///
    /// ```no_run
    /// # async fn demo(conn: &quarry_runtime::mysql::Connection) -> quarry_runtime::Result<()> {
    /// use quarry_runtime::Value;
    /// let rows = conn.query_raw("SELECT ? + 1", &[Value::Int(1)]).await?;
    /// assert_eq!(rows[0].get::<i64, _>(0), Some(2));
    /// # Ok(()) }
    /// ```
    pub async fn query_raw(&self, sql: &str, params: &[Value<'_>]) -> Result<Vec<Row>> {
        let mut rows = Vec::new();
        self.run(sql, params, |row| {
            rows.push(row.clone());
            Ok(())
        })
        .await?;
        Ok(rows)
    }

    /// Runs SQL text built at run time, prepared and cached like constant
    /// text, and calls `f` on each row as it arrives. Returns the number
    /// of rows.
    ///
    /// ```no_run
    /// # async fn demo(conn: &quarry_runtime::mysql::Connection) -> quarry_runtime::Result<()> {
    /// use quarry_runtime::Value;
    /// let sql = format!("SELECT id FROM users WHERE id > ? ORDER BY {}", "id");
    /// let mut ids = Vec::new();
    /// conn.query_each(&sql, &[Value::Int(1)], |row| {
    ///     ids.push(row.get::<i64, _>(0));
    ///     Ok(())
    /// })
    /// .await?;
    /// # Ok(()) }
    /// ```
    pub async fn query_each<F>(&self, sql: &str, params: &[Value<'_>], f: F) -> Result<u64>
    where
        F: FnMut(&Row) -> Result<()> + Send,
    {
        self.run(sql, params, f).await
    }

    /// Runs one statement of SQL text built at run time; returns the rows
    /// it changed.
    ///
    /// ```no_run
    /// # async fn demo(conn: &quarry_runtime::mysql::Connection) -> quarry_runtime::Result<()> {
    /// use quarry_runtime::Value;
    /// conn.execute("INSERT INTO users (name) VALUES (?)", &[Value::Text("Ada")]).await?;
    /// # Ok(()) }
    /// ```
    pub async fn execute(&self, sql: &str, params: &[Value<'_>]) -> Result<u64> {
        self.run(sql, params, |_| Ok(())).await
    }

    /// Runs statements separated by `;`, without parameters and without
    /// preparing them (DDL, session settings).
    ///
    /// ```no_run
    /// # async fn demo(conn: &quarry_runtime::mysql::Connection) -> quarry_runtime::Result<()> {
    /// conn.batch_execute("CREATE TABLE t (id INT PRIMARY KEY); INSERT INTO t VALUES (1)").await?;
    /// # Ok(()) }
    /// ```
    pub async fn batch_execute(&self, sql: &str) -> Result<()> {
        let statement = instrument::Statement::start(SYSTEM, sql);
        let work = async {
            let mut conn = self.conn.lock().await;
            self.usable()?;
            conn.query_drop(sql).await.map_err(|e| self.fail(e))
        }
        .instrument(statement.span().clone());
        let outcome = self.bounded(work).await;
        statement.finish(0);
        outcome
    }

    /// [`batch_execute`](Self::batch_execute) under the SQLite connection's
    /// name.
    ///
    /// ```no_run
    /// # async fn demo(conn: &quarry_runtime::mysql::Connection) -> quarry_runtime::Result<()> {
    /// conn.execute_batch("DROP TABLE IF EXISTS t").await?;
    /// # Ok(()) }
    /// ```
    pub async fn execute_batch(&self, sql: &str) -> Result<()> {
        self.batch_execute(sql).await
    }

    /// Asks the server whether it is there (`COM_PING`).
    ///
    /// ```no_run
    /// # async fn demo(conn: &quarry_runtime::mysql::Connection) -> quarry_runtime::Result<()> {
    /// conn.ping().await?;
    /// # Ok(()) }
    /// ```
    pub async fn ping(&self) -> Result<()> {
        let mut conn = self.conn.lock().await;
        self.usable()?;
        conn.ping().await.map_err(|e| self.fail(e))
    }

    /// The `AUTO_INCREMENT` value the last `INSERT` on this connection
    /// generated, if it generated one.
    ///
    /// ```no_run
    /// # async fn demo(conn: &quarry_runtime::mysql::Connection) -> quarry_runtime::Result<()> {
    /// conn.execute("INSERT INTO users (name) VALUES ('Ada')", &[]).await?;
    /// let id = conn.last_insert_id().await;
    /// # let _ = id; Ok(()) }
    /// ```
    pub async fn last_insert_id(&self) -> Option<u64> {
        self.conn.lock().await.last_insert_id()
    }
}
