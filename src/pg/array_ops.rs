//! Array operators, PostgreSQL only: `@>` (contains), `<@` (is contained
//! by), `&&` (overlaps), `value = ANY(array)` and `array_length(array, n)`.
//!
//! Both sides of an operator are arrays of the same element type: this is
//! what makes `articles::tags.contains(vec![1, 2])` fail to compile for a
//! `tags -> Array<Text>` column. Every node needs [`SupportsArrays`], so a
//! query that uses one does not compile for SQLite.

use core::marker::PhantomData;

use super::SupportsArrays;
use crate::expression::{AsExpression, Bound, Expression, ValidIn, operand, precedence};
use crate::query_fragment::QueryFragment;
use crate::sql_text::Part;
use crate::sql_types::{Array, Bool, Integer, IsNull, Nullability, Nullable, SqlType};

/// `Array<T>`, without `Nullable`: what the array operators take, and its
/// element type `T` (which may be `Nullable<_>`).
#[diagnostic::on_unimplemented(
    message = "array operators need an `Array<T>` expression, found SQL `{Self}`"
)]
pub trait IsArray: SqlType {
    /// The element's SQL type.
    type Element: SqlType;
}
impl<T: SqlType> IsArray for Array<T> {
    type Element = T;
}

/// The element type of the array expression `E`.
pub type ElementOf<E> = <<<E as Expression>::SqlType as SqlType>::NotNull as IsArray>::Element;

/// One array operator: its SQL.
pub trait ArrayOperator {
    /// The operator, with spaces.
    const SQL: &'static str;
}

macro_rules! array_operators {
    ($($(#[$doc:meta])* $name:ident = $sql:literal;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy)]
        pub struct $name;
        impl ArrayOperator for $name {
            const SQL: &'static str = $sql;
        }
    )*};
}

array_operators! {
    /// `@>`: every element of the right array is in the left one.
    ArrayContains = " @> ";
    /// `<@`: every element of the left array is in the right one.
    ArrayContainedBy = " <@ ";
    /// `&&`: the arrays have an element in common.
    ArrayOverlaps = " && ";
}

type EitherNull<L, R> = <<<L as Expression>::SqlType as SqlType>::Nullability as Nullability>::Or<
    <<R as Expression>::SqlType as SqlType>::Nullability,
>;

/// `left Op right` for two arrays: `NULL` only when a side is (a `NULL`
/// element never matches, and makes no `NULL` result).
#[derive(Debug, Clone, Copy)]
pub struct ArrayOp<L, R, Op> {
    left: L,
    right: R,
    op: PhantomData<Op>,
}

impl<L: Expression, R: Expression, Op> Expression for ArrayOp<L, R, Op> {
    type SqlType = <EitherNull<L, R> as Nullability>::Apply<Bool>;
    const PRECEDENCE: u8 = precedence::COMPARISON;
}

impl<From, L, R, IL, IR, Op> ValidIn<From, (IL, IR)> for ArrayOp<L, R, Op>
where
    L: ValidIn<From, IL>,
    R: ValidIn<From, IR>,
{
    type Nullability = <L::Nullability as Nullability>::Or<R::Nullability>;
}

crate::expression::grouping::grouping_from_operands!(
    [L, R, Op,] ArrayOp<L, R, Op>; L IL, R IR
);

impl<DB, L, R, Op> QueryFragment<DB> for ArrayOp<L, R, Op>
where
    DB: SupportsArrays,
    Op: ArrayOperator,
    L: QueryFragment<DB> + Expression,
    R: QueryFragment<DB> + Expression,
{
    const FRAG: Part = Part::Seq(&[
        operand!(L, precedence::COMPARISON + 1),
        Part::Str(Op::SQL),
        operand!(R, precedence::COMPARISON + 1),
    ]);
    fn collect_binds<'a>(&'a self, out: &mut crate::query_fragment::Binds<'a>) {
        self.left.collect_binds(out);
        self.right.collect_binds(out);
    }
}

/// The nullability of `value = ANY(array)`: `NULL` when either is, and
/// also when the elements may be (`'x' = ANY('{a,NULL}')` is `NULL`).
type AnyNull<V, A> = <EitherNull<V, A> as Nullability>::Or<<ElementOf<A> as SqlType>::Nullability>;

/// `value = ANY(array)`: whether `value` is one of the array's elements.
#[derive(Debug, Clone, Copy)]
pub struct AnyElement<V, A> {
    value: V,
    array: A,
}

impl<V: Expression, A: Expression> Expression for AnyElement<V, A>
where
    <A::SqlType as SqlType>::NotNull: IsArray,
{
    type SqlType = <AnyNull<V, A> as Nullability>::Apply<Bool>;
    const PRECEDENCE: u8 = precedence::COMPARISON;
}

impl<From, V, A, IV, IA> ValidIn<From, (IV, IA)> for AnyElement<V, A>
where
    V: ValidIn<From, IV>,
    A: ValidIn<From, IA>,
{
    type Nullability = <V::Nullability as Nullability>::Or<A::Nullability>;
}

crate::expression::grouping::grouping_from_operands!(
    [V, A,] AnyElement<V, A>; V IV, A IA
);

impl<DB, V, A> QueryFragment<DB> for AnyElement<V, A>
where
    DB: SupportsArrays,
    V: QueryFragment<DB> + Expression,
    A: QueryFragment<DB> + Expression,
{
    const FRAG: Part = Part::Seq(&[
        operand!(V, precedence::COMPARISON + 1),
        Part::Str(" = ANY("),
        A::FRAG,
        Part::Str(")"),
    ]);
    fn collect_binds<'a>(&'a self, out: &mut crate::query_fragment::Binds<'a>) {
        self.value.collect_binds(out);
        self.array.collect_binds(out);
    }
}

/// `array_length(array, dimension)`: the number of elements along
/// `dimension` (from 1), `NULL` for an empty array or a dimension it does
/// not have.
#[derive(Debug, Clone, Copy)]
pub struct ArrayLength<A> {
    array: A,
    dimension: Bound<Integer, i32>,
}

impl<A: Expression> Expression for ArrayLength<A> {
    type SqlType = Nullable<Integer>;
}

impl<From, A: ValidIn<From, I>, I> ValidIn<From, I> for ArrayLength<A> {
    type Nullability = IsNull;
}

crate::expression::grouping::grouping_from_operands!([A,] ArrayLength<A>; A IA);

impl<DB, A> QueryFragment<DB> for ArrayLength<A>
where
    DB: SupportsArrays,
    A: QueryFragment<DB> + Expression,
{
    const FRAG: Part = Part::Seq(&[
        Part::Str("array_length("),
        A::FRAG,
        Part::Str(", "),
        <Bound<Integer, i32> as QueryFragment<DB>>::FRAG,
        Part::Str(")"),
    ]);
    fn collect_binds<'a>(&'a self, out: &mut crate::query_fragment::Binds<'a>) {
        self.array.collect_binds(out);
        QueryFragment::<DB>::collect_binds(&self.dimension, out);
    }
}

/// PostgreSQL's array operators, on any `Array<T>` expression. The other
/// side is an array of the same element type: a column, or a `Vec` bound
/// as one value. A query that uses them runs only on PostgreSQL
/// ([`SupportsArrays`]).
///
/// ```
/// use quarry::pg::PgArrayExpressionMethods;
/// use quarry::prelude::*;
///
/// quarry::table! { articles (id) { id -> Integer, tags -> Array<Text>, } }
///
/// let q = articles::table
///     .filter(articles::tags.contains(vec!["rust"]))
///     .filter(articles::tags.overlaps_with(vec!["db", "sql"]))
///     .filter(articles::tags.has_element("orm"))
///     .select((articles::id, articles::tags.array_length(1)));
/// assert_eq!(
///     quarry::debug_query::<quarry::Pg, _>(q).sql(),
///     r#"SELECT "articles"."id", array_length("articles"."tags", $1) FROM "articles" WHERE "articles"."tags" @> $2 AND "articles"."tags" && $3 AND $4 = ANY("articles"."tags")"#
/// );
/// ```
#[diagnostic::on_unimplemented(
    message = "array operators need an `Array<T>` expression, and `{Self}` is not one"
)]
pub trait PgArrayExpressionMethods: Expression + Sized
where
    <Self::SqlType as SqlType>::NotNull: IsArray,
{
    /// `self @> other`: every element of `other` is in `self`.
    #[doc(alias = "@>")]
    fn contains<O>(self, other: O) -> ArrayOp<Self, O::Expr, ArrayContains>
    where
        O: AsExpression<Array<ElementOf<Self>>>,
    {
        ArrayOp {
            left: self,
            right: other.as_expression(),
            op: PhantomData,
        }
    }

    /// `self <@ other`: every element of `self` is in `other`.
    #[doc(alias = "<@")]
    fn is_contained_by<O>(self, other: O) -> ArrayOp<Self, O::Expr, ArrayContainedBy>
    where
        O: AsExpression<Array<ElementOf<Self>>>,
    {
        ArrayOp {
            left: self,
            right: other.as_expression(),
            op: PhantomData,
        }
    }

    /// `self && other`: the arrays share an element.
    #[doc(alias = "&&")]
    fn overlaps_with<O>(self, other: O) -> ArrayOp<Self, O::Expr, ArrayOverlaps>
    where
        O: AsExpression<Array<ElementOf<Self>>>,
    {
        ArrayOp {
            left: self,
            right: other.as_expression(),
            op: PhantomData,
        }
    }

    /// `value = ANY(self)`: whether `value` is one of the elements. The
    /// result is `NULL` rather than false when the elements may be `NULL`
    /// and none matches, which `filter` treats as false.
    #[doc(alias = "ANY")]
    fn has_element<V>(self, value: V) -> AnyElement<V::Expr, Self>
    where
        V: AsExpression<<ElementOf<Self> as SqlType>::NotNull>,
    {
        AnyElement {
            value: value.as_expression(),
            array: self,
        }
    }

    /// `array_length(self, dimension)`: the length along `dimension`
    /// (1 for a one-dimensional array). `NULL` for an empty array.
    fn array_length(self, dimension: i32) -> ArrayLength<Self> {
        ArrayLength {
            array: self,
            dimension: Bound::new(dimension),
        }
    }
}

impl<E: Expression> PgArrayExpressionMethods for E where <E::SqlType as SqlType>::NotNull: IsArray {}

/// `value = ANY(array)` written from the value's side:
/// `users::name.is_in_array(teams::members)`. The same node as
/// [`PgArrayExpressionMethods::has_element`].
///
/// ```
/// use quarry::pg::{AnyElementMethods, PgArrayExpressionMethods};
/// use quarry::prelude::*;
///
/// quarry::table! { articles (id) { id -> Integer, title -> Text, tags -> Array<Text>, } }
///
/// let q = articles::table
///     .filter(articles::title.is_in_array(articles::tags))
///     .select(articles::id);
/// assert_eq!(
///     quarry::debug_query::<quarry::Pg, _>(q).sql(),
///     r#"SELECT "articles"."id" FROM "articles" WHERE "articles"."title" = ANY("articles"."tags")"#
/// );
/// ```
pub trait AnyElementMethods: Expression + Sized {
    /// `self = ANY(array)`, for an `array` whose elements are `self`'s type.
    #[doc(alias = "ANY")]
    fn is_in_array<A>(self, array: A) -> AnyElement<Self, A>
    where
        A: Expression,
        <A::SqlType as SqlType>::NotNull: IsArray,
        Self::SqlType: SameElement<ElementOf<A>>,
    {
        AnyElement { value: self, array }
    }
}

impl<E: Expression> AnyElementMethods for E {}

/// Two SQL types that are the same but for `Nullable`: a value and an
/// array's element in `value = ANY(array)`.
#[diagnostic::on_unimplemented(
    message = "`= ANY(array)` compares a `{Self}` value with an array of `{Element}`",
    label = "not the array's element type"
)]
pub trait SameElement<Element> {}
impl<V, E> SameElement<E> for V
where
    V: SqlType,
    E: SqlType,
    V::NotNull: crate::sql_types::SameSqlType<E::NotNull>,
{
}
