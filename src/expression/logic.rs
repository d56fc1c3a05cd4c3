//! `AND`, `OR` and `NOT`.

use crate::backend::Backend;
use crate::expression::comparison::EitherNull;
use crate::expression::{AsExpression, Expression, ValidIn, operand, precedence};
use crate::query_fragment::Binds;
use crate::query_fragment::QueryFragment;
use crate::sql_text::Part;
use crate::sql_types::{Bool, BoolLike, Nullability};

macro_rules! connective {
    ($(#[$doc:meta])* $name:ident, $sql:literal, $prec:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default)]
        pub struct $name<L, R> {
            pub(crate) left: L,
            pub(crate) right: R,
        }

        impl<L: Expression, R: Expression> Expression for $name<L, R> {
            type SqlType = <EitherNull<L, R> as Nullability>::Apply<Bool>;
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
            // Both are associative, so equal precedence needs no parentheses.
            const FRAG: Part = Part::Seq(&[operand!(L, $prec), Part::Str($sql), operand!(R, $prec)]);
            fn collect_binds<'a>(&'a self, out: &mut Binds<'a>) {
                self.left.collect_binds(out);
                self.right.collect_binds(out);
            }
        }
    };
}

connective!(
    /// `left AND right`.
    And,
    " AND ",
    precedence::AND
);
connective!(
    /// `left OR right`.
    Or,
    " OR ",
    precedence::OR
);

/// `NOT expr`.
#[derive(Debug, Clone, Copy)]
pub struct Not<E>(pub(crate) E);

impl<E: Expression> Expression for Not<E> {
    type SqlType = E::SqlType;
    const PRECEDENCE: u8 = precedence::NOT;
}

impl<From, E: ValidIn<From, I>, I> ValidIn<From, I> for Not<E> {
    type Nullability = E::Nullability;
}

crate::expression::grouping::grouping_from_operands!([E,] Not<E>; E IE);

impl<DB: Backend, E: QueryFragment<DB> + Expression> QueryFragment<DB> for Not<E> {
    const FRAG: Part = Part::Seq(&[Part::Str("NOT "), operand!(E, precedence::NOT + 2)]);
    fn collect_binds<'a>(&'a self, out: &mut Binds<'a>) {
        self.0.collect_binds(out);
    }
}

/// `NOT expr`: negates a boolean expression.
pub fn not<E>(expr: E) -> Not<E::Expr>
where
    E: AsExpression<Bool>,
    <E::Expr as Expression>::SqlType: BoolLike,
{
    Not(expr.as_expression())
}

// Booleans: arithmetic on them is an error naming them.
crate::__impl_arithmetic_ops!([L, R,] And<L, R>);
crate::__impl_arithmetic_ops!([L, R,] Or<L, R>);
crate::__impl_arithmetic_ops!([E,] Not<E>);
