//! `DELETE FROM "table" WHERE ... RETURNING ...`

use crate::backend::Backend;
use crate::expression::Expression;
use crate::query::where_clause::AndWhere;
use crate::query::{AsQuery, Query};
use crate::query_fragment::Binds;
use crate::query_fragment::QueryFragment;
use crate::query_source::Table;
use crate::sql_text::Part;
use crate::sql_types::BoolLike;

use super::{DeleteCondition, DeletedFrom, IntoUpdateTarget, NoReturning, Returnable, Returning};

/// A DELETE of table `T`'s rows that match `W`, with RETURNING clause `R`.
#[derive(Debug, Clone)]
#[must_use = "a statement does nothing until it is executed"]
pub struct DeleteStatement<T, W, R = NoReturning> {
    table: T,
    where_clause: W,
    returning: R,
}

/// `DELETE FROM target`: a table (every row!), `table.filter(...)`, or
/// `&row` of a struct with `#[derive(Identifiable)]`. `execute` returns the
/// number of rows deleted.
///
/// ```
/// # quarry::table! { users (id) { id -> Integer, name -> Text, } }
/// use quarry::prelude::*;
/// let mut db = quarry::sqlite::Connection::open_in_memory()?;
/// db.execute_batch("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
///                   INSERT INTO users VALUES (1, 'Ada'), (2, 'Brian')")?;
/// let deleted = quarry::delete(users::table.filter(users::id.gt(1))).execute(&mut db)?;
/// assert_eq!(deleted, 1);
/// # Ok::<(), quarry::Error>(())
/// ```
pub fn delete<Tg: IntoUpdateTarget>(target: Tg) -> DeleteStatement<Tg::Table, Tg::Where> {
    let (table, where_clause) = target.into_update_target();
    DeleteStatement {
        table,
        where_clause,
        returning: NoReturning,
    }
}

impl<T: Table, W, R> DeleteStatement<T, W, R> {
    /// Deletes only the rows for which `predicate` is true. Several calls
    /// are joined with `AND`.
    #[doc(alias = "where")]
    pub fn filter<P, I>(self, predicate: P) -> DeleteStatement<T, W::Output, R>
    where
        P: Expression,
        (DeletedFrom, T): DeleteCondition<T, P, I>,
        P::SqlType: BoolLike,
        W: AndWhere<P>,
    {
        DeleteStatement {
            table: self.table,
            where_clause: self.where_clause.and_where(predicate),
            returning: self.returning,
        }
    }
}

impl<T, W> DeleteStatement<T, W, NoReturning> {
    /// `RETURNING ...`: the deleted rows' columns (or expressions of them,
    /// or `Struct::as_select()`), loaded with `get_result` or `load`.
    pub fn returning<S, I>(self, selection: S) -> DeleteStatement<T, W, Returning<S, I>>
    where
        S: Returnable<T, I>,
    {
        DeleteStatement {
            table: self.table,
            where_clause: self.where_clause,
            returning: Returning::new(selection),
        }
    }
}

impl<DB, T, W, R> QueryFragment<DB> for DeleteStatement<T, W, R>
where
    DB: Backend,
    T: Table,
    W: QueryFragment<DB>,
    R: QueryFragment<DB>,
{
    const FRAG: Part = Part::Seq(&[
        Part::Str("DELETE FROM "),
        Part::Ident(T::NAME),
        W::FRAG,
        R::FRAG,
    ]);
    fn collect_binds<'a>(&'a self, out: &mut Binds<'a>) {
        self.where_clause.collect_binds(out);
        self.returning.collect_binds(out);
    }
}

impl<T, W, S, I> Query for DeleteStatement<T, W, Returning<S, I>>
where
    S: Returnable<T, I>,
{
    type SqlType = S::SqlType;
}

impl<T, W, R> AsQuery for DeleteStatement<T, W, R> {
    type Query = Self;
    fn as_query(self) -> Self {
        self
    }
}
