//! Upserts: `ON CONFLICT (...) DO NOTHING` and
//! `ON CONFLICT (...) DO UPDATE SET ...`, with `excluded(column)` for the
//! value that was to be inserted.
//!
//! MariaDB/MySQL have no `ON CONFLICT`: an upsert is `ON DUPLICATE KEY
//! UPDATE`, with `VALUES(column)` for `excluded(column)`, and `DO NOTHING`
//! an update of the first conflict column to itself (never `INSERT
//! IGNORE`, which also turns other errors into warnings). The server
//! takes a conflict on any unique key of the table, not only on the
//! columns named; and it counts an updated row as 2 changed rows (1 when
//! nothing changed), where PostgreSQL and SQLite count 1.

use core::marker::PhantomData;

use crate::backend::{Backend, Pg};
use crate::expression::{Expression, ValidIn};
use crate::query_fragment::Binds;
use crate::query_fragment::QueryFragment;
use crate::query_source::{Column, Here, Position, Table};
use crate::sql_text::Part;
use crate::sql_types::NotNull;

use super::assignment::SameTable;
use super::{AsChangeset, Batch, ColumnList, InsertStatement, ValuesClause, WriteTarget};

/// No ON CONFLICT clause: a conflict is an error.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoConflict;

impl<DB: Backend> QueryFragment<DB> for NoConflict {
    const FRAG: Part = Part::Str("");
    fn collect_binds<'a>(&'a self, _out: &mut Binds<'a>) {}
}

/// What the SET list of an upsert's `DO UPDATE` may read: the columns of
/// table `T` (the row already there) and [`excluded`] columns (the row that
/// was to be inserted).
#[derive(Debug, Clone, Copy, Default)]
pub struct Upsert<T>(PhantomData<T>);

impl<T: Table> WriteTarget for Upsert<T> {
    type Table = T;
}

impl<T: Table> Position<T, Here> for Upsert<T> {
    type Nullability = NotNull;
}

/// `excluded."column"`: in an upsert's `DO UPDATE`, the value the
/// conflicting row was to be inserted with.
#[derive(Debug, Clone, Copy, Default)]
pub struct Excluded<C>(PhantomData<C>);

/// `excluded."column"`, for an upsert's `DO UPDATE SET`:
/// `.do_update().set(users::name.eq(excluded(users::name)))`.
///
/// Only a column of the table being inserted into may be named, and only
/// inside `do_update().set(...)`.
pub fn excluded<C: Column>(column: C) -> Excluded<C> {
    let _ = column;
    Excluded(PhantomData)
}

impl<C: Column> Expression for Excluded<C> {
    type SqlType = C::SqlType;
}

/// `Self` is a column of `T`, the table an upsert inserts into.
///
/// This is what makes `excluded(posts::title)` fail to compile in an
/// upsert into `users`.
#[diagnostic::on_unimplemented(
    message = "`excluded({Self})` is not a column of `{T}`, the table this upsert inserts into",
    label = "a column of another table",
    note = "`excluded(column)` reads the value that was to be inserted into `{T}`"
)]
pub trait ExcludedColumnOf<T> {}

#[diagnostic::do_not_recommend]
impl<C: Column, T: SameTable<C::Table>> ExcludedColumnOf<T> for C {}

impl<T, C: ExcludedColumnOf<T>> ValidIn<Upsert<T>, ()> for Excluded<C> {
    type Nullability = NotNull;
}

impl<DB: Backend, C: Column> QueryFragment<DB> for Excluded<C> {
    const FRAG: Part = Part::ByDialect(&[
        Part::Seq(&[Part::Str("excluded."), Part::Ident(C::NAME)]),
        Part::Seq(&[Part::Str("excluded."), Part::Ident(C::NAME)]),
        Part::Seq(&[Part::Str("VALUES("), Part::Ident(C::NAME), Part::Str(")")]),
    ]);
    fn collect_binds<'a>(&'a self, _out: &mut Binds<'a>) {}
}

/// A named constraint, for [`on_conflict_on_constraint`](InsertStatement::on_conflict_on_constraint).
/// Make one with [`constraint!`](crate::constraint).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a constraint name",
    label = "expected `quarry::constraint!(\"name\")`"
)]
pub trait Constraint {
    /// The constraint's name.
    const NAME: &'static str;
}

/// A constraint named in the SQL text: `quarry::constraint!("users_email_key")`.
/// The name is part of the statement's text, so it is a literal.
#[macro_export]
macro_rules! constraint {
    ($name:literal) => {{
        #[derive(Debug, Clone, Copy)]
        struct __QuarryConstraint;
        impl $crate::query::Constraint for __QuarryConstraint {
            const NAME: &'static str = $name;
        }
        __QuarryConstraint
    }};
}

/// `(columns)`: the columns whose unique index decides a conflict.
#[derive(Debug, Clone, Copy, Default)]
pub struct ConflictColumns<T, Cols>(PhantomData<(T, Cols)>);

/// `ON CONSTRAINT "name"`: PostgreSQL only.
#[derive(Debug, Clone, Copy, Default)]
pub struct OnConstraint<C>(PhantomData<C>);

/// Backends that name a conflict by constraint: PostgreSQL.
///
/// This is what makes `on_conflict_on_constraint` fail to compile on
/// SQLite.
#[diagnostic::on_unimplemented(
    message = "{Self} has no `ON CONFLICT ON CONSTRAINT`",
    label = "this upsert names a constraint",
    note = "name the conflicting columns instead: `.on_conflict((table::a, table::b))`"
)]
pub trait OnConstraintSupported: Backend {}
impl OnConstraintSupported for Pg {}

/// What follows `ON CONFLICT`.
#[diagnostic::on_unimplemented(message = "`{Self}` cannot be the target of `ON CONFLICT` on {DB}")]
pub trait ConflictTarget<DB: Backend> {
    /// The SQL.
    const FRAG: Part;
    /// On MariaDB/MySQL, `DO NOTHING`'s assignment that changes nothing:
    /// `` `c` = `c` ``.
    const UNCHANGED: Part = Part::Str("");
}

impl<DB: Backend, T: Table, Cols: ColumnList<T>> ConflictTarget<DB> for ConflictColumns<T, Cols> {
    const FRAG: Part = Part::Seq(&[Part::Str(" ("), Cols::NAMES, Part::Str(")")]);
    const UNCHANGED: Part = Part::Seq(&[
        Part::Ident(T::COLUMN_NAMES[0]),
        Part::Str(" = "),
        Part::Ident(T::COLUMN_NAMES[0]),
    ]);
}

impl<DB: OnConstraintSupported, C: Constraint> ConflictTarget<DB> for OnConstraint<C> {
    const FRAG: Part = Part::Seq(&[Part::Str(" ON CONSTRAINT "), Part::Ident(C::NAME)]);
}

/// `DO NOTHING`: a conflicting row is skipped.
#[derive(Debug, Clone, Copy, Default)]
pub struct DoNothing;

impl<DB: Backend> QueryFragment<DB> for DoNothing {
    const FRAG: Part = Part::Str(" DO NOTHING");
    fn collect_binds<'a>(&'a self, _out: &mut Binds<'a>) {}
}

/// An upsert's action: `DO NOTHING` or `DO UPDATE SET ...`, and what
/// MariaDB/MySQL write after `ON DUPLICATE KEY UPDATE`.
#[diagnostic::on_unimplemented(message = "`{Self}` is not an upsert action")]
pub trait UpsertAction<DB: Backend>: QueryFragment<DB> {
    /// Whether this is `DO NOTHING`.
    const DO_NOTHING: bool;
    /// The SET list of `DO UPDATE`; empty for `DO NOTHING`.
    const SET: Part;
}

impl<DB: Backend> UpsertAction<DB> for DoNothing {
    const DO_NOTHING: bool = true;
    const SET: Part = Part::Str("");
}

impl<DB: Backend, C: QueryFragment<DB>> UpsertAction<DB> for DoUpdate<C> {
    const DO_NOTHING: bool = false;
    const SET: Part = C::FRAG;
}

/// `DO UPDATE SET changes`: the row already there is updated.
#[derive(Debug, Clone, Copy)]
pub struct DoUpdate<C>(C);

impl<DB: Backend, C: QueryFragment<DB>> QueryFragment<DB> for DoUpdate<C> {
    const FRAG: Part = Part::Seq(&[Part::Str(" DO UPDATE SET "), C::FRAG]);
    fn collect_binds<'a>(&'a self, out: &mut Binds<'a>) {
        self.0.collect_binds(out);
    }
}

/// `ON CONFLICT target action`.
#[derive(Debug, Clone, Copy)]
pub struct OnConflict<Tg, A> {
    target: PhantomData<Tg>,
    action: A,
}

impl<DB: Backend, Tg: ConflictTarget<DB>, A: UpsertAction<DB>> QueryFragment<DB>
    for OnConflict<Tg, A>
{
    const FRAG: Part = Part::ByDialect(&[
        Part::Seq(&[Part::Str(" ON CONFLICT"), Tg::FRAG, A::FRAG]),
        Part::Seq(&[Part::Str(" ON CONFLICT"), Tg::FRAG, A::FRAG]),
        Part::Seq(&[
            Part::Str(" ON DUPLICATE KEY UPDATE "),
            if A::DO_NOTHING { Tg::UNCHANGED } else { A::SET },
        ]),
    ]);
    fn collect_binds<'a>(&'a self, out: &mut Binds<'a>) {
        self.action.collect_binds(out);
    }
}

/// Inserted rows that may conflict: `VALUES` lists. (`INSERT ... SELECT`
/// with `ON CONFLICT` is ambiguous in SQLite's grammar.)
#[diagnostic::on_unimplemented(
    message = "an `INSERT ... SELECT` cannot have an ON CONFLICT clause",
    note = "upsert rows given with `.values(...)`"
)]
pub trait AllowsUpsert {}
impl<V> AllowsUpsert for ValuesClause<V> {}
impl<V> AllowsUpsert for Batch<V> {}

/// An INSERT with `ON CONFLICT target` and no action yet: call
/// [`do_nothing`](Self::do_nothing) or [`do_update`](Self::do_update).
#[derive(Debug, Clone)]
#[must_use = "an ON CONFLICT clause needs `.do_nothing()` or `.do_update().set(...)`"]
pub struct IncompleteOnConflict<S, Tg> {
    statement: S,
    target: PhantomData<Tg>,
}

/// An upsert's `DO UPDATE` without its SET list yet: call
/// [`set`](Self::set).
#[derive(Debug, Clone)]
#[must_use = "`do_update()` needs `.set(...)`"]
pub struct IncompleteDoUpdate<S, Tg> {
    statement: S,
    target: PhantomData<Tg>,
}

impl<T: Table, B: AllowsUpsert, R> InsertStatement<T, B, NoConflict, R> {
    /// `ON CONFLICT (columns)`: what to do when a row conflicts with one
    /// already there on a unique index of `columns` (a column of the table
    /// or a tuple of them).
    #[doc(alias = "upsert")]
    pub fn on_conflict<Cols: ColumnList<T>>(
        self,
        columns: Cols,
    ) -> IncompleteOnConflict<Self, ConflictColumns<T, Cols>> {
        let _ = columns;
        IncompleteOnConflict {
            statement: self,
            target: PhantomData,
        }
    }

    /// `ON CONFLICT ON CONSTRAINT "name"`, PostgreSQL only: name the
    /// constraint with [`constraint!`](crate::constraint). On SQLite the
    /// statement does not compile.
    pub fn on_conflict_on_constraint<C: Constraint>(
        self,
        constraint: C,
    ) -> IncompleteOnConflict<Self, OnConstraint<C>> {
        let _ = constraint;
        IncompleteOnConflict {
            statement: self,
            target: PhantomData,
        }
    }
}

impl<T: Table, B, R, Tg> IncompleteOnConflict<InsertStatement<T, B, NoConflict, R>, Tg> {
    /// `DO NOTHING`: conflicting rows are skipped; `execute` counts only
    /// the rows inserted.
    pub fn do_nothing(self) -> InsertStatement<T, B, OnConflict<Tg, DoNothing>, R> {
        let s = self.statement;
        InsertStatement {
            table: s.table,
            body: s.body,
            on_conflict: OnConflict {
                target: PhantomData,
                action: DoNothing,
            },
            returning: s.returning,
        }
    }

    /// `DO UPDATE`: the row already there is updated with
    /// [`set`](IncompleteDoUpdate::set).
    pub fn do_update(self) -> IncompleteDoUpdate<InsertStatement<T, B, NoConflict, R>, Tg> {
        IncompleteDoUpdate {
            statement: self.statement,
            target: PhantomData,
        }
    }
}

impl<T: Table, B, R, Tg> IncompleteDoUpdate<InsertStatement<T, B, NoConflict, R>, Tg> {
    /// `SET changes`: `column.eq(value)` or a tuple of them, where a value
    /// may read the row already there (`users::score`) and the row that
    /// was to be inserted (`excluded(users::score)`).
    pub fn set<C, I>(
        self,
        changes: C,
    ) -> InsertStatement<T, B, OnConflict<Tg, DoUpdate<C::Changeset>>, R>
    where
        C: AsChangeset<Upsert<T>, I>,
    {
        let s = self.statement;
        InsertStatement {
            table: s.table,
            body: s.body,
            on_conflict: OnConflict {
                target: PhantomData,
                action: DoUpdate(changes.as_changeset()),
            },
            returning: s.returning,
        }
    }
}

crate::__impl_arithmetic_ops!([C,] Excluded<C>);
