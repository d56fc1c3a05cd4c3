//! `ILIKE` and `NOT ILIKE`: case-insensitive pattern matching, PostgreSQL
//! only.

use core::marker::PhantomData;

use crate::backend::{Backend, Pg};
use crate::expression::{AsExpression, Expression, TextOf, ValidIn, operand, precedence};
use crate::query_fragment::Binds;
use crate::query_fragment::QueryFragment;
use crate::sql_text::Part;
use crate::sql_types::{Bool, Nullability, SqlType, Text};

/// Backends that have `ILIKE`: PostgreSQL.
///
/// This is what makes
/// `users::table.filter(users::name.ilike("a%")).load(&mut sqlite)` fail
/// to compile, at `ilike`: the node carries the backend it is run on, which
/// `load` decides.
#[diagnostic::on_unimplemented(
    message = "`ILIKE` exists only on PostgreSQL, and this query runs on `{Self}`",
    label = "PostgreSQL only",
    note = "on SQLite, `like` already ignores the case of ASCII letters"
)]
pub trait SupportsIlike: Backend {}
#[diagnostic::do_not_recommend]
impl SupportsIlike for Pg {}

/// The nullability of a result that is `NULL` when either side is.
type EitherNull<L, R> = <<<L as Expression>::SqlType as SqlType>::Nullability as Nullability>::Or<
    <<R as Expression>::SqlType as SqlType>::Nullability,
>;

/// `left ILIKE pattern`, or `left NOT ILIKE pattern` when `NEGATED`, for
/// backend `DB` (inferred where the query is run).
#[derive(Debug, Clone, Copy)]
pub struct ILike<L, R, DB, const NEGATED: bool = false> {
    left: L,
    right: R,
    backend: PhantomData<fn() -> DB>,
}

/// `left NOT ILIKE pattern`.
pub type NotILike<L, R, DB> = ILike<L, R, DB, true>;

impl<L: Expression, R: Expression, DB, const NEGATED: bool> Expression
    for ILike<L, R, DB, NEGATED>
{
    type SqlType = <EitherNull<L, R> as Nullability>::Apply<Bool>;
    const PRECEDENCE: u8 = precedence::COMPARISON;
}

impl<From, L, R, DB, IL, IR, const NEGATED: bool> ValidIn<From, (IL, IR)>
    for ILike<L, R, DB, NEGATED>
where
    L: ValidIn<From, IL>,
    R: ValidIn<From, IR>,
{
    type Nullability = <L::Nullability as Nullability>::Or<R::Nullability>;
}

crate::expression::grouping::grouping_from_operands!(
    [L, R, DB, const NEGATED: bool,] ILike<L, R, DB, NEGATED>; L IL, R IR
);

// `ilike` checked `DB`: the node renders for the backend it names only.
impl<DB, L, R, const NEGATED: bool> QueryFragment<DB> for ILike<L, R, DB, NEGATED>
where
    DB: Backend,
    L: QueryFragment<DB> + Expression,
    R: QueryFragment<DB> + Expression,
{
    const FRAG: Part = Part::Seq(&[
        operand!(L, precedence::COMPARISON + 1),
        Part::Str(if NEGATED { " NOT ILIKE " } else { " ILIKE " }),
        operand!(R, precedence::COMPARISON + 1),
    ]);
    fn collect_binds<'a>(&'a self, out: &mut Binds<'a>) {
        self.left.collect_binds(out);
        self.right.collect_binds(out);
    }
}

/// PostgreSQL's methods of text expressions: `ilike`, `not_ilike`.
///
/// A query that uses them runs only on PostgreSQL: loading it on SQLite
/// does not compile, and the error is at `ilike` ([`SupportsIlike`]).
#[diagnostic::on_unimplemented(message = "`{Self}` is not a SQL expression")]
pub trait PgTextExpressionMethods: Expression + Sized {
    /// `self ILIKE pattern`: `LIKE` that ignores case.
    fn ilike<P, DB>(self, pattern: P) -> ILike<Self, P::Expr, DB>
    where
        P: AsExpression<Text>,
        Self::SqlType: TextOf<Self>,
        DB: SupportsIlike,
    {
        ILike {
            left: self,
            right: pattern.as_expression(),
            backend: PhantomData,
        }
    }

    /// `self NOT ILIKE pattern`.
    fn not_ilike<P, DB>(self, pattern: P) -> NotILike<Self, P::Expr, DB>
    where
        P: AsExpression<Text>,
        Self::SqlType: TextOf<Self>,
        DB: SupportsIlike,
    {
        ILike {
            left: self,
            right: pattern.as_expression(),
            backend: PhantomData,
        }
    }
}

impl<E: Expression> PgTextExpressionMethods for E {}

// A Boolean: arithmetic on it is an error naming it.
crate::__impl_arithmetic_ops!([L, R, DB, const NEGATED: bool,] ILike<L, R, DB, NEGATED>);
