//! `ILIKE` and `NOT ILIKE`: case-insensitive pattern matching, PostgreSQL
//! only.

use crate::backend::{Backend, Pg};
use crate::expression::{AsExpression, Expression, ValidIn, operand, precedence};
use crate::query_fragment::Binds;
use crate::query_fragment::QueryFragment;
use crate::sql_text::Part;
use crate::sql_types::{Bool, Nullability, SqlType, Text, TextLike};

/// Backends that have `ILIKE`: PostgreSQL.
///
/// This is what makes
/// `users::table.filter(users::name.ilike("a%")).load(&mut sqlite)` fail
/// to compile.
#[diagnostic::on_unimplemented(
    message = "`ILIKE` exists only on PostgreSQL",
    label = "this query uses `ILIKE`",
    note = "on SQLite, `like` already ignores the case of ASCII letters"
)]
pub trait SupportsIlike: Backend {}
impl SupportsIlike for Pg {}

/// The nullability of a result that is `NULL` when either side is.
type EitherNull<L, R> = <<<L as Expression>::SqlType as SqlType>::Nullability as Nullability>::Or<
    <<R as Expression>::SqlType as SqlType>::Nullability,
>;

/// `left ILIKE pattern`, or `left NOT ILIKE pattern` when `NEGATED`.
#[derive(Debug, Clone, Copy)]
pub struct ILike<L, R, const NEGATED: bool = false> {
    left: L,
    right: R,
}

/// `left NOT ILIKE pattern`.
pub type NotILike<L, R> = ILike<L, R, true>;

impl<L: Expression, R: Expression, const NEGATED: bool> Expression for ILike<L, R, NEGATED> {
    type SqlType = <EitherNull<L, R> as Nullability>::Apply<Bool>;
    const PRECEDENCE: u8 = precedence::COMPARISON;
}

impl<From, L, R, IL, IR, const NEGATED: bool> ValidIn<From, (IL, IR)> for ILike<L, R, NEGATED>
where
    L: ValidIn<From, IL>,
    R: ValidIn<From, IR>,
{
    type Nullability = <L::Nullability as Nullability>::Or<R::Nullability>;
}

crate::expression::grouping::grouping_from_operands!(
    [L, R, const NEGATED: bool,] ILike<L, R, NEGATED>; L IL, R IR
);

impl<DB, L, R, const NEGATED: bool> QueryFragment<DB> for ILike<L, R, NEGATED>
where
    DB: SupportsIlike,
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
/// A query that uses them runs only on PostgreSQL; loading it on SQLite
/// does not compile ([`SupportsIlike`]).
#[diagnostic::on_unimplemented(
    message = "`ilike` needs a text expression, and `{Self}` is not one"
)]
pub trait PgTextExpressionMethods: Expression + Sized
where
    Self::SqlType: TextLike,
{
    /// `self ILIKE pattern`: `LIKE` that ignores case.
    fn ilike<P: AsExpression<Text>>(self, pattern: P) -> ILike<Self, P::Expr> {
        ILike {
            left: self,
            right: pattern.as_expression(),
        }
    }

    /// `self NOT ILIKE pattern`.
    fn not_ilike<P: AsExpression<Text>>(self, pattern: P) -> NotILike<Self, P::Expr> {
        ILike {
            left: self,
            right: pattern.as_expression(),
        }
    }
}

impl<E: Expression> PgTextExpressionMethods for E where E::SqlType: TextLike {}
