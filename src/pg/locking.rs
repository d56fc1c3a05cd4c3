//! Row locks: `SELECT ... FOR UPDATE`, `FOR NO KEY UPDATE`, `FOR SHARE`,
//! `FOR KEY SHARE`, with `NOWAIT` or `SKIP LOCKED`. PostgreSQL only.
//!
//! A locked query is a [`Locked`] statement around the SELECT statement:
//! it is loaded like any query, but no clause can be added after the lock.

use core::marker::PhantomData;

use crate::backend::{Backend, Pg};
use crate::query::{AsQuery, NoDistinct, NoGroupBy, Query};
use crate::query_fragment::Binds;
use crate::query_fragment::QueryFragment;
use crate::sql_text::Part;

/// Backends that lock selected rows: PostgreSQL.
///
/// This is what makes
/// `users::table.for_update().load(&mut sqlite)` fail to compile, at
/// `for_update`.
#[diagnostic::on_unimplemented(
    message = "row locks (`FOR UPDATE`, `FOR SHARE`) exist only on PostgreSQL, and this query runs on `{Self}`",
    label = "PostgreSQL only",
    note = "SQLite has no row locks: a transaction begun with `BEGIN IMMEDIATE` holds the whole database's write lock"
)]
pub trait SupportsRowLocks: Backend {}
#[diagnostic::do_not_recommend]
impl SupportsRowLocks for Pg {}

/// A statement whose DISTINCT and GROUP BY clauses, `D` and `G`, allow row
/// locks: neither. PostgreSQL rejects `FOR UPDATE` on a DISTINCT or
/// grouped query, since its rows are not rows of a table.
#[diagnostic::on_unimplemented(
    message = "a DISTINCT or grouped query cannot lock rows",
    label = "`FOR UPDATE` and `FOR SHARE` need rows of a table, not groups of them",
    note = "lock the rows with a query without `distinct`, `distinct_on` or `group_by`"
)]
pub trait LocksRows {}
#[diagnostic::do_not_recommend]
impl LocksRows for (NoDistinct, NoGroupBy) {}

/// A lock strength: what follows `FOR`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a row lock strength",
    note = "use `for_update`, `for_no_key_update`, `for_share` or `for_key_share`"
)]
pub trait LockMode {
    /// The clause's SQL, with a leading space.
    const SQL: &'static str;
}

/// What a lock does when a row is locked already: what follows the mode.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a way to wait for a row lock",
    note = "use `skip_locked()` or `no_wait()`, or neither to wait"
)]
pub trait LockWait {
    /// The SQL, with a leading space, or nothing.
    const SQL: &'static str;
}

macro_rules! keywords {
    ($trait:ident: $($(#[$doc:meta])* $name:ident = $sql:literal;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default)]
        pub struct $name;
        impl $trait for $name {
            const SQL: &'static str = $sql;
        }
    )*};
}

keywords! { LockMode:
    /// `FOR UPDATE`: the rows may be updated or deleted.
    ForUpdate = " FOR UPDATE";
    /// `FOR NO KEY UPDATE`: as `FOR UPDATE`, without blocking inserts that
    /// reference the rows.
    ForNoKeyUpdate = " FOR NO KEY UPDATE";
    /// `FOR SHARE`: the rows may not change until the transaction ends.
    ForShare = " FOR SHARE";
    /// `FOR KEY SHARE`: the rows' keys may not change.
    ForKeyShare = " FOR KEY SHARE";
}

keywords! { LockWait:
    /// Wait for other transactions' locks (the default).
    Wait = "";
    /// `NOWAIT`: fail at once if a row is locked.
    NoWait = " NOWAIT";
    /// `SKIP LOCKED`: leave out rows that are locked.
    SkipLocked = " SKIP LOCKED";
}

/// `statement FOR mode [NOWAIT | SKIP LOCKED]`: a SELECT statement that
/// locks the rows it returns until the transaction ends.
///
/// Built by [`PgQueryDsl::for_update`](crate::pg::PgQueryDsl::for_update)
/// and its siblings; runs only on PostgreSQL ([`SupportsRowLocks`]): `DB`
/// is the backend it runs on, which `for_update` checked.
#[derive(Debug, Clone)]
#[must_use = "a query does nothing until it is loaded or executed"]
pub struct Locked<S, M, DB, W = Wait> {
    statement: S,
    lock: PhantomData<(M, W, fn() -> DB)>,
}

impl<S, M: LockMode, DB> Locked<S, M, DB, Wait> {
    pub(crate) fn new(statement: S) -> Self {
        Locked {
            statement,
            lock: PhantomData,
        }
    }

    /// `SKIP LOCKED`: rows that another transaction has locked are left
    /// out of the result, instead of waited for. The usual way to take jobs
    /// off a queue table from several workers.
    #[doc(alias = "skip locked")]
    pub fn skip_locked(self) -> Locked<S, M, DB, SkipLocked> {
        Locked {
            statement: self.statement,
            lock: PhantomData,
        }
    }

    /// `NOWAIT`: the query fails at once, with an error, if a row it would
    /// lock is locked by another transaction.
    #[doc(alias = "nowait")]
    pub fn no_wait(self) -> Locked<S, M, DB, NoWait> {
        Locked {
            statement: self.statement,
            lock: PhantomData,
        }
    }
}

impl<S: Query, M, W, DB> Query for Locked<S, M, DB, W> {
    type SqlType = S::SqlType;
}

impl<S, M, W, DB> AsQuery for Locked<S, M, DB, W> {
    type Query = Self;
    fn as_query(self) -> Self {
        self
    }
}

impl<DB, S, M, W> QueryFragment<DB> for Locked<S, M, DB, W>
where
    DB: Backend,
    S: QueryFragment<DB>,
    M: LockMode,
    W: LockWait,
{
    const FRAG: Part = Part::Seq(&[S::FRAG, Part::Str(M::SQL), Part::Str(W::SQL)]);
    fn collect_binds<'a>(&'a self, out: &mut Binds<'a>) {
        self.statement.collect_binds(out);
    }
}
