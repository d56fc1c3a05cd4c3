//! Arithmetic: `+ - * /` on numeric SQL types, through Rust's operators.

use crate::backend::Backend;
use crate::expression::comparison::EitherNull;
use crate::expression::{Expression, ValidIn, operand, precedence};
use crate::query_fragment::QueryFragment;
use crate::sql_text::Part;
use crate::sql_types::{Nullability, SqlType};
use quarry_runtime::Value;

macro_rules! arithmetic {
    ($(#[$doc:meta])* $name:ident, $sql:literal, $prec:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy)]
        pub struct $name<L, R> {
            pub(crate) left: L,
            pub(crate) right: R,
        }

        impl<L: Expression, R: Expression> Expression for $name<L, R> {
            type SqlType = <EitherNull<L, R> as Nullability>::Apply<
                <L::SqlType as SqlType>::NotNull,
            >;
            const PRECEDENCE: u8 = $prec;
        }

                impl<From, L, R, IL, IR> ValidIn<From, (IL, IR)> for $name<L, R>
        where
            L: ValidIn<From, IL>,
            R: ValidIn<From, IR>,
        {
            type Nullability = <L::Nullability as Nullability>::Or<R::Nullability>;
        }

        crate::expression::grouping::grouping_from_operands!([L, R,] $name<L, R>; L IL, R IR);

        impl<DB, L, R> QueryFragment<DB> for $name<L, R>
        where
            DB: Backend,
            L: QueryFragment<DB> + Expression,
            R: QueryFragment<DB> + Expression,
        {
            // Left-associative: the right operand needs parentheses at equal precedence.
            const FRAG: Part = Part::Seq(&[operand!(L, $prec), Part::Str($sql), operand!(R, $prec + 1)]);
            fn collect_binds<'a>(&'a self, out: &mut Vec<Value<'a>>) {
                self.left.collect_binds(out);
                self.right.collect_binds(out);
            }
        }
    };
}

arithmetic!(
    /// `left + right`.
    Add,
    " + ",
    precedence::ADDITIVE
);
arithmetic!(
    /// `left - right`.
    Sub,
    " - ",
    precedence::ADDITIVE
);
arithmetic!(
    /// `left * right`.
    Mul,
    " * ",
    precedence::MULTIPLICATIVE
);
arithmetic!(
    /// `left / right`.
    Div,
    " / ",
    precedence::MULTIPLICATIVE
);

/// Implements Rust's `+ - * /` for an expression type whose SQL type is
/// numeric. `table!` uses it for every column; the arithmetic nodes use it
/// for themselves.
#[doc(hidden)]
#[macro_export]
macro_rules! __impl_arithmetic_ops {
    ([$($generics:tt)*] $ty:ty) => {
        $crate::__impl_arithmetic_ops!(@op [$($generics)*] $ty, Add, add);
        $crate::__impl_arithmetic_ops!(@op [$($generics)*] $ty, Sub, sub);
        $crate::__impl_arithmetic_ops!(@op [$($generics)*] $ty, Mul, mul);
        $crate::__impl_arithmetic_ops!(@op [$($generics)*] $ty, Div, div);
    };
    (@op [$($generics:tt)*] $ty:ty, $op:ident, $method:ident) => {
        impl<$($generics)* Rhs> ::core::ops::$op<Rhs> for $ty
        where
            $ty: $crate::__private::Expression,
            <$ty as $crate::__private::Expression>::SqlType: $crate::sql_types::NumericType,
            Rhs: $crate::__private::AsExpression<<$ty as $crate::__private::Expression>::SqlType>,
        {
            type Output = $crate::expression::$op<$ty, Rhs::Expr>;
            fn $method(self, rhs: Rhs) -> Self::Output {
                $crate::__private::arithmetic::<$ty, Rhs::Expr, $crate::expression::$op<$ty, Rhs::Expr>>(
                    self,
                    $crate::__private::AsExpression::as_expression(rhs),
                )
            }
        }
    };
}

/// Builds an arithmetic node; used by [`__impl_arithmetic_ops`].
#[doc(hidden)]
pub fn arithmetic<L, R, Node: From<(L, R)>>(left: L, right: R) -> Node {
    Node::from((left, right))
}

macro_rules! node_ops {
    ($($name:ident),*) => {$(
        impl<L, R> From<(L, R)> for $name<L, R> {
            fn from((left, right): (L, R)) -> Self {
                $name { left, right }
            }
        }
        crate::__impl_arithmetic_ops!([L, R,] $name<L, R>);
    )*};
}
node_ops!(Add, Sub, Mul, Div);
