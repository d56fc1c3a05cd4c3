//! `SELECT DISTINCT ON (exprs)`: the first row of each group of equal
//! `exprs`, PostgreSQL only.

use core::marker::PhantomData;

use crate::backend::{Backend, Pg};
use crate::query_fragment::Binds;
use crate::query_fragment::QueryFragment;
use crate::sql_text::Part;

/// Backends that have `SELECT DISTINCT ON`: PostgreSQL.
///
/// This is what makes
/// `users::table.distinct_on(users::name).load(&mut sqlite)` fail to
/// compile, at `distinct_on`.
#[diagnostic::on_unimplemented(
    message = "`DISTINCT ON` exists only on PostgreSQL, and this query runs on `{Self}`",
    label = "PostgreSQL only",
    note = "on SQLite, `distinct()` removes duplicate rows, and `group_by` keeps one row per group"
)]
pub trait SupportsDistinctOn: Backend {}
#[diagnostic::do_not_recommend]
impl SupportsDistinctOn for Pg {}

/// `DISTINCT ON (exprs)`: one expression or a tuple of them. It takes the
/// place of [`Distinct`](crate::query::Distinct) in a
/// [`SelectStatement`](crate::query::SelectStatement).
///
/// PostgreSQL keeps the first row of each group in the query's ORDER BY,
/// which must start with the same expressions. `DB` is the backend the
/// query runs on, which `distinct_on` checked.
#[derive(Debug, Clone, Copy)]
pub struct DistinctOn<E, DB>(pub(crate) E, pub(crate) PhantomData<fn() -> DB>);

impl<DB, E> QueryFragment<DB> for DistinctOn<E, DB>
where
    DB: Backend,
    E: QueryFragment<DB>,
{
    const FRAG: Part = Part::Seq(&[Part::Str("DISTINCT ON ("), E::FRAG, Part::Str(") ")]);
    fn collect_binds<'a>(&'a self, out: &mut Binds<'a>) {
        self.0.collect_binds(out);
    }
}
