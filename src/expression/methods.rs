//! The methods every expression has: comparisons, null tests, lists,
//! ordering; and `and` / `or` on boolean expressions. Arithmetic uses
//! Rust's own operators: `posts::views + 1`.

use crate::expression::comparison::{Between, Compare, IsNotNull, IsNull, op};
use crate::expression::logic::{And, Or};
use crate::expression::ordering::{Asc, Desc};
use crate::expression::subquery::InList;
use crate::expression::{AsExpression, Comparand, Expression};
use crate::sql_types::{Bool, BoolLike};

/// Comparison methods of every expression. The other side must have the
/// same SQL type (nullability aside), or be numeric beside a numeric
/// expression: a Rust value of a matching type, or another expression
/// (see [`Comparand`]).
#[diagnostic::on_unimplemented(message = "`{Self}` is not a SQL expression")]
pub trait ExpressionMethods: Expression + Sized {
    /// `self = other`.
    #[doc(alias = "=")]
    fn eq<R: Comparand<Self::SqlType>>(self, other: R) -> Compare<Self, R::Expr, op::Eq> {
        compare(self, other, op::Eq)
    }
    /// `self <> other`.
    #[doc(alias = "<>")]
    fn ne<R: Comparand<Self::SqlType>>(self, other: R) -> Compare<Self, R::Expr, op::NotEq> {
        compare(self, other, op::NotEq)
    }
    /// `self < other`.
    #[doc(alias = "<")]
    fn lt<R: Comparand<Self::SqlType>>(self, other: R) -> Compare<Self, R::Expr, op::Lt> {
        compare(self, other, op::Lt)
    }
    /// `self <= other`.
    #[doc(alias = "<=")]
    fn le<R: Comparand<Self::SqlType>>(self, other: R) -> Compare<Self, R::Expr, op::LtEq> {
        compare(self, other, op::LtEq)
    }
    /// `self > other`.
    #[doc(alias = ">")]
    fn gt<R: Comparand<Self::SqlType>>(self, other: R) -> Compare<Self, R::Expr, op::Gt> {
        compare(self, other, op::Gt)
    }
    /// `self >= other`.
    #[doc(alias = ">=")]
    fn ge<R: Comparand<Self::SqlType>>(self, other: R) -> Compare<Self, R::Expr, op::GtEq> {
        compare(self, other, op::GtEq)
    }
    /// `self BETWEEN low AND high`.
    fn between<Lo, Hi>(self, low: Lo, high: Hi) -> Between<Self, Lo::Expr, Hi::Expr>
    where
        Lo: Comparand<Self::SqlType>,
        Hi: Comparand<Self::SqlType>,
    {
        Between {
            expr: self,
            low: low.into_comparand(),
            high: high.into_comparand(),
        }
    }
    /// `self IS NULL`.
    fn is_null(self) -> IsNull<Self> {
        IsNull(self)
    }
    /// `self IS NOT NULL`.
    fn is_not_null(self) -> IsNotNull<Self> {
        IsNotNull(self)
    }
    /// `self IN (values)`: a list of Rust values (one bind value for the
    /// whole list, so lists of every length share one SQL text), or a
    /// subquery selecting one column of the same type.
    #[doc(alias = "in")]
    fn eq_any<L, K>(self, list: L) -> L::Node<Self, false>
    where
        L: InList<Self::SqlType, K>,
    {
        list.in_list::<Self, false>(self)
    }
    /// `self NOT IN (values)`, with a list or a subquery like `eq_any`.
    #[doc(alias = "not in")]
    fn ne_all<L, K>(self, list: L) -> L::Node<Self, true>
    where
        L: InList<Self::SqlType, K>,
    {
        list.in_list::<Self, true>(self)
    }
    /// `self ASC` in `order`.
    fn asc(self) -> Asc<Self> {
        Asc(self)
    }
    /// `self DESC` in `order`.
    fn desc(self) -> Desc<Self> {
        Desc(self)
    }
}

impl<E: Expression> ExpressionMethods for E {}

fn compare<L, R, Op>(left: L, right: R, op: Op) -> Compare<L, R::Expr, Op>
where
    L: Expression,
    R: Comparand<L::SqlType>,
{
    Compare {
        left,
        right: right.into_comparand(),
        op,
    }
}

/// `and` / `or` of boolean expressions.
#[diagnostic::on_unimplemented(
    message = "`and`/`or` need a boolean expression, and `{Self}` is not one"
)]
pub trait BoolExpressionMethods: Expression + Sized
where
    Self::SqlType: BoolLike,
{
    /// `self AND other`.
    fn and<R>(self, other: R) -> And<Self, R::Expr>
    where
        R: AsExpression<Bool>,
    {
        And {
            left: self,
            right: other.as_expression(),
        }
    }
    /// `self OR other`.
    fn or<R>(self, other: R) -> Or<Self, R::Expr>
    where
        R: AsExpression<Bool>,
    {
        Or {
            left: self,
            right: other.as_expression(),
        }
    }
}

impl<E: Expression> BoolExpressionMethods for E where E::SqlType: BoolLike {}
