//! Text operations: `LIKE`, `NOT LIKE` and `||`.

use crate::backend::Backend;
use crate::expression::comparison::{Compare, EitherNull, op};
use crate::expression::{AsExpression, Expression, ValidIn, operand, precedence};
use crate::query_fragment::QueryFragment;
use crate::sql_text::Part;
use crate::sql_types::{Nullability, Text, TextLike};
use quarry_runtime::Value;

/// `left LIKE pattern`.
pub type Like<L, R> = Compare<L, R, op::Like>;
/// `left NOT LIKE pattern`.
pub type NotLike<L, R> = Compare<L, R, op::NotLike>;

/// `left || right`: text concatenation.
#[derive(Debug, Clone, Copy)]
pub struct Concat<L, R> {
    pub(crate) left: L,
    pub(crate) right: R,
}

impl<L: Expression, R: Expression> Expression for Concat<L, R> {
    type SqlType = <EitherNull<L, R> as Nullability>::Apply<Text>;
    const PRECEDENCE: u8 = precedence::ADDITIVE;
}

impl<From, L, R, IL, IR> ValidIn<From, (IL, IR)> for Concat<L, R>
where
    L: ValidIn<From, IL>,
    R: ValidIn<From, IR>,
{
    type Nullability = <L::Nullability as Nullability>::Or<R::Nullability>;
}

crate::expression::grouping::grouping_from_operands!([L, R,] Concat<L, R>; L IL, R IR);

impl<DB, L, R> QueryFragment<DB> for Concat<L, R>
where
    DB: Backend,
    L: QueryFragment<DB> + Expression,
    R: QueryFragment<DB> + Expression,
{
    // `||` is OR on MariaDB/MySQL (without `PIPES_AS_CONCAT`): `CONCAT`
    // there, which is `NULL` when an argument is, as `||` is.
    const FRAG: Part = Part::ByDialect(&[
        Part::Seq(&[
            operand!(L, precedence::ADDITIVE),
            Part::Str(" || "),
            operand!(R, precedence::ADDITIVE + 1),
        ]),
        Part::Seq(&[
            operand!(L, precedence::ADDITIVE),
            Part::Str(" || "),
            operand!(R, precedence::ADDITIVE + 1),
        ]),
        Part::Seq(&[
            Part::Str("CONCAT("),
            L::FRAG,
            Part::Str(", "),
            R::FRAG,
            Part::Str(")"),
        ]),
    ]);
    fn collect_binds<'a>(&'a self, out: &mut Vec<Value<'a>>) {
        self.left.collect_binds(out);
        self.right.collect_binds(out);
    }
}

/// Methods of text expressions.
#[diagnostic::on_unimplemented(
    message = "text methods need a text expression, and `{Self}` is not one"
)]
pub trait TextExpressionMethods: Expression + Sized
where
    Self::SqlType: TextLike,
{
    /// `self LIKE pattern`.
    fn like<P: AsExpression<Text>>(self, pattern: P) -> Like<Self, P::Expr> {
        Compare {
            left: self,
            right: pattern.as_expression(),
            op: op::Like,
        }
    }

    /// `self NOT LIKE pattern`.
    fn not_like<P: AsExpression<Text>>(self, pattern: P) -> NotLike<Self, P::Expr> {
        Compare {
            left: self,
            right: pattern.as_expression(),
            op: op::NotLike,
        }
    }

    /// `self || other`.
    #[doc(alias = "||")]
    fn concat<R: AsExpression<Text>>(self, other: R) -> Concat<Self, R::Expr> {
        Concat {
            left: self,
            right: other.as_expression(),
        }
    }
}

impl<E: Expression> TextExpressionMethods for E where E::SqlType: TextLike {}
