//! `WHERE`: chained `filter` calls are joined with `AND`.

use crate::backend::Backend;
use crate::expression::{And, Expression, ValidIn, precedence};
use crate::query_fragment::Binds;
use crate::query_fragment::QueryFragment;
use crate::sql_text::Part;

/// A `filter` condition whose columns are all in the FROM clause `From`:
/// [`ValidIn`] under a name of its own.
///
/// `filter` asks for it rather than for `ValidIn` itself: rustc then has no
/// impl of this trait for the condition's type to show beside the error,
/// only the blanket one, and the message stays the missing table's.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be used in `filter` here: its columns are not all in this query's FROM clause",
    label = "not in the FROM clause `{From}`"
)]
pub trait Condition<From, Idx> {}

impl<P, From, Idx> Condition<From, Idx> for P where P: ValidIn<From, Idx> {}

/// No WHERE clause yet.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoWhere;

/// `WHERE predicate`.
#[derive(Debug, Clone, Copy)]
pub struct Where<P>(pub(crate) P);

/// Adding a predicate to a WHERE clause.
#[diagnostic::on_unimplemented(message = "`filter` cannot extend `{Self}`")]
pub trait AndWhere<P> {
    /// The clause with `P` added.
    type Output;
    /// Adds `predicate`.
    fn and_where(self, predicate: P) -> Self::Output;
}

impl<P> AndWhere<P> for NoWhere {
    type Output = Where<P>;
    fn and_where(self, predicate: P) -> Where<P> {
        Where(predicate)
    }
}

impl<Q, P> AndWhere<P> for Where<Q> {
    type Output = Where<And<Q, P>>;
    fn and_where(self, predicate: P) -> Self::Output {
        Where(And {
            left: self.0,
            right: predicate,
        })
    }
}

impl<DB: Backend> QueryFragment<DB> for NoWhere {
    const FRAG: Part = Part::Str("");
    fn collect_binds<'a>(&'a self, _out: &mut Binds<'a>) {}
}

impl<DB: Backend, P: QueryFragment<DB> + Expression> QueryFragment<DB> for Where<P> {
    const FRAG: Part = Part::Seq(&[
        Part::Str(" WHERE "),
        crate::expression::operand!(P, precedence::OR),
    ]);
    fn collect_binds<'a>(&'a self, out: &mut Binds<'a>) {
        self.0.collect_binds(out);
    }
}
