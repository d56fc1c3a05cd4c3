//! Pooled connections lent to statements run on `&Pool`, shared: every
//! statement that runs at the same time on one of them is pipelined there.
//!
//! A statement on `&Pool` outside a transaction needs a connection only for
//! as long as it is in flight, and a tokio-postgres client pipelines
//! requests from any number of tasks. So instead of checking a connection
//! out and in for each statement (deadpool's semaphore, its queue, the
//! recycle hook: thousands of instructions, and at most `max_size`
//! statements in flight), the pool keeps up to `max_size` of its
//! connections lent out here, and a statement takes the least loaded one:
//! one short lock and an `Arc` clone. Transactions and [`Pool::get`] still
//! check a connection out for themselves alone.
//!
//! [`Pool::get`]: super::Pool::get

use std::ops::Deref;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::sync::Notify;

use super::connection::Connection;
use super::pool::PooledConnection;

/// A pooled connection lent to statements run on a [`Pool`](super::Pool)
/// outside a transaction, shared with the other statements running at
/// the same time: they are pipelined on it.
///
/// It dereferences to [`Connection`] for reading, never for writing:
/// [`Connection::transaction`] needs a connection of one's own, from
/// [`Pool::get`](super::Pool::get). SQL that changes the session (`SET`,
/// `BEGIN`) does not belong here either: other statements would see it.
///
/// # Cancellation
///
/// A cancel request cancels whatever the server runs for the connection at
/// that moment, which on a shared connection may be someone else's
/// statement. So a statement abandoned mid-flight on a shared connection
/// (its future dropped, or its statement timeout elapsed) takes the
/// connection out of the pool's rotation at once, and its cancel request
/// is sent only when the statements then in flight there have finished.
/// Until then they wait behind the abandoned statement, as they would on
/// the server anyway. The connection is then closed, not reused: by then
/// the abandoned statement may have finished, and a cancel request that
/// the server handles late would fail whatever ran next.
#[derive(Clone)]
pub struct SharedConnection {
    lent: Arc<Lent>,
}

/// The one holder of a lent connection; dropped when the pool's slot and
/// every statement on it are done with it.
struct Lent {
    conn: PooledConnection,
}

impl Lent {
    fn new(conn: PooledConnection) -> Lent {
        conn.shared.store(true, Ordering::Relaxed);
        Lent { conn }
    }
}

impl Drop for Lent {
    fn drop(&mut self) {
        // Nobody else runs anything on it now: a cancel request deferred
        // for an abandoned statement can only hit that statement, if it
        // still runs. If it has finished, a cancel the server handles late
        // could fail the next statement sent, so the connection is
        // discarded rather than reused: no next statement.
        self.conn.shared.store(false, Ordering::Relaxed);
        if self.conn.deferred_cancel.swap(false, Ordering::Relaxed) {
            self.conn.broken.store(true, Ordering::Relaxed);
            self.conn.cancel_on_server();
        }
    }
}

impl Deref for SharedConnection {
    type Target = Connection;

    fn deref(&self) -> &Connection {
        &self.lent.conn
    }
}

impl std::fmt::Debug for SharedConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedConnection")
            .field("in_flight", &self.in_flight())
            .field("connection", &**self)
            .finish()
    }
}

impl SharedConnection {
    /// How many statements hold it now, besides the pool's own slot.
    pub(crate) fn in_flight(&self) -> usize {
        Arc::strong_count(&self.lent) - 1
    }

    /// Whether new statements may still be sent to it: open, outside a
    /// transaction, and no statement on it was abandoned. (A lent
    /// connection never has a cancel request of its own in flight: the
    /// pool delivered any before lending it, and later ones are deferred.)
    fn usable(&self) -> bool {
        // One walk to the connection (`Arc`, pooled object, `Option`), not
        // one per field: `pick` asks this of every lent connection.
        let conn: &Connection = self;
        !conn.is_closed()
            && !conn.in_transaction()
            && !conn.deferred_cancel.load(Ordering::Relaxed)
            && conn.state.load(Ordering::Relaxed) == super::in_flight::STATE_CLEAN
    }

    /// The pooled connection under it, for the pool's own checks.
    pub(crate) fn pooled(&self) -> &PooledConnection {
        &self.lent.conn
    }
}

/// The index and load of the least loaded of `lent`, the first of them on
/// a tie; `None` when one of them is no longer [usable](SharedConnection::usable).
/// One pass, which reads each connection's state once.
fn least_loaded(lent: &[SharedConnection]) -> Option<Option<(usize, usize)>> {
    let mut best: Option<(usize, usize)> = None;
    for (i, conn) in lent.iter().enumerate() {
        if !conn.usable() {
            return None;
        }
        let load = conn.in_flight();
        if best.is_none_or(|(_, least)| load < least) {
            best = Some((i, load));
        }
    }
    Some(best)
}

/// The connections a pool lends out, at most `limit` of them.
pub(crate) struct Lending {
    slots: Mutex<Slots>,
    /// Woken when a connection was lent out, or failed to be.
    changed: Notify,
    limit: usize,
}

#[derive(Default)]
struct Slots {
    lent: Vec<SharedConnection>,
    /// Checkouts under way to lend a connection out.
    filling: usize,
}

/// What a statement on `&Pool` does next.
pub(crate) enum Pick {
    /// Run on this connection.
    Ready(SharedConnection),
    /// Check a connection out of the pool and [`lend`](Lending::lend) it.
    Fill,
    /// Every lent connection is being filled: wait for one.
    Wait,
}

impl Lending {
    pub(crate) fn new(limit: usize) -> Lending {
        Lending {
            slots: Mutex::new(Slots::default()),
            changed: Notify::new(),
            limit,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Slots> {
        // The slots stay consistent whatever panicked while they were locked.
        self.slots.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The least loaded usable connection, or what to do when there is
    /// none worth taking. `room` says whether the pool could hand out
    /// another connection without waiting; it is asked only when every
    /// lent connection is busy.
    pub(crate) fn pick(&self, room: impl FnOnce() -> bool) -> Pick {
        let mut slots = self.lock();
        let best = match least_loaded(&slots.lent) {
            Some(best) => best,
            None => {
                // Rare: a connection closed, or a statement on it was
                // abandoned. It goes (once its statements are done).
                slots.lent.retain(SharedConnection::usable);
                least_loaded(&slots.lent).unwrap_or_default()
            }
        };
        let best = best.map(|(i, load)| (&slots.lent[i], load));
        if let Some((conn, 0)) = best {
            return Pick::Ready(conn.clone());
        }
        let below_limit = slots.lent.len() + slots.filling < self.limit;
        match best.map(|(conn, _)| conn) {
            Some(conn) if !below_limit || !room() => Pick::Ready(conn.clone()),
            None if !below_limit => Pick::Wait,
            _ => {
                slots.filling += 1;
                Pick::Fill
            }
        }
    }

    /// A future that completes when a fill ends; create it before
    /// [`pick`](Self::pick) says [`Pick::Wait`] is no longer true.
    pub(crate) fn changed(&self) -> tokio::sync::futures::Notified<'_> {
        self.changed.notified()
    }

    /// Ends a fill: lends `conn` out (or just counts the failed fill) and
    /// wakes the statements waiting for one.
    pub(crate) fn lend(&self, conn: Option<PooledConnection>) -> Option<SharedConnection> {
        let shared = conn.map(|conn| SharedConnection {
            lent: Arc::new(Lent::new(conn)),
        });
        {
            let mut slots = self.lock();
            slots.filling = slots.filling.saturating_sub(1);
            if let Some(shared) = &shared {
                slots.lent.push(shared.clone());
            }
        }
        self.changed.notify_waiters();
        shared
    }

    /// Stops lending the least loaded connection, so that it goes back to
    /// the pool once its statements are done. Whether there was one.
    pub(crate) fn release_one(&self) -> bool {
        let released = {
            let mut slots = self.lock();
            let least = (0..slots.lent.len()).min_by_key(|&i| slots.lent[i].in_flight());
            least.map(|i| slots.lent.swap_remove(i))
        };
        released.is_some()
    }

    /// Stops lending every connection `keep` says no to.
    pub(crate) fn release_where(&self, keep: impl Fn(&SharedConnection) -> bool) -> usize {
        let released: Vec<SharedConnection> = {
            let mut slots = self.lock();
            let (kept, released) = std::mem::take(&mut slots.lent)
                .into_iter()
                .partition(|c| keep(c));
            slots.lent = kept;
            released
        };
        released.len()
    }

    /// How many connections are lent out now.
    pub(crate) fn len(&self) -> usize {
        self.lock().lent.len()
    }
}
