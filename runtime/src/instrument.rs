//! Instrumentation shared by every backend: one `tracing` span per
//! statement, carrying the SQL text, the duration and the row count, and a
//! hook for slow statements.

use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// What the slow-statement hook receives.
#[derive(Debug, Clone, Copy)]
pub struct SlowQuery<'a> {
    /// `"sqlite"` or `"postgresql"`.
    pub system: &'static str,
    /// The statement's SQL text, with placeholders and no values.
    pub sql: &'a str,
    /// How long the statement took.
    pub duration: Duration,
    /// Rows returned or affected.
    pub rows: u64,
}

type Hook = Box<dyn Fn(&SlowQuery<'_>) + Send + Sync>;

static SLOW_THRESHOLD_US: AtomicU64 = AtomicU64::new(u64::MAX);
static SLOW_HOOK: RwLock<Option<Hook>> = RwLock::new(None);

/// Calls `hook` for every statement that takes at least `threshold`, on any
/// connection of this process. Statements are also reported as a `tracing`
/// warning event. Replaces any hook set before.
pub fn set_slow_query_hook(
    threshold: Duration,
    hook: impl Fn(&SlowQuery<'_>) + Send + Sync + 'static,
) {
    if let Ok(mut slot) = SLOW_HOOK.write() {
        *slot = Some(Box::new(hook));
    }
    let us = u64::try_from(threshold.as_micros()).unwrap_or(u64::MAX);
    SLOW_THRESHOLD_US.store(us, Ordering::Relaxed);
}

/// Removes the slow-statement hook.
pub fn clear_slow_query_hook() {
    SLOW_THRESHOLD_US.store(u64::MAX, Ordering::Relaxed);
    if let Ok(mut slot) = SLOW_HOOK.write() {
        *slot = None;
    }
}

/// Whether anything could want a statement's span or duration: a
/// subscriber that takes `DEBUG` spans, or a slow-statement hook. One
/// relaxed atomic load each; when neither, a statement needs no span, no
/// clock and no bookkeeping at all.
#[inline]
pub(crate) fn wanted() -> bool {
    tracing::level_enabled!(tracing::Level::DEBUG)
        || SLOW_THRESHOLD_US.load(Ordering::Relaxed) != u64::MAX
}

/// Times one statement inside its span. Create it with [`Statement::start`],
/// run the statement inside `span()`, then call [`Statement::finish`].
pub(crate) struct Statement<'a> {
    system: &'static str,
    sql: &'a str,
    span: tracing::Span,
    /// When the statement started; `None` when nothing will read its
    /// duration (no subscriber takes the span and no slow-statement hook
    /// is set), which saves two clock reads per statement.
    started: Option<Instant>,
}

impl<'a> Statement<'a> {
    pub(crate) fn start(system: &'static str, sql: &'a str) -> Self {
        crate::statement_count::record(sql);
        let span = tracing::debug_span!(
            "quarry.statement",
            db.system = system,
            db.statement = sql,
            rows = tracing::field::Empty,
            duration_us = tracing::field::Empty,
        );
        let timed = !span.is_disabled() || SLOW_THRESHOLD_US.load(Ordering::Relaxed) != u64::MAX;
        Statement {
            system,
            sql,
            span,
            started: timed.then(Instant::now),
        }
    }

    /// The statement's span, to enter while it runs.
    pub(crate) fn span(&self) -> &tracing::Span {
        &self.span
    }

    /// Records the row count and duration, and reports a slow statement.
    pub(crate) fn finish(self, rows: u64) {
        let Some(started) = self.started else {
            return;
        };
        let duration = started.elapsed();
        let us = u64::try_from(duration.as_micros()).unwrap_or(u64::MAX);
        self.span.record("rows", rows);
        self.span.record("duration_us", us);
        if us >= SLOW_THRESHOLD_US.load(Ordering::Relaxed) {
            let _entered = self.span.enter();
            tracing::warn!(duration_us = us, rows, "slow statement");
            if let Ok(slot) = SLOW_HOOK.read()
                && let Some(hook) = slot.as_ref()
            {
                hook(&SlowQuery {
                    system: self.system,
                    sql: self.sql,
                    duration,
                    rows,
                });
            }
        }
    }
}
