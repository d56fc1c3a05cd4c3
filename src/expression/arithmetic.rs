//! Arithmetic: `+ - * /` on numeric SQL types, through Rust's operators.

use crate::backend::Backend;
use crate::expression::comparison::EitherNull;
use crate::expression::{Expression, ValidIn, operand, precedence};
use crate::query_fragment::Binds;
use crate::query_fragment::QueryFragment;
use crate::sql_text::Part;
use crate::sql_types::{Nullability, NumericType, Promote, SqlType};

macro_rules! arithmetic {
    ($(#[$doc:meta])* $name:ident, $sql:literal, $prec:expr, $divides:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy)]
        pub struct $name<L, R> {
            pub(crate) left: L,
            pub(crate) right: R,
        }

        impl<L: Expression, R: Expression> Expression for $name<L, R>
        where
            <L::SqlType as SqlType>::NotNull: Promote<<R::SqlType as SqlType>::NotNull>,
        {
            type SqlType = <EitherNull<L, R> as Nullability>::Apply<
                <<L::SqlType as SqlType>::NotNull as Promote<<R::SqlType as SqlType>::NotNull>>::Output,
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
            <L::SqlType as SqlType>::NotNull: Promote<<R::SqlType as SqlType>::NotNull>,
        {
            // Left-associative: the right operand needs parentheses at equal precedence.
            //
            // A division whose result is not a whole number divides as a
            // real on SQLite: it keeps a whole `Numeric` (and an integer
            // bound as `Double`) as INTEGER, and INTEGER / INTEGER
            // truncates there, where PostgreSQL's `numeric` and `double
            // precision` division does not.
            const FRAG: Part = Part::Seq(&[
                if $divides
                    && !<<<L::SqlType as SqlType>::NotNull as Promote<
                        <R::SqlType as SqlType>::NotNull,
                    >>::Output as NumericType>::INTEGRAL
                {
                    Part::ByDialect(&[
                        Part::Seq(&[Part::Str("CAST("), L::FRAG, Part::Str(" AS REAL)")]),
                        operand!(L, $prec),
                        operand!(L, $prec),
                    ])
                } else {
                    operand!(L, $prec)
                },
                // MariaDB/MySQL's `/` of integers is a `DECIMAL`; `DIV`
                // truncates toward zero, as SQLite and PostgreSQL do.
                if $divides
                    && <<<L::SqlType as SqlType>::NotNull as Promote<
                        <R::SqlType as SqlType>::NotNull,
                    >>::Output as NumericType>::INTEGRAL
                {
                    Part::ByDialect(&[Part::Str($sql), Part::Str($sql), Part::Str(" DIV ")])
                } else {
                    Part::Str($sql)
                },
                operand!(R, $prec + 1),
            ]);
            fn collect_binds<'a>(&'a self, out: &mut Binds<'a>) {
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
    precedence::ADDITIVE,
    false
);
arithmetic!(
    /// `left - right`.
    Sub,
    " - ",
    precedence::ADDITIVE,
    false
);
arithmetic!(
    /// `left * right`.
    Mul,
    " * ",
    precedence::MULTIPLICATIVE,
    false
);
arithmetic!(
    /// `left / right`.
    Div,
    " / ",
    precedence::MULTIPLICATIVE,
    true
);

/// `-expr`: unary minus, through Rust's `-`.
#[derive(Debug, Clone, Copy)]
pub struct Neg<E> {
    pub(crate) expr: E,
}

impl<E: Expression> Expression for Neg<E>
where
    E::SqlType: NumericType,
{
    type SqlType = E::SqlType;
    const PRECEDENCE: u8 = precedence::UNARY;
}

impl<From, E: ValidIn<From, I>, I> ValidIn<From, I> for Neg<E> {
    type Nullability = E::Nullability;
}

impl<M, E, I> crate::expression::grouping::Grouping<M, I> for Neg<E>
where
    E: crate::expression::grouping::Grouping<M, I>,
{
    type Kind = E::Kind;
}

impl<DB, E> QueryFragment<DB> for Neg<E>
where
    DB: Backend,
    E: QueryFragment<DB> + Expression,
{
    // `- -x` would start a comment: an operand that is not an atom is
    // parenthesised.
    const FRAG: Part = Part::Seq(&[Part::Str("-"), operand!(E, precedence::ATOM)]);
    fn collect_binds<'a>(&'a self, out: &mut Binds<'a>) {
        self.expr.collect_binds(out);
    }
}

/// Implements Rust's `+ - * /` and unary `-` for an expression type, with
/// any [`Operand`](crate::expression::Operand) on the right, and with a
/// Rust number on the left (`1 - discount`); and makes the type an operand
/// itself. `table!` uses it for every column, and every expression node of
/// quarry for itself: where the SQL type is not numeric, the use is an
/// error that names the expression and its type.
#[doc(hidden)]
#[macro_export]
macro_rules! __impl_arithmetic_ops {
    ([$($generics:tt)*] $ty:ty) => {
        $crate::__impl_arithmetic_ops!(@right [$($generics)*] $ty);
        $crate::__impl_number_left_of!([$($generics)*] $ty, Add, add);
        $crate::__impl_number_left_of!([$($generics)*] $ty, Sub, sub);
        $crate::__impl_number_left_of!([$($generics)*] $ty, Mul, mul);
        $crate::__impl_number_left_of!([$($generics)*] $ty, Div, div);
    };
    (@right [$($generics:tt)*] $ty:ty) => {
        $crate::__impl_arithmetic_ops!(@operand [$($generics)*] $ty);
        $crate::__impl_arithmetic_ops!(@op [$($generics)*] $ty, Add, add);
        $crate::__impl_arithmetic_ops!(@op [$($generics)*] $ty, Sub, sub);
        $crate::__impl_arithmetic_ops!(@op [$($generics)*] $ty, Mul, mul);
        $crate::__impl_arithmetic_ops!(@op [$($generics)*] $ty, Div, div);
        impl<$($generics)*> ::core::ops::Neg for $ty
        where
            for<'__q> $ty: $crate::__private::Expression,
            for<'__q> <$ty as $crate::__private::Expression>::SqlType: $crate::sql_types::NumericType,
        {
            type Output = $crate::expression::Neg<$ty>;
            fn neg(self) -> Self::Output {
                $crate::__private::negate(self)
            }
        }
    };
    (@op [$($generics:tt)*] $ty:ty, $op:ident, $method:ident) => {
        // The only bound names `Rhs`, so that rustc finds this impl for any
        // left side and reports a non-numeric one through `Operand`, in a
        // sentence, instead of "cannot add". Both sides of the result come
        // through `Operand`, so that one mistake is one error.
        impl<$($generics)* Rhs> ::core::ops::$op<Rhs> for $ty
        where
            Rhs: $crate::expression::Operand<$ty>,
        {
            type Output = $crate::expression::$op<Rhs::Left, Rhs::Expr>;
            fn $method(self, rhs: Rhs) -> Self::Output {
                $crate::__private::arithmetic::<Rhs::Left, Rhs::Expr, $crate::expression::$op<Rhs::Left, Rhs::Expr>>(
                    <Rhs as $crate::expression::Operand<$ty>>::left(self),
                    $crate::expression::Operand::into_operand(rhs),
                )
            }
        }
    };
    (@operand [$($generics:tt)*] $ty:ty) => {
        impl<$($generics)* __L> $crate::expression::Operand<__L> for $ty
        where
            __L: $crate::__private::Expression,
            <__L as $crate::__private::Expression>::SqlType: $crate::expression::NumericOf<__L>,
            $ty: $crate::expression::NumericBeside<__L>,
        {
            type Expr = <$ty as $crate::expression::NumericBeside<__L>>::Expr;
            type Left = <<__L as $crate::__private::Expression>::SqlType as $crate::expression::NumericOf<__L>>::Expr;
            fn into_operand(self) -> Self::Expr {
                $crate::expression::NumericBeside::<__L>::numeric(self)
            }
            fn left(left: __L) -> Self::Left {
                <<__L as $crate::__private::Expression>::SqlType as $crate::expression::NumericOf<__L>>::expr(left)
            }
        }
    };
    (@left $generics:tt $ty:ty, $op:ident, $method:ident, $($number:ty),*) => {$(
        $crate::__impl_arithmetic_ops!(@left_one $generics $ty, $op, $method, $number);
    )*};
    (@left_one [$($generics:tt)*] $ty:ty, $op:ident, $method:ident, $number:ty) => {
        // The bounds are higher-ranked so that a column type, which has no
        // generics, may leave them unmet: `1 - title` is an error at its
        // use, not at `table!`.
        impl<$($generics)*> ::core::ops::$op<$ty> for $number
        where
            for<'__q> $number: $crate::expression::Operand<$ty>,
        {
            type Output = $crate::expression::$op<<$number as $crate::expression::Operand<$ty>>::Expr, $ty>;
            fn $method(self, rhs: $ty) -> Self::Output {
                $crate::__private::arithmetic(
                    <$number as $crate::expression::Operand<$ty>>::into_operand(self),
                    rhs,
                )
            }
        }
    };
}

/// A Rust number left of an operator: `1 - discount`.
#[cfg(feature = "rust_decimal")]
#[doc(hidden)]
#[macro_export]
macro_rules! __impl_number_left_of {
    ([$($generics:tt)*] $ty:ty, $op:ident, $method:ident) => {
        $crate::__impl_arithmetic_ops!(
            @left [$($generics)*] $ty, $op, $method, i16, i32, i64, f32, f64, $crate::__private::Decimal
        );
    };
}

/// A Rust number left of an operator: `1 - discount`.
#[cfg(not(feature = "rust_decimal"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __impl_number_left_of {
    ([$($generics:tt)*] $ty:ty, $op:ident, $method:ident) => {
        $crate::__impl_arithmetic_ops!(@left [$($generics)*] $ty, $op, $method, i16, i32, i64, f32, f64);
    };
}

/// Builds an arithmetic node; used by [`__impl_arithmetic_ops`].
#[doc(hidden)]
pub fn arithmetic<L, R, Node: From<(L, R)>>(left: L, right: R) -> Node {
    Node::from((left, right))
}

/// Builds a [`Neg`] node; used by [`__impl_arithmetic_ops`].
#[doc(hidden)]
pub fn negate<E>(expr: E) -> Neg<E> {
    Neg { expr }
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
crate::__impl_arithmetic_ops!([E,] Neg<E>);
