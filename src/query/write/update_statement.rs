//! `UPDATE "table" SET ... WHERE ... RETURNING ...`

use crate::backend::Backend;
use crate::expression::Expression;
use crate::query::AsQuery;
use crate::query::Query;
use crate::query::where_clause::AndWhere;
use crate::query_fragment::Binds;
use crate::query_fragment::QueryFragment;
use crate::query_source::Table;
use crate::sql_text::Part;
use crate::sql_types::BoolLike;

use super::{
    AsChangeset, IntoUpdateTarget, NoReturning, Returnable, Returning, UpdateCondition, Updated,
};

/// No SET list yet: an UPDATE needs [`set`](UpdateStatement::set) before
/// it runs.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoSet;

/// `SET changes`.
#[derive(Debug, Clone, Copy)]
pub struct Set<C>(C);

/// An UPDATE of table `T`'s rows that match `W`, with SET list `S` and
/// RETURNING clause `R`.
#[derive(Debug, Clone)]
#[must_use = "a statement does nothing until it is executed"]
pub struct UpdateStatement<T, W, S = NoSet, R = NoReturning> {
    table: T,
    where_clause: W,
    set: S,
    returning: R,
}

/// `UPDATE target`: a table, `table.filter(...)`, or `&row` of a struct
/// with `#[derive(Identifiable)]` (its row, by primary key). Then
/// [`set`](UpdateStatement::set) the new values.
///
/// ```
/// # quarry::table! { users (id) { id -> Integer, name -> Text, score -> Integer, } }
/// use quarry::prelude::*;
/// let mut db = quarry::sqlite::Connection::open_in_memory()?;
/// db.execute_batch("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, score INTEGER NOT NULL);
///                   INSERT INTO users VALUES (1, 'Ada', 10)")?;
/// let changed = quarry::update(users::table)
///     .filter(users::id.eq(1))
///     .set((users::name.eq("Ada L."), users::score.eq(users::score + 1)))
///     .execute(&mut db)?;
/// assert_eq!(changed, 1);
/// # Ok::<(), quarry::Error>(())
/// ```
pub fn update<Tg: IntoUpdateTarget>(target: Tg) -> UpdateStatement<Tg::Table, Tg::Where> {
    let (table, where_clause) = target.into_update_target();
    UpdateStatement {
        table,
        where_clause,
        set: NoSet,
        returning: NoReturning,
    }
}

impl<T: Table, W, S, R> UpdateStatement<T, W, S, R> {
    /// Updates only the rows for which `predicate` is true. Several calls
    /// are joined with `AND`.
    #[doc(alias = "where")]
    pub fn filter<P, I>(self, predicate: P) -> UpdateStatement<T, W::Output, S, R>
    where
        P: Expression,
        (Updated, T): UpdateCondition<T, P, I>,
        P::SqlType: BoolLike,
        W: AndWhere<P>,
    {
        UpdateStatement {
            table: self.table,
            where_clause: self.where_clause.and_where(predicate),
            set: self.set,
            returning: self.returning,
        }
    }
}

impl<T: Table, W, R> UpdateStatement<T, W, NoSet, R> {
    /// The new values: `column.eq(value)`, a tuple of them, or `&changes`
    /// of a `#[derive(AsChangeset)]` struct. A value may read the row's
    /// current columns: `users::score.eq(users::score + 1)`.
    pub fn set<C, I>(self, changes: C) -> UpdateStatement<T, W, Set<C::Changeset>, R>
    where
        C: AsChangeset<T, I>,
    {
        UpdateStatement {
            table: self.table,
            where_clause: self.where_clause,
            set: Set(changes.as_changeset()),
            returning: self.returning,
        }
    }
}

impl<T, W, S> UpdateStatement<T, W, S, NoReturning> {
    /// `RETURNING ...`: the updated rows' columns (or expressions of them,
    /// or `Struct::as_select()`), loaded with `get_result` or `load`.
    pub fn returning<Sel, I>(self, selection: Sel) -> UpdateStatement<T, W, S, Returning<Sel, I>>
    where
        Sel: Returnable<T, I>,
    {
        UpdateStatement {
            table: self.table,
            where_clause: self.where_clause,
            set: self.set,
            returning: Returning::new(selection),
        }
    }
}

/// The SET list of an UPDATE that can run.
#[diagnostic::on_unimplemented(
    message = "this UPDATE has no SET list",
    label = "call `.set(...)` before running it"
)]
pub trait SetClause<DB: Backend> {
    /// `SET ...`.
    const FRAG: Part;
    /// Its binds.
    fn collect_set_binds<'a>(&'a self, out: &mut Binds<'a>);
}

impl<DB: Backend, C: QueryFragment<DB>> SetClause<DB> for Set<C> {
    const FRAG: Part = Part::Seq(&[Part::Str(" SET "), C::FRAG]);
    fn collect_set_binds<'a>(&'a self, out: &mut Binds<'a>) {
        self.0.collect_binds(out);
    }
}

/// Backends with `UPDATE ... RETURNING`: SQLite and PostgreSQL.
///
/// This is what makes `update(..).set(..).returning(..)` fail to compile
/// for MariaDB/MySQL, which return rows from INSERT and DELETE only.
#[diagnostic::on_unimplemented(
    message = "{Self} has no `UPDATE ... RETURNING`",
    label = "this UPDATE has a RETURNING clause",
    note = "MariaDB returns rows from INSERT and DELETE only: run the UPDATE, then select the rows"
)]
pub trait SupportsUpdateReturning: Backend {}
impl SupportsUpdateReturning for crate::backend::Sqlite {}
impl SupportsUpdateReturning for crate::backend::Pg {}

/// The RETURNING clause of an UPDATE on backend `DB`: none, or one where
/// the backend has [`SupportsUpdateReturning`].
#[diagnostic::on_unimplemented(message = "`{Self}` cannot end an UPDATE on {DB}")]
pub trait UpdateReturning<DB: Backend>: QueryFragment<DB> {}
impl<DB: Backend> UpdateReturning<DB> for NoReturning {}
impl<DB: SupportsUpdateReturning, S: QueryFragment<DB>, I> UpdateReturning<DB> for Returning<S, I> {}

impl<DB, T, W, S, R> QueryFragment<DB> for UpdateStatement<T, W, S, R>
where
    DB: Backend,
    T: Table,
    W: QueryFragment<DB>,
    S: SetClause<DB>,
    R: UpdateReturning<DB>,
{
    const FRAG: Part = Part::Seq(&[
        Part::Str("UPDATE "),
        Part::Ident(T::NAME),
        S::FRAG,
        W::FRAG,
        R::FRAG,
    ]);
    fn collect_binds<'a>(&'a self, out: &mut Binds<'a>) {
        self.set.collect_set_binds(out);
        self.where_clause.collect_binds(out);
        self.returning.collect_binds(out);
    }
}

impl<T, W, S, Sel, I> Query for UpdateStatement<T, W, S, Returning<Sel, I>>
where
    Sel: Returnable<T, I>,
{
    type SqlType = Sel::SqlType;
}

impl<T, W, S, R> AsQuery for UpdateStatement<T, W, S, R> {
    type Query = Self;
    fn as_query(self) -> Self {
        self
    }
}
