//! Text operations: `LIKE`, `NOT LIKE` and `||`.

use crate::backend::Backend;
use crate::expression::comparison::{Compare, EitherNull, op};
use crate::expression::{AsExpression, Expression, ValidIn, operand, precedence};
use crate::query_fragment::Binds;
use crate::query_fragment::QueryFragment;
use crate::sql_text::Part;
use crate::sql_types::{Nullability, Text, TextLike};

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
    fn collect_binds<'a>(&'a self, out: &mut Binds<'a>) {
        self.left.collect_binds(out);
        self.right.collect_binds(out);
    }
}

/// The SQL type of the text expression `E`: implemented for `Text` and
/// `Nullable<Text>` only.
///
/// This is what makes `posts::views.like("1%")` fail to compile, with a
/// message naming the column.
#[diagnostic::on_unimplemented(
    message = "`{E}` is SQL `{Self}`, not text: `like`, `not_like`, `ilike` and `concat` need a text expression",
    label = "`{E}` is not text",
    note = "compare a number with `eq`, `lt` or `between`, or `cast` it to `Text` first"
)]
pub trait TextOf<E>: TextLike {}
#[diagnostic::do_not_recommend]
impl<E> TextOf<E> for Text {}
#[diagnostic::do_not_recommend]
impl<E> TextOf<E> for crate::sql_types::Nullable<Text> {}

/// Methods of text expressions. Every expression has them, so that using
/// one on an expression that is not text says so in a sentence
/// ([`TextOf`]).
#[diagnostic::on_unimplemented(message = "`{Self}` is not a SQL expression")]
pub trait TextExpressionMethods: Expression + Sized {
    /// `self LIKE pattern`.
    fn like<P: AsExpression<Text>>(self, pattern: P) -> Like<Self, P::Expr>
    where
        Self::SqlType: TextOf<Self>,
    {
        Compare {
            left: self,
            right: pattern.as_expression(),
            op: op::Like,
        }
    }

    /// `self NOT LIKE pattern`.
    fn not_like<P: AsExpression<Text>>(self, pattern: P) -> NotLike<Self, P::Expr>
    where
        Self::SqlType: TextOf<Self>,
    {
        Compare {
            left: self,
            right: pattern.as_expression(),
            op: op::NotLike,
        }
    }

    /// `self || other`.
    #[doc(alias = "||")]
    fn concat<R: AsExpression<Text>>(self, other: R) -> Concat<Self, R::Expr>
    where
        Self::SqlType: TextOf<Self>,
    {
        Concat {
            left: self,
            right: other.as_expression(),
        }
    }
}

impl<E: Expression> TextExpressionMethods for E {}

// Text: arithmetic on it is an error naming it.
crate::__impl_arithmetic_ops!([L, R,] Concat<L, R>);
