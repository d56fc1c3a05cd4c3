//! Comparisons: `=`, `<>`, `<`, `<=`, `>`, `>=`, `BETWEEN`, `IS NULL`.

use crate::backend::Backend;
use crate::expression::{Expression, ValidIn, operand, precedence};
use crate::query_fragment::Binds;
use crate::query_fragment::QueryFragment;
use crate::sql_text::Part;
use crate::sql_types::{Bool, Nullability, SqlType};

/// A binary comparison operator.
#[diagnostic::on_unimplemented(message = "`{Self}` is not a comparison operator")]
pub trait Operator {
    /// The operator's SQL, with spaces around it.
    const SQL: &'static str;
    /// What follows the right operand; nothing but for `LIKE`.
    const AFTER: Part = Part::Str("");
}

/// `ESCAPE '\'` after a `LIKE` pattern on SQLite, which has no escape
/// character otherwise; PostgreSQL and MariaDB read `\` as one already.
/// So `\%`, `\_` and `\\` in a pattern mean a literal `%`, `_` and `\`
/// on every backend.
const LIKE_ESCAPE: Part =
    Part::ByDialect(&[Part::Str(" ESCAPE '\\'"), Part::Str(""), Part::Str("")]);

macro_rules! operators {
    ($($(#[$doc:meta])* $name:ident = $sql:literal $(, after $after:expr)?;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default)]
        pub struct $name;
        impl Operator for $name {
            const SQL: &'static str = $sql;
            $(const AFTER: Part = $after;)?
        }
    )*};
}

/// Comparison operators, as type parameters of [`Compare`].
pub mod op {
    use super::{LIKE_ESCAPE, Operator, Part};
    operators! {
        /// `=`
        Eq = " = ";
        /// `<>`
        NotEq = " <> ";
        /// `<`
        Lt = " < ";
        /// `<=`
        LtEq = " <= ";
        /// `>`
        Gt = " > ";
        /// `>=`
        GtEq = " >= ";
        /// `LIKE`; on SQLite followed by `ESCAPE '\'`, so that `\`
        /// escapes `%`, `_` and itself as on PostgreSQL and MariaDB.
        Like = " LIKE ", after LIKE_ESCAPE;
        /// `NOT LIKE`; on SQLite followed by `ESCAPE '\'`, as `LIKE` is.
        NotLike = " NOT LIKE ", after LIKE_ESCAPE;
    }
}

/// The nullability of a result that is `NULL` when either input is.
pub(crate) type EitherNull<L, R> =
    <<<L as Expression>::SqlType as SqlType>::Nullability as Nullability>::Or<
        <<R as Expression>::SqlType as SqlType>::Nullability,
    >;

/// `left OP right`, where both sides have the same SQL type.
#[derive(Debug, Clone, Copy, Default)]
pub struct Compare<L, R, Op> {
    pub(crate) left: L,
    pub(crate) right: R,
    /// The operator is in the type; the value is a unit struct.
    #[allow(dead_code)]
    pub(crate) op: Op,
}

impl<L: Expression, R: Expression, Op> Expression for Compare<L, R, Op> {
    type SqlType = <EitherNull<L, R> as Nullability>::Apply<Bool>;
    const PRECEDENCE: u8 = precedence::COMPARISON;
}

impl<From, L, R, Op, IL, IR> ValidIn<From, (IL, IR)> for Compare<L, R, Op>
where
    L: ValidIn<From, IL>,
    R: ValidIn<From, IR>,
{
    type Nullability = <L::Nullability as Nullability>::Or<R::Nullability>;
}

crate::expression::grouping::grouping_from_operands!([L, R, Op,] Compare<L, R, Op>; L IL, R IR);

impl<DB, L, R, Op> QueryFragment<DB> for Compare<L, R, Op>
where
    DB: Backend,
    L: QueryFragment<DB> + Expression,
    R: QueryFragment<DB> + Expression,
    Op: Operator,
{
    const FRAG: Part = Part::Seq(&[
        operand!(L, precedence::COMPARISON + 1),
        Part::Str(Op::SQL),
        operand!(R, precedence::COMPARISON + 1),
        Op::AFTER,
    ]);
    fn collect_binds<'a>(&'a self, out: &mut Binds<'a>) {
        self.left.collect_binds(out);
        self.right.collect_binds(out);
    }
}

/// `expr BETWEEN low AND high`.
#[derive(Debug, Clone, Copy)]
pub struct Between<E, Lo, Hi> {
    pub(crate) expr: E,
    pub(crate) low: Lo,
    pub(crate) high: Hi,
}

impl<E: Expression, Lo: Expression, Hi: Expression> Expression for Between<E, Lo, Hi> {
    type SqlType = <<EitherNull<E, Lo> as Nullability>::Or<
        <Hi::SqlType as SqlType>::Nullability,
    > as Nullability>::Apply<Bool>;
    const PRECEDENCE: u8 = precedence::COMPARISON;
}

impl<From, E, Lo, Hi, IE, IL, IH> ValidIn<From, (IE, IL, IH)> for Between<E, Lo, Hi>
where
    E: ValidIn<From, IE>,
    Lo: ValidIn<From, IL>,
    Hi: ValidIn<From, IH>,
{
    type Nullability =
        <<E::Nullability as Nullability>::Or<Lo::Nullability> as Nullability>::Or<Hi::Nullability>;
}

crate::expression::grouping::grouping_from_operands!([E, Lo, Hi,] Between<E, Lo, Hi>; E IE, Lo IL, Hi IH);

impl<DB, E, Lo, Hi> QueryFragment<DB> for Between<E, Lo, Hi>
where
    DB: Backend,
    E: QueryFragment<DB> + Expression,
    Lo: QueryFragment<DB> + Expression,
    Hi: QueryFragment<DB> + Expression,
{
    const FRAG: Part = Part::Seq(&[
        operand!(E, precedence::COMPARISON + 1),
        Part::Str(" BETWEEN "),
        operand!(Lo, precedence::COMPARISON + 1),
        Part::Str(" AND "),
        operand!(Hi, precedence::COMPARISON + 1),
    ]);
    fn collect_binds<'a>(&'a self, out: &mut Binds<'a>) {
        self.expr.collect_binds(out);
        self.low.collect_binds(out);
        self.high.collect_binds(out);
    }
}

macro_rules! null_test {
    ($(#[$doc:meta])* $name:ident, $sql:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy)]
        pub struct $name<E>(pub(crate) E);

        impl<E: Expression> Expression for $name<E> {
            type SqlType = Bool;
            const PRECEDENCE: u8 = precedence::COMPARISON;
        }

        // `IS NULL` is never NULL, whatever the joins.
                impl<From, E: ValidIn<From, I>, I> ValidIn<From, I> for $name<E> {
            type Nullability = crate::sql_types::NotNull;
        }

        crate::expression::grouping::grouping_from_operands!([E,] $name<E>; E IE);

        impl<DB: Backend, E: QueryFragment<DB> + Expression> QueryFragment<DB> for $name<E> {
            const FRAG: Part = Part::Seq(&[operand!(E, precedence::COMPARISON + 1), Part::Str($sql)]);
            fn collect_binds<'a>(&'a self, out: &mut Binds<'a>) {
                self.0.collect_binds(out);
            }
        }
    };
}

null_test!(
    /// `expr IS NULL`.
    IsNull,
    " IS NULL"
);
null_test!(
    /// `expr IS NOT NULL`.
    IsNotNull,
    " IS NOT NULL"
);

// Comparisons are `Bool`: arithmetic on them is an error naming them.
crate::__impl_arithmetic_ops!([L, R, Op,] Compare<L, R, Op>);
crate::__impl_arithmetic_ops!([E, Lo, Hi,] Between<E, Lo, Hi>);
crate::__impl_arithmetic_ops!([E,] IsNull<E>);
crate::__impl_arithmetic_ops!([E,] IsNotNull<E>);
