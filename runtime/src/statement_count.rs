//! Counting statements inside a scope, to catch N+1 queries: the same
//! statement run once per row of an earlier result, where one statement
//! for all the rows would do.
//!
//! A [`StatementScope`] counts every statement that runs while it is
//! entered, keyed by the statement's SQL text (its address first: a
//! statement built at compile time has one `&'static str`, so a repeat
//! costs a pointer compare and one text compare). When one text runs more
//! than the scope's threshold, the scope reports it once through `tracing`
//! (a warning on the target `quarry::n_plus_one`, with the text, the count
//! and the caller's file and line) and keeps it for [`StatementScope::report`].
//!
//! Nothing is counted unless a scope is entered somewhere in the process:
//! each statement then pays one relaxed atomic load.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::panic::Location;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};

/// How many scopes are entered, on any thread: zero means nothing counts.
static LIVE: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// The scope entered on this thread, if any.
    static CURRENT: RefCell<Option<Arc<Inner>>> = const { RefCell::new(None) };
    /// Where the statement that is about to run was called from: the
    /// outermost DSL call (`load`, `load_async`, an eager load) sets it.
    static CALLER: Cell<Option<&'static Location<'static>>> = const { Cell::new(None) };
}

/// The threshold of a scope made with [`StatementScope::new`].
pub const DEFAULT_THRESHOLD: u64 = 5;

/// Counts the statements run while it is entered, and reports any text run
/// more than a threshold of times: the sign of a query issued once per row.
///
/// Enter it for a request or a test with [`enter`](Self::enter) (synchronous
/// code, or a single-threaded async runtime), or wrap a future with
/// [`scope`](Self::scope) (a future that may move between threads). A scope
/// made with [`new`](Self::new) counts only in debug builds
/// (`debug_assertions`); [`enabled`](Self::enabled) turns it on or off
/// explicitly.
///
/// ```
/// use quarry_runtime::StatementScope;
/// let mut db = quarry_runtime::sqlite::Connection::open_in_memory()?;
/// db.execute_batch("CREATE TABLE t (id INTEGER)")?;
/// let scope = StatementScope::new().enabled(true).threshold(2);
/// {
///     let _entered = scope.enter();
///     for id in 0..3 {
///         db.execute("INSERT INTO t (id) VALUES (?)", &[quarry_runtime::Value::Int(id)])?;
///     }
/// }
/// let report = scope.report();
/// assert_eq!(report.total(), 3);
/// assert_eq!(report.repeated().count(), 1);
/// # Ok::<(), quarry_runtime::Error>(())
/// ```
#[derive(Clone)]
pub struct StatementScope {
    inner: Arc<Inner>,
}

struct Inner {
    threshold: u64,
    enabled: bool,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    total: u64,
    /// Keyed by the text's address and length.
    by_address: HashMap<(usize, usize), Entry>,
    /// Texts whose address was reused by another text (run-time SQL).
    by_text: HashMap<Box<str>, Entry>,
}

struct Entry {
    text: Box<str>,
    count: u64,
    caller: Option<&'static Location<'static>>,
}

impl Default for StatementScope {
    fn default() -> Self {
        Self::new()
    }
}

impl StatementScope {
    /// A scope with the default threshold ([`DEFAULT_THRESHOLD`]), counting
    /// in debug builds only.
    pub fn new() -> Self {
        Self::build(DEFAULT_THRESHOLD, cfg!(debug_assertions))
    }

    fn build(threshold: u64, enabled: bool) -> Self {
        StatementScope {
            inner: Arc::new(Inner {
                threshold,
                enabled,
                state: Mutex::new(State::default()),
            }),
        }
    }

    /// The same scope, reporting a text run more than `threshold` times.
    /// Counts so far are dropped.
    #[must_use]
    pub fn threshold(self, threshold: u64) -> Self {
        Self::build(threshold, self.inner.enabled)
    }

    /// The same scope, counting or not whatever the build. Counts so far
    /// are dropped.
    #[must_use]
    pub fn enabled(self, enabled: bool) -> Self {
        Self::build(self.inner.threshold, enabled)
    }

    /// Counts the statements this thread runs until the guard is dropped.
    /// Scopes nest: the inner one counts while it is entered.
    pub fn enter(&self) -> ScopeGuard {
        ScopeGuard {
            previous: self.install(),
            installed: self.inner.enabled,
            not_send: std::marker::PhantomData,
        }
    }

    /// Counts the statements `future` runs, on whichever thread polls it.
    pub fn scope<F: Future>(&self, future: F) -> Scoped<F> {
        Scoped {
            scope: self.clone(),
            future: Box::pin(future),
        }
    }

    fn install(&self) -> Option<Arc<Inner>> {
        if !self.inner.enabled {
            return None;
        }
        LIVE.fetch_add(1, Ordering::Relaxed);
        CURRENT.with(|current| current.replace(Some(self.inner.clone())))
    }

    /// What was counted so far.
    pub fn report(&self) -> StatementReport {
        let state = lock(&self.inner.state);
        let mut statements: Vec<StatementCount> = state
            .by_address
            .values()
            .chain(state.by_text.values())
            .map(|e| StatementCount {
                sql: e.text.to_string(),
                count: e.count,
                caller: e.caller,
            })
            .collect();
        statements.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.sql.cmp(&b.sql)));
        StatementReport {
            total: state.total,
            threshold: self.inner.threshold,
            statements,
        }
    }
}

impl fmt::Debug for StatementScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StatementScope")
            .field("threshold", &self.inner.threshold)
            .field("enabled", &self.inner.enabled)
            .finish_non_exhaustive()
    }
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    // A panic while counting leaves counts that are still counts.
    state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn uninstall(previous: Option<Arc<Inner>>) {
    CURRENT.with(|current| *current.borrow_mut() = previous);
    LIVE.fetch_sub(1, Ordering::Relaxed);
}

/// A [`StatementScope`] entered on this thread; dropping it leaves the scope.
#[must_use = "the scope counts only while the guard is held"]
pub struct ScopeGuard {
    previous: Option<Arc<Inner>>,
    installed: bool,
    not_send: std::marker::PhantomData<*const ()>,
}

impl Drop for ScopeGuard {
    fn drop(&mut self) {
        if self.installed {
            uninstall(self.previous.take());
        }
    }
}

impl fmt::Debug for ScopeGuard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ScopeGuard").finish_non_exhaustive()
    }
}

/// A future whose statements a [`StatementScope`] counts: see
/// [`StatementScope::scope`].
pub struct Scoped<F> {
    scope: StatementScope,
    future: Pin<Box<F>>,
}

impl<F: Future> Future for Scoped<F> {
    type Output = F::Output;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = &mut *self;
        let installed = this.scope.inner.enabled;
        let previous = this.scope.install();
        let out = this.future.as_mut().poll(cx);
        if installed {
            uninstall(previous);
        }
        out
    }
}

impl<F> fmt::Debug for Scoped<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scoped")
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

/// One statement text and how often it ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementCount {
    /// The SQL text, with placeholders.
    pub sql: String,
    /// How many times it ran inside the scope.
    pub count: u64,
    /// Where the first run was called from, when it went through quarry's
    /// DSL (`load`, `execute`, their `_async` twins, an eager load).
    pub caller: Option<&'static Location<'static>>,
}

impl fmt::Display for StatementCount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} times: {}", self.count, self.sql)?;
        if let Some(caller) = self.caller {
            write!(f, " (called at {}:{})", caller.file(), caller.line())?;
        }
        Ok(())
    }
}

/// What a [`StatementScope`] counted.
#[derive(Debug, Clone)]
pub struct StatementReport {
    total: u64,
    threshold: u64,
    statements: Vec<StatementCount>,
}

impl StatementReport {
    /// Every statement run inside the scope.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// Each text with its count, the most frequent first.
    pub fn statements(&self) -> &[StatementCount] {
        &self.statements
    }

    /// The texts run more than the threshold: the likely N+1 queries.
    pub fn repeated(&self) -> impl Iterator<Item = &StatementCount> {
        self.statements.iter().filter(|s| s.count > self.threshold)
    }

    /// Panics, listing them, when a text ran more than the threshold: for
    /// tests that must not issue per-row queries.
    #[track_caller]
    pub fn assert_no_repeats(&self) {
        let repeated: Vec<String> = self.repeated().map(ToString::to_string).collect();
        assert!(
            repeated.is_empty(),
            "statements ran more than {} times (N+1 queries?):\n{}",
            self.threshold,
            repeated.join("\n")
        );
    }
}

/// Counts one statement in the scope entered on this thread. Called by
/// every backend as a statement starts.
#[inline]
pub(crate) fn record(sql: &str) {
    if LIVE.load(Ordering::Relaxed) != 0 {
        record_in_scope(sql);
    }
}

/// [`record`] when some scope is entered, out of line.
#[inline(never)]
fn record_in_scope(sql: &str) {
    CURRENT.with(|current| {
        if let Some(inner) = current.borrow().as_ref() {
            inner.count(sql);
        }
    });
}

impl Inner {
    fn count(&self, sql: &str) {
        let caller = CALLER.with(Cell::get);
        let mut state = lock(&self.state);
        state.total += 1;
        let key = (sql.as_ptr() as usize, sql.len());
        let state = &mut *state;
        let entry = match state.by_address.get(&key) {
            Some(entry) if &*entry.text != sql => state
                .by_text
                .entry(sql.into())
                .or_insert_with(|| Entry::new(sql, caller)),
            _ => state
                .by_address
                .entry(key)
                .or_insert_with(|| Entry::new(sql, caller)),
        };
        entry.count += 1;
        if entry.count == self.threshold + 1 {
            let (file, line) = entry
                .caller
                .map_or(("<unknown>", 0), |c| (c.file(), c.line()));
            let text: &str = &entry.text;
            tracing::warn!(
                target: "quarry::n_plus_one",
                statement = text,
                count = entry.count,
                file,
                line,
                "the same statement ran more than {} times in one scope: a query per row?",
                self.threshold
            );
        }
    }
}

impl Entry {
    fn new(sql: &str, caller: Option<&'static Location<'static>>) -> Self {
        Entry {
            text: sql.into(),
            count: 0,
            caller,
        }
    }
}

/// Runs `f` with `caller` as the place the statements it runs were called
/// from, unless an outer call already set one. For quarry's DSL.
#[doc(hidden)]
#[inline]
pub fn with_caller<T>(caller: &'static Location<'static>, f: impl FnOnce() -> T) -> T {
    if LIVE.load(Ordering::Relaxed) == 0 {
        return f();
    }
    with_caller_in_scope(caller, f)
}

/// [`with_caller`] when some scope is entered, out of line.
#[inline(never)]
fn with_caller_in_scope<T>(caller: &'static Location<'static>, f: impl FnOnce() -> T) -> T {
    if CALLER.with(Cell::get).is_some() {
        return f();
    }
    CALLER.with(|c| c.set(Some(caller)));
    let out = f();
    CALLER.with(|c| c.set(None));
    out
}

/// Runs the future `make` makes, naming `caller` as the place its
/// statements were called from: [`with_caller`] around each poll. Pins on
/// its own frame, so it adds no allocation; and since the future is made
/// here, it is stored once (an `async fn` given a future keeps it beside
/// the one it awaits, which doubles the size of every statement's future).
#[doc(hidden)]
pub async fn with_caller_async<F: Future>(
    caller: &'static Location<'static>,
    make: impl FnOnce() -> F,
) -> F::Output {
    let mut future = std::pin::pin!(make());
    std::future::poll_fn(|cx| with_caller(caller, || future.as_mut().poll(cx))).await
}
