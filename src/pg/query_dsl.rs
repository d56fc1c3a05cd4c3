//! The query-building methods that only PostgreSQL runs: `distinct_on`
//! and the row locks.

use core::marker::PhantomData;

use crate::expression::grouping::Grouping;
use crate::pg::distinct_on::{DistinctOn, SupportsDistinctOn};
use crate::pg::locking::{
    ForKeyShare, ForNoKeyUpdate, ForShare, ForUpdate, Locked, LocksRows, SupportsRowLocks,
};
use crate::query::group_by_clause::GroupClause;
use crate::query::query_dsl::{GroupContext, Statement};
use crate::query::{QueryDsl, SelectStatement, Selection};

/// PostgreSQL's methods on tables and SELECT statements: `distinct_on`,
/// `for_update`, `for_no_key_update`, `for_share`, `for_key_share`.
///
/// They build queries as [`QueryDsl`]'s methods do, checked against the
/// FROM clause; a query that uses them runs only on PostgreSQL, and loading
/// it on SQLite does not compile.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a table or a SELECT statement",
    label = "`distinct_on` and the row locks need a table or a query"
)]
pub trait PgQueryDsl: QueryDsl {
    /// `SELECT DISTINCT ON (exprs)`: one row per distinct value of `exprs`,
    /// one expression or a tuple. PostgreSQL keeps the first row of each
    /// group by the query's order, which must begin with `exprs`:
    /// `.distinct_on(posts::author_id).order((posts::author_id, posts::views.desc()))`.
    #[doc(alias = "distinct on")]
    fn distinct_on<E, I, GI, DB>(
        self,
        exprs: E,
    ) -> SelectStatement<
        Self::From,
        Self::Select,
        Self::SelectIdx,
        Self::Where,
        Self::Order,
        Self::Limit,
        Self::Offset,
        DistinctOn<E, DB>,
        Self::Group,
    >
    where
        E: Selection<Self::From, I> + Grouping<GroupContext<Self>, GI>,
        Self::Group: GroupClause,
        DB: SupportsDistinctOn,
    {
        let q = self.into_statement();
        SelectStatement {
            from: q.from,
            select: q.select,
            where_clause: q.where_clause,
            order: q.order,
            limit: q.limit,
            offset: q.offset,
            distinct: DistinctOn(exprs, PhantomData),
            group: q.group,
            row: PhantomData,
        }
    }

    /// `... FOR UPDATE`: locks the rows the query returns until the
    /// transaction ends, so that other transactions can neither change nor
    /// lock them. Add [`skip_locked`](Locked::skip_locked) or
    /// [`no_wait`](Locked::no_wait) to not wait for rows that are locked.
    #[doc(alias = "for update")]
    fn for_update<DB>(self) -> Locked<Statement<Self>, ForUpdate, DB>
    where
        (Self::Distinct, Self::Group): LocksRows,
        DB: SupportsRowLocks,
    {
        Locked::new(self.into_statement())
    }

    /// `... FOR NO KEY UPDATE`: as [`for_update`](Self::for_update), for
    /// changes that leave the rows' keys alone.
    fn for_no_key_update<DB>(self) -> Locked<Statement<Self>, ForNoKeyUpdate, DB>
    where
        (Self::Distinct, Self::Group): LocksRows,
        DB: SupportsRowLocks,
    {
        Locked::new(self.into_statement())
    }

    /// `... FOR SHARE`: other transactions may read and share-lock the
    /// rows, but not change them, until the transaction ends.
    #[doc(alias = "for share")]
    fn for_share<DB>(self) -> Locked<Statement<Self>, ForShare, DB>
    where
        (Self::Distinct, Self::Group): LocksRows,
        DB: SupportsRowLocks,
    {
        Locked::new(self.into_statement())
    }

    /// `... FOR KEY SHARE`: other transactions may not delete the rows or
    /// change their keys until the transaction ends.
    fn for_key_share<DB>(self) -> Locked<Statement<Self>, ForKeyShare, DB>
    where
        (Self::Distinct, Self::Group): LocksRows,
        DB: SupportsRowLocks,
    {
        Locked::new(self.into_statement())
    }
}

impl<Q: QueryDsl> PgQueryDsl for Q {}
