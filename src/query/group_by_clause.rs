//! `GROUP BY` and `HAVING`.

use crate::backend::Backend;
use crate::expression::grouping::{Group, NoGroup};
use crate::expression::{And, Expression, precedence};
use crate::query_fragment::Binds;
use crate::query_fragment::QueryFragment;
use crate::sql_text::Part;

/// No GROUP BY clause.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoGroupBy;

/// `GROUP BY exprs [HAVING condition]`.
#[derive(Debug, Clone, Copy)]
pub struct GroupBy<G, H> {
    pub(crate) exprs: G,
    pub(crate) having: H,
}

/// No HAVING clause.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoHaving;

/// `HAVING condition`.
#[derive(Debug, Clone, Copy)]
pub struct Having<P>(pub(crate) P);

/// The grouping context a GROUP BY clause gives its query.
#[diagnostic::on_unimplemented(message = "`{Self}` is not a GROUP BY clause")]
pub trait GroupClause {
    /// [`NoGroup`] or [`Group<G>`].
    type Context;
}

impl GroupClause for NoGroupBy {
    type Context = NoGroup;
}

impl<G, H> GroupClause for GroupBy<G, H> {
    type Context = Group<G>;
}

/// A query that is not grouped yet: `group_by` may be called once.
#[diagnostic::on_unimplemented(
    message = "this query is already grouped",
    label = "`group_by` was called before",
    note = "pass every grouping expression to one `group_by`, as a tuple"
)]
pub trait NotGrouped {}
impl NotGrouped for NoGroupBy {}

/// Adding a HAVING condition: only a grouped query has one.
#[diagnostic::on_unimplemented(
    message = "`having` needs `group_by` first",
    label = "this query is not grouped",
    note = "use `filter` for conditions on rows, `having` for conditions on groups"
)]
pub trait AddHaving<P> {
    /// The clause with the condition added.
    type Output;
    /// Adds it.
    fn add_having(self, condition: P) -> Self::Output;
}

#[diagnostic::do_not_recommend]
impl<G, H: AndHaving<P>, P> AddHaving<P> for GroupBy<G, H> {
    type Output = GroupBy<G, H::Output>;
    fn add_having(self, condition: P) -> Self::Output {
        GroupBy {
            exprs: self.exprs,
            having: self.having.and_having(condition),
        }
    }
}

/// A HAVING clause with one more condition, joined with `AND`.
#[diagnostic::on_unimplemented(message = "`having` cannot be added to `{Self}`")]
pub trait AndHaving<P> {
    /// The clause with `P` added.
    type Output;
    /// Adds `condition`.
    fn and_having(self, condition: P) -> Self::Output;
}

impl<P> AndHaving<P> for NoHaving {
    type Output = Having<P>;
    fn and_having(self, condition: P) -> Having<P> {
        Having(condition)
    }
}

impl<Q, P> AndHaving<P> for Having<Q> {
    type Output = Having<And<Q, P>>;
    fn and_having(self, condition: P) -> Self::Output {
        Having(And {
            left: self.0,
            right: condition,
        })
    }
}

impl<DB: Backend> QueryFragment<DB> for NoGroupBy {
    const FRAG: Part = Part::Str("");
    fn collect_binds<'a>(&'a self, _out: &mut Binds<'a>) {}
}

impl<DB: Backend> QueryFragment<DB> for NoHaving {
    const FRAG: Part = Part::Str("");
    fn collect_binds<'a>(&'a self, _out: &mut Binds<'a>) {}
}

impl<DB: Backend, P: QueryFragment<DB> + Expression> QueryFragment<DB> for Having<P> {
    const FRAG: Part = Part::Seq(&[
        Part::Str(" HAVING "),
        crate::expression::operand!(P, precedence::OR),
    ]);
    fn collect_binds<'a>(&'a self, out: &mut Binds<'a>) {
        self.0.collect_binds(out);
    }
}

impl<DB: Backend, G: QueryFragment<DB>, H: QueryFragment<DB>> QueryFragment<DB> for GroupBy<G, H> {
    const FRAG: Part = Part::Seq(&[Part::Str(" GROUP BY "), G::FRAG, H::FRAG]);
    fn collect_binds<'a>(&'a self, out: &mut Binds<'a>) {
        self.exprs.collect_binds(out);
        self.having.collect_binds(out);
    }
}
