//! One PostgreSQL connection: a pipelining tokio-postgres client, its
//! prepared statements and its transaction state.

use std::future::Future;
use std::pin::pin;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::time::{Duration, Instant};

use futures_util::TryStreamExt;
use tokio_postgres::types::Type;
use tokio_postgres::{Client, NoTls, Row, RowStream, Statement};
use tracing::Instrument;

use super::bind::{self, PgParam};
use super::config::{StatementMode, parse_target};
use super::error_map::{Effect, effect, is_stale_statement, map_connect_error, map_error};
use super::statement_cache::StatementCache;
use super::tls::Tls;
use super::unnamed::LearnedTypes;
use crate::error::{Error, Result};
use crate::instrument;
use crate::value::{ParamType, TypedSql, Value};

/// The `db.system` of PostgreSQL statements in spans and slow-query reports.
pub(crate) const SYSTEM: &str = "postgresql";

/// A failure inside a statement, before it is mapped: driver errors are kept
/// so that a stale cached statement can be recognized and retried.
pub(crate) enum Fail {
    Pg(tokio_postgres::Error),
    Quarry(Error),
}

impl From<tokio_postgres::Error> for Fail {
    fn from(e: tokio_postgres::Error) -> Self {
        Fail::Pg(e)
    }
}

impl From<Error> for Fail {
    fn from(e: Error) -> Self {
        Fail::Quarry(e)
    }
}

/// A connection to a PostgreSQL server.
///
/// Every query method takes `&self`: queries started concurrently on one
/// connection (for example with `futures_util::future::join_all`) are
/// pipelined, sent without waiting for earlier answers. Statements run with
/// [`query_static`](Self::query_static) and friends are prepared once per
/// connection and cached by their SQL text.
///
/// [`transaction`](Self::transaction) takes `&mut self`. A connection whose
/// transaction was interrupted by a panic or by dropping the future is
/// rolled back before it can run anything else.
///
/// The connection closes when dropped.
pub struct Connection {
    pub(crate) client: Client,
    cache: StatementCache,
    /// Open transaction levels: 0 outside a transaction, 1 inside `BEGIN`,
    /// more inside savepoints. Changed only through `&mut self`.
    pub(crate) depth: u32,
    /// A statement failed inside the open transaction, which PostgreSQL now
    /// rejects every statement of until it is rolled back.
    pub(crate) aborted: AtomicBool,
    /// The connection was lost or left in an unknown state: never reuse it.
    pub(crate) broken: AtomicBool,
    /// When the pool got the connection back.
    pub(crate) idle_since: Option<Instant>,
    /// The default bound on each statement; see
    /// [`set_statement_timeout`](Self::set_statement_timeout).
    pub(crate) statement_timeout: Option<Duration>,
    /// How cancel requests reach the server.
    pub(crate) tls: Tls,
    /// Whether the server's transaction state may differ from `depth`; one
    /// of the `guard::STATE_*` values.
    pub(crate) state: AtomicU8,
    /// The cancel request sent for a statement abandoned mid-flight, awaited
    /// before the connection runs anything else.
    pub(crate) pending_cancel: Mutex<Option<tokio::task::JoinHandle<()>>>,
    /// A cancel request was sent on this connection. Delivered is not yet
    /// acted on: the server may signal its backend later, during another
    /// statement, so a pool closes the connection rather than lend it again.
    pub(crate) cancel_sent: AtomicBool,
    /// Where cancel requests go when quarry sends them itself (plain TCP).
    pub(crate) cancel_target: Option<super::cancel::CancelTarget>,
    /// Named and cached statements, or unnamed ones (`quarry_statements`).
    pub(crate) mode: StatementMode,
    /// In [`StatementMode::Unnamed`], the inferred parameter types of
    /// constant SQL.
    pub(crate) learned: LearnedTypes,
    /// Lent out by a pool to statements that share it (`pool::shared`).
    pub(crate) shared: AtomicBool,
    /// A statement was abandoned while the connection was shared: its cancel
    /// request waits until no other statement is in flight on it.
    pub(crate) deferred_cancel: AtomicBool,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("closed", &self.is_closed())
            .field("transaction_depth", &self.depth)
            .field("cached_statements", &self.cache.len())
            .finish_non_exhaustive()
    }
}

/// Runs the connection's I/O on the Tokio runtime until the client is
/// dropped or the server goes away.
fn spawn_driver(driver: impl Future<Output = Result<(), tokio_postgres::Error>> + Send + 'static) {
    tokio::spawn(async move {
        if let Err(e) = driver.await {
            tracing::debug!(target: "quarry::postgres", error = %e, "connection closed with an error");
        }
    });
}

/// Opens a tokio-postgres client with `tls` and spawns its driver. A TLS
/// failure is reported as such ([`Tls::explain`]).
pub(crate) async fn open_client(config: &tokio_postgres::Config, tls: &Tls) -> Result<Client> {
    let failed = |e: tokio_postgres::Error| match tls.explain(&e) {
        Some(why) => Error::Connect {
            target: super::config::connect_target(config),
            source: Box::new(why),
        },
        None => map_connect_error(e, config),
    };
    match tls {
        Tls::None => {
            let (client, driver) = config.connect(NoTls).await.map_err(failed)?;
            spawn_driver(driver);
            Ok(client)
        }
        #[cfg(feature = "tls")]
        Tls::Rustls(tls) => {
            let (client, driver) = config
                .connect(tls.connector.clone())
                .await
                .map_err(failed)?;
            spawn_driver(driver);
            Ok(client)
        }
    }
}

/// How a statement's text reaches the server.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Via {
    /// Through the statement cache, which reads the text for a `BEGIN`
    /// once, when it prepares it ([`Connection::start_static`]).
    Cache,
    /// As it is: read for a `BEGIN` at every run.
    Text,
}

/// Runs `statement` as one instrumented statement of `conn`, bounded by its
/// statement timeout and cancelled on the server if dropped mid-flight
/// (see [`Connection::guarded`]).
///
/// `statement` makes the statement's future where it is awaited, so that
/// it is stored once, not once per layer around it (an `async fn` keeps
/// a future it is given beside the one it awaits).
pub(crate) async fn observed<T, F: Future<Output = Result<T>>>(
    conn: &Connection,
    sql: &str,
    via: Via,
    statement: impl FnOnce() -> F,
    rows: impl FnOnce(&T) -> u64,
) -> Result<T> {
    let text = (via == Via::Text).then_some(sql);
    if !instrument::wanted() {
        // No subscriber takes the span and no slow-statement hook is set:
        // no span, no clock.
        crate::statement_count::record(sql);
        return conn.guarded(text, statement).await;
    }
    let observing = instrument::Statement::start(SYSTEM, sql);
    let result = conn
        .guarded(text, statement)
        .instrument(observing.span().clone())
        .await;
    match &result {
        Ok(value) => observing.finish(rows(value)),
        Err(e) => {
            tracing::debug!(parent: observing.span(), error = %e, "statement failed");
            observing.finish(0);
        }
    }
    result
}

impl Connection {
    /// Connects to the server at `url`, for example
    /// `postgres://user:password@localhost:5432/db?application_name=app`.
    ///
    /// Any parameter tokio-postgres understands may be given, such as
    /// `connect_timeout` or `options=-csearch_path%3Dmy_schema`. quarry
    /// reads three itself:
    ///
    /// - `sslmode`: `disable`, `prefer` (the default), `require`,
    ///   `verify-ca` or `verify-full`. With the crate's `tls` feature, TLS
    ///   is rustls: `prefer` uses TLS when the server accepts it (as libpq,
    ///   without checking the certificate unless `sslrootcert` is given);
    ///   `require` and `verify-full` insist on TLS and check the
    ///   certificate's chain and host name, `verify-ca` its chain only. A
    ///   failed check fails the connection; quarry never falls back to a
    ///   plain connection after it. Without the feature, connections are
    ///   plain and a string that asks for TLS is refused.
    /// - `sslrootcert=/path/ca.pem`: root certificates (PEM) trusted
    ///   besides the system's.
    /// - `quarry_statements=unnamed` selects [`StatementMode::Unnamed`], for
    ///   PgBouncer in transaction pooling mode.
    ///
    /// Must be called inside a Tokio runtime: the connection's I/O runs as a
    /// spawned task.
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), quarry_runtime::Error> {
    /// use quarry_runtime::postgres::Connection;
    ///
    /// let conn = Connection::connect(
    ///     "postgres://app:secret@db.internal/app?sslmode=verify-full&sslrootcert=/etc/app/db-ca.pem",
    /// )
    /// .await?;
    /// # let _ = conn;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn connect(url: &str) -> Result<Self> {
        let target = parse_target(url)?;
        let tls = Tls::for_request(&target.tls)?;
        let mut conn = Self::connect_config(&target.pg, &tls).await?;
        conn.mode = target.statements;
        Ok(conn)
    }

    /// Like [`connect`](Self::connect), with TLS configured by `tls`
    /// rather than by quarry: `sslmode` still says whether TLS is used
    /// (`verify-ca` and `verify-full` as `require`), and `tls` decides
    /// what is checked (`sslrootcert` is refused: add the certificate to
    /// `tls`'s root store). Needs the `tls` feature; [`rustls`] is
    /// re-exported, so that the configuration matches quarry's version.
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), quarry_runtime::Error> {
    /// use quarry_runtime::postgres::{Connection, rustls};
    ///
    /// let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    /// let mut roots = rustls::RootCertStore::empty();
    /// # let my_ca_der = rustls::pki_types::CertificateDer::from(Vec::new());
    /// roots.add(my_ca_der).expect("a valid CA certificate");
    /// let tls = rustls::ClientConfig::builder_with_provider(provider)
    ///     .with_safe_default_protocol_versions()
    ///     .expect("ring supports the default versions")
    ///     .with_root_certificates(roots)
    ///     .with_no_client_auth();
    /// let conn = Connection::connect_tls("postgres://app@db.internal/app?sslmode=require", tls).await?;
    /// # let _ = conn;
    /// # Ok(())
    /// # }
    /// ```
    #[cfg(feature = "tls")]
    pub async fn connect_tls(url: &str, tls: rustls::ClientConfig) -> Result<Self> {
        let target = parse_target(url)?;
        let tls = Tls::custom(&target.tls, tls)?;
        let mut conn = Self::connect_config(&target.pg, &tls).await?;
        conn.mode = target.statements;
        Ok(conn)
    }

    pub(crate) async fn connect_config(config: &tokio_postgres::Config, tls: &Tls) -> Result<Self> {
        if tokio::runtime::Handle::try_current().is_err() {
            return Err(Error::Config(
                "PostgreSQL connections must be opened inside a Tokio runtime".into(),
            ));
        }
        let connecting = Self::open(config, tls);
        let client = match config.get_connect_timeout().copied() {
            Some(after) => tokio::time::timeout(after, connecting)
                .await
                .map_err(|_| Error::Timeout {
                    setting: "connect_timeout",
                    after,
                })??,
            None => connecting.await?,
        };
        Ok(Connection {
            client,
            cache: StatementCache::default(),
            depth: 0,
            aborted: AtomicBool::new(false),
            broken: AtomicBool::new(false),
            idle_since: None,
            statement_timeout: None,
            tls: tls.clone(),
            state: AtomicU8::new(super::in_flight::STATE_CLEAN),
            pending_cancel: Mutex::new(None),
            cancel_sent: AtomicBool::new(false),
            cancel_target: super::cancel::CancelTarget::of(config),
            mode: StatementMode::Cached,
            learned: LearnedTypes::default(),
            shared: AtomicBool::new(false),
            deferred_cancel: AtomicBool::new(false),
        })
    }

    /// Opens the client and spawns its driver.
    async fn open(config: &tokio_postgres::Config, tls: &Tls) -> Result<Client> {
        open_client(config, tls).await
    }

    /// The tokio-postgres client, for what quarry does not wrap.
    ///
    /// Statements run through it are neither cached nor instrumented, and
    /// quarry's transaction bookkeeping does not see them.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Whether the connection is closed or was left unusable, for example by
    /// a lost connection. Every later statement fails.
    pub fn is_closed(&self) -> bool {
        self.client.is_closed() || self.broken.load(Ordering::Relaxed)
    }

    /// Whether a [`transaction`](Self::transaction) is open on this
    /// connection.
    pub fn in_transaction(&self) -> bool {
        self.depth > 0
    }

    /// How many statements this connection has prepared and cached.
    pub fn cached_statements(&self) -> usize {
        self.cache.len()
    }

    /// Forgets the cached prepared statements (they are deallocated on the
    /// server as they are dropped). Needed only after changing what their
    /// text refers to, such as the `search_path`; a statement whose result
    /// type changed is re-prepared automatically.
    pub fn clear_statement_cache(&self) {
        self.cache.clear();
        self.learned.clear();
    }

    /// Whether statements are prepared and cached or sent unnamed; see
    /// [`StatementMode`].
    pub fn statement_mode(&self) -> StatementMode {
        self.mode
    }

    /// Maps a driver error and records what it means for this connection.
    pub(crate) fn fail(&self, e: tokio_postgres::Error) -> Error {
        match effect(&e) {
            Effect::Lost => self.broken.store(true, Ordering::Relaxed),
            Effect::Statement if self.depth > 0 => self.aborted.store(true, Ordering::Relaxed),
            Effect::Statement | Effect::None => {}
        }
        map_error(e)
    }

    fn settle(&self, fail: Fail) -> Error {
        match fail {
            Fail::Pg(e) => self.fail(e),
            Fail::Quarry(e) => e,
        }
    }

    /// Starts `sql` through the statement cache. A cached statement the
    /// server no longer accepts (its result type changed, or it was
    /// deallocated) is dropped from the cache; outside a transaction it is
    /// prepared again and run once more.
    ///
    /// Run inside [`observed`] with [`Via::Cache`]: a statement whose
    /// text mentions `BEGIN` is noted here ([`Connection::may_begin`]).
    async fn start_static(&self, sql: TypedSql, params: &[Value<'_>]) -> Result<RowStream> {
        if self.mode == StatementMode::Unnamed {
            if super::in_flight::mentions_transaction_control(sql.sql) {
                self.may_begin();
            }
            // Boxed, as the unnamed mode is the rare one: its future would
            // make every cached statement's larger.
            return Box::pin(self.start_unnamed(sql.sql, Some(sql), sql.types, params))
                .await
                .map_err(|fail| self.settle(fail));
        }
        // The common case in one layer: a cache hit, the binds, the
        // driver's call. A miss and a failure go through boxed futures of
        // their own, which the common case's future does not carry.
        let prepared = match self.cache.hit(&sql) {
            Some(prepared) => prepared,
            None => match Box::pin(self.cache.prepare(&self.client, sql, params.len())).await {
                Ok(prepared) => prepared,
                Err(e) => return Box::pin(self.restart_static(sql, params, e)).await,
            },
        };
        if prepared.may_begin {
            self.may_begin();
        }
        let binds = bind::convert(prepared.statement.params(), params)?;
        match self
            .client
            .query_raw(&prepared.statement, binds.iter())
            .await
        {
            Ok(rows) => Ok(rows),
            Err(e) => Box::pin(self.restart_static(sql, params, e)).await,
        }
    }

    /// After `sql` failed with `e` in [`start_static`](Self::start_static):
    /// a cached statement the server no longer accepts is dropped from the
    /// cache and, outside a transaction, prepared again and run once more;
    /// any other failure is mapped.
    async fn restart_static(
        &self,
        sql: TypedSql,
        params: &[Value<'_>],
        e: tokio_postgres::Error,
    ) -> Result<RowStream> {
        if !is_stale_statement(&e) {
            return Err(self.fail(e));
        }
        self.cache.evict(&sql);
        if self.depth > 0 {
            return Err(self.fail(e));
        }
        tracing::debug!(target: "quarry::postgres", sql = sql.sql, "re-preparing a stale statement");
        let attempt: Result<RowStream, Fail> = async {
            let prepared = self.cache.get(&self.client, sql, params.len()).await?;
            if prepared.may_begin {
                self.may_begin();
            }
            start(&self.client, &prepared.statement, params).await
        }
        .await;
        match attempt {
            Ok(rows) => Ok(rows),
            Err(Fail::Pg(e)) if is_stale_statement(&e) => {
                self.cache.evict(&sql);
                Err(self.fail(e))
            }
            Err(fail) => Err(self.settle(fail)),
        }
    }

    /// Starts `sql` through the statement cache, bounded and instrumented
    /// as any statement, for a caller that reads the rows itself
    /// (`row_stream.rs`).
    pub(crate) async fn start_static_guarded(
        &self,
        sql: TypedSql,
        params: &[Value<'_>],
    ) -> Result<RowStream> {
        observed(
            self,
            sql.sql,
            Via::Cache,
            move || self.start_static(sql, params),
            |_| 0,
        )
        .await
    }

    /// Starts `sql` without caching its statement. When every parameter's
    /// type is known it takes one round trip (an unnamed statement);
    /// otherwise the statement is prepared first, so that the server
    /// infers the missing types.
    async fn start_uncached(
        &self,
        sql: &str,
        types: &[ParamType],
        params: &[Value<'_>],
    ) -> Result<RowStream> {
        let attempt: Result<RowStream, Fail> = async {
            if params.is_empty() {
                let none: [(PgParam<'_>, Type); 0] = [];
                return Ok(self.client.query_typed_raw(sql, none).await?);
            }
            if let Some(declared) = bind::all_declared(types, params.len()) {
                let binds = bind::convert(&declared, params)?;
                return Ok(self
                    .client
                    .query_typed_raw(sql, binds.into_iter().zip(declared))
                    .await?);
            }
            if self.mode == StatementMode::Unnamed {
                return self.start_unnamed(sql, None, types, params).await;
            }
            let statement = if types.is_empty() {
                self.client.prepare(sql).await?
            } else {
                let declared = bind::declared(types, params.len());
                self.client.prepare_typed(sql, &declared).await?
            };
            start(&self.client, &statement, params).await
        }
        .await;
        attempt.map_err(|fail| self.settle(fail))
    }

    /// Reads every row of `rows`, handing each to `each`; returns the row
    /// count of the statement's command tag (rows returned or affected).
    async fn drain(&self, rows: RowStream, mut each: impl FnMut(Row) -> Result<()>) -> Result<u64> {
        let mut rows = pin!(rows);
        let mut read = 0;
        while let Some(row) = rows.try_next().await.map_err(|e| self.fail(e))? {
            read += 1;
            each(row)?;
        }
        Ok(rows.rows_affected().unwrap_or(read))
    }

    /// Runs a query whose SQL text is a constant, returning every row.
    ///
    /// `sql` is a `&'static str`, whose parameters' types the server
    /// infers, or a [`TypedSql`] that declares them. The statement is
    /// prepared on first use and cached by `sql` for the life of the
    /// connection. Each `Value` is converted by its placeholder's type; a
    /// [`Value::List`] binds to an array placeholder, as in `id = ANY($1)`.
    pub async fn query_static(
        &self,
        sql: impl Into<TypedSql>,
        params: &[Value<'_>],
    ) -> Result<Vec<Row>> {
        let sql = sql.into();
        observed(
            self,
            sql.sql,
            Via::Cache,
            move || async move {
                let stream = self.start_static(sql, params).await?;
                let mut out = Vec::new();
                self.drain(stream, |row| {
                    out.push(row);
                    Ok(())
                })
                .await?;
                Ok(out)
            },
            |rows| rows.len() as u64,
        )
        .await
    }

    /// Like [`query_static`](Self::query_static), handing each row to
    /// `each` as it arrives instead of collecting them. An error from `each`
    /// stops the query and is returned. Returns the number of rows.
    pub async fn query_static_each<F>(
        &self,
        sql: impl Into<TypedSql>,
        params: &[Value<'_>],
        mut each: F,
    ) -> Result<u64>
    where
        F: FnMut(&Row) -> Result<()>,
    {
        let sql = sql.into();
        observed(
            self,
            sql.sql,
            Via::Cache,
            move || async move {
                let stream = self.start_static(sql, params).await?;
                self.drain(stream, |row| each(&row)).await
            },
            |rows| *rows,
        )
        .await
    }

    /// Runs a statement whose SQL text is a constant, returning the number
    /// of rows it affected. Cached like [`query_static`](Self::query_static).
    pub async fn execute_static(
        &self,
        sql: impl Into<TypedSql>,
        params: &[Value<'_>],
    ) -> Result<u64> {
        let sql = sql.into();
        observed(
            self,
            sql.sql,
            Via::Cache,
            move || async move {
                let stream = self.start_static(sql, params).await?;
                self.drain(stream, |_| Ok(())).await
            },
            |rows| *rows,
        )
        .await
    }

    /// Runs a query built at run time, returning every row. Its statement is
    /// not cached; the server infers its parameters' types.
    pub async fn query_raw(&self, sql: &str, params: &[Value<'_>]) -> Result<Vec<Row>> {
        self.query_raw_typed(sql, &[], params).await
    }

    /// Like [`query_raw`](Self::query_raw), with the parameters' types
    /// declared (the rest inferred). When every type is declared the query
    /// takes one round trip, as an unnamed statement.
    pub async fn query_raw_typed(
        &self,
        sql: &str,
        types: &[ParamType],
        params: &[Value<'_>],
    ) -> Result<Vec<Row>> {
        observed(
            self,
            sql,
            Via::Text,
            move || async move {
                let stream = self.start_uncached(sql, types, params).await?;
                let mut out = Vec::new();
                self.drain(stream, |row| {
                    out.push(row);
                    Ok(())
                })
                .await?;
                Ok(out)
            },
            |rows| rows.len() as u64,
        )
        .await
    }

    /// Runs a statement built at run time, returning the number of rows it
    /// affected. Its statement is not cached.
    pub async fn execute(&self, sql: &str, params: &[Value<'_>]) -> Result<u64> {
        observed(
            self,
            sql,
            Via::Text,
            move || async move {
                let stream = self.start_uncached(sql, &[], params).await?;
                self.drain(stream, |_| Ok(())).await
            },
            |rows| *rows,
        )
        .await
    }

    /// Runs one or more statements separated by `;`, without parameters and
    /// without returning rows (the simple query protocol).
    pub async fn batch_execute(&self, sql: &str) -> Result<()> {
        observed(
            self,
            sql,
            Via::Text,
            move || async move {
                self.client
                    .batch_execute(sql)
                    .await
                    .map_err(|e| self.fail(e))
            },
            |()| 0,
        )
        .await
    }

    /// Runs one or more statements separated by `;`, without parameters:
    /// the name [`sqlite::Connection::execute_batch`](crate::sqlite::Connection::execute_batch)
    /// has, so code reads the same on both backends. The same as
    /// [`batch_execute`](Self::batch_execute).
    pub async fn execute_batch(&self, sql: &str) -> Result<()> {
        self.batch_execute(sql).await
    }

    /// Runs `SELECT 1`, to check that the server answers.
    pub async fn ping(&self) -> Result<()> {
        self.batch_execute("SELECT 1").await
    }
}

/// Binds `params` to `statement` by its parameter types and starts it.
async fn start(
    client: &Client,
    statement: &Statement,
    params: &[Value<'_>],
) -> Result<RowStream, Fail> {
    let binds = bind::convert(statement.params(), params)?;
    Ok(client.query_raw(statement, binds.iter()).await?)
}
