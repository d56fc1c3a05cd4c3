//! GROUP BY checking: what may be selected, filtered and ordered in a query
//! with or without `group_by`.
//!
//! Every expression has a grouping [`Kind`](Grouping::Kind) in a context: a
//! column is a per-row value, an aggregate is per group, a bind is constant.
//! Without `group_by`, a selection may not mix per-row values with
//! aggregates. With it, every per-row value must be one of the grouped
//! expressions (found by index inference, like FROM-clause membership), or
//! a column of a table whose primary key is grouped.

use core::marker::PhantomData;

/// The context of a query without `group_by`.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoGroup;

/// The context of a query grouped by the expressions `G` (one, or a tuple).
pub struct Group<G>(PhantomData<G>);

/// A per-row value: a column, or an expression of columns.
#[derive(Debug, Clone, Copy)]
pub struct RowValue;
/// A value per group: an aggregate function.
#[derive(Debug, Clone, Copy)]
pub struct AggregateFunction;
/// A value with no column in it, or a grouped expression: the same for the
/// whole group.
#[derive(Debug, Clone, Copy)]
pub struct Constant;
/// A window function: per row, computed over other rows.
#[derive(Debug, Clone, Copy)]
pub struct WindowFunction;
/// Per-row values mixed with aggregates, without `group_by`.
#[derive(Debug, Clone, Copy)]
pub struct MixedAggregate;

/// How `Self` may be used in a query whose grouping context is `G`
/// ([`NoGroup`] or [`Group`]). `Idx` is inferred.
///
/// This is what makes `users::table.group_by(users::id).select(posts::title)`
/// and an ungrouped column next to `count_star()` fail to compile.
#[diagnostic::on_unimplemented(
    message = "`{Self}` must appear in `group_by` or be used inside an aggregate function",
    label = "neither grouped nor aggregated"
)]
pub trait Grouping<G, Idx> {
    /// [`RowValue`], [`AggregateFunction`], [`Constant`], [`WindowFunction`]
    /// or [`MixedAggregate`].
    type Kind;
}

/// How two kinds combine in one expression.
#[diagnostic::on_unimplemented(message = "`{Self}` and `{Other}` cannot appear in one expression")]
pub trait CombineKind<Other> {
    /// The combined kind.
    type Out;
}

macro_rules! combine {
    ($($a:ident + $b:ident = $out:ident;)*) => {$(
        impl CombineKind<$b> for $a {
            type Out = $out;
        }
    )*};
}

combine! {
    RowValue + RowValue = RowValue;
    RowValue + Constant = RowValue;
    Constant + RowValue = RowValue;
    Constant + Constant = Constant;
    AggregateFunction + AggregateFunction = AggregateFunction;
    AggregateFunction + Constant = AggregateFunction;
    Constant + AggregateFunction = AggregateFunction;
    RowValue + AggregateFunction = MixedAggregate;
    AggregateFunction + RowValue = MixedAggregate;
    MixedAggregate + RowValue = MixedAggregate;
    MixedAggregate + Constant = MixedAggregate;
    MixedAggregate + AggregateFunction = MixedAggregate;
    MixedAggregate + MixedAggregate = MixedAggregate;
    MixedAggregate + WindowFunction = MixedAggregate;
    RowValue + MixedAggregate = MixedAggregate;
    Constant + MixedAggregate = MixedAggregate;
    AggregateFunction + MixedAggregate = MixedAggregate;
    WindowFunction + MixedAggregate = MixedAggregate;
    WindowFunction + WindowFunction = WindowFunction;
    WindowFunction + RowValue = WindowFunction;
    WindowFunction + Constant = WindowFunction;
    WindowFunction + AggregateFunction = WindowFunction;
    RowValue + WindowFunction = WindowFunction;
    Constant + WindowFunction = WindowFunction;
    AggregateFunction + WindowFunction = WindowFunction;
}

/// Where each kind may be used.
#[diagnostic::on_unimplemented(message = "`{Self}` is not a grouping kind")]
pub trait GroupKind {
    /// [`Allowed`] when the kind may be selected without `group_by`.
    type InSelect;
    /// [`Allowed`] when the kind may be used in `filter`.
    type InFilter;
}

/// A kind allowed where it is used.
#[derive(Debug, Clone, Copy)]
pub struct Allowed;
/// Plain columns mixed with aggregate functions, without `group_by`.
#[derive(Debug, Clone, Copy)]
pub struct ColumnsMixedWithAggregates;
/// An aggregate function in `filter`.
#[derive(Debug, Clone, Copy)]
pub struct AggregateInFilter;
/// A window function in `filter`.
#[derive(Debug, Clone, Copy)]
pub struct WindowFunctionInFilter;

macro_rules! kinds {
    ($($kind:ident: select $select:ident, filter $filter:ident;)*) => {$(
        impl GroupKind for $kind {
            type InSelect = $select;
            type InFilter = $filter;
        }
    )*};
}

kinds! {
    RowValue: select Allowed, filter Allowed;
    Constant: select Allowed, filter Allowed;
    AggregateFunction: select Allowed, filter AggregateInFilter;
    WindowFunction: select Allowed, filter WindowFunctionInFilter;
    MixedAggregate: select ColumnsMixedWithAggregates, filter AggregateInFilter;
}

/// What a selection without `group_by` may hold: anything but plain columns
/// mixed with aggregates.
#[diagnostic::on_unimplemented(
    message = "this selection mixes aggregate functions with plain columns",
    label = "aggregates and plain columns together",
    note = "add `group_by` with the plain columns, or put them inside aggregate functions"
)]
pub trait AllowedInSelect {}
#[diagnostic::do_not_recommend]
impl AllowedInSelect for Allowed {}

/// What a `filter` (SQL's WHERE) condition may hold: per-row values.
#[diagnostic::on_unimplemented(
    message = "`filter` cannot use an aggregate or window function: SQL's WHERE runs before rows are grouped",
    label = "found `{Self}`",
    note = "use `having` after `group_by` for a condition on aggregates"
)]
pub trait AllowedInFilter {}
#[diagnostic::do_not_recommend]
impl AllowedInFilter for Allowed {}

/// Grouped expression `E` found in the grouping list `Self` at `Idx`.
#[diagnostic::on_unimplemented(
    message = "`{E}` is not one of the `group_by` expressions",
    label = "not grouped"
)]
pub trait GroupHas<E, Idx> {}

/// The position of an expression that is the grouping list itself.
pub struct Itself;
/// A position inside a tuple of grouped expressions.
pub struct InGroup<const N: usize, I>(PhantomData<I>);

impl<E> GroupHas<E, Itself> for E {}

/// The index of an expression grouped exactly.
pub struct Exact<I>(PhantomData<I>);
/// The index of a column whose table's primary key is grouped.
pub struct ByKey<I>(PhantomData<I>);

/// Implements the grouped case for an expression type: when it is one of
/// the `group_by` expressions, it is constant within its group. (Not a
/// blanket impl, so that tuples are checked element by element.) The type
/// is not a column of a `table!`: in a grouping list it determines no
/// column ([`GroupedId`]).
#[doc(hidden)]
#[macro_export]
macro_rules! __impl_grouped_exactly {
    ([$($generics:tt)*] $ty:ty) => {
        impl<__G, __I, $($generics)*> $crate::__private::Grouping<$crate::__private::Group<__G>, $crate::__private::Exact<__I>> for $ty
        where
            __G: $crate::__private::GroupHas<$ty, __I>,
        {
            type Kind = $crate::__private::Constant;
        }

        impl<__Id, $($generics)*> $crate::__private::GroupedId<__Id> for $ty {
            type Out = $crate::__private::False;
        }
    };
}

// Functional dependencies: which columns a GROUP BY list determines.
//
// A `table!` column has an identity, a type-level number (`B0`/`B1`
// digits ending in `IdEnd`) that `table!` derives from the table's and the
// column's SQL names. Whether a grouping list holds a column is computed
// (`GroupedId`, an `Or` over the list), not inferred, so that grouping by
// a key and by columns it determines is one answer, not two candidate
// proofs that rustc cannot choose between.

/// A digit 0 of a column's identity.
pub struct B0<T>(PhantomData<T>);
/// A digit 1 of a column's identity.
pub struct B1<T>(PhantomData<T>);
/// The end of a column's identity.
pub struct IdEnd;
/// Type-level true.
pub struct True;
/// Type-level false.
pub struct False;

/// Whether two column identities are equal: `Out` is [`True`] or
/// [`False`].
#[diagnostic::on_unimplemented(message = "`{Self}` is not a column identity")]
pub trait IdEq<Other> {
    /// [`True`] or [`False`].
    type Out;
}
impl IdEq<IdEnd> for IdEnd {
    type Out = True;
}
impl<A: IdEq<B>, B> IdEq<B0<B>> for B0<A> {
    type Out = A::Out;
}
impl<A: IdEq<B>, B> IdEq<B1<B>> for B1<A> {
    type Out = A::Out;
}
impl<A, B> IdEq<B1<B>> for B0<A> {
    type Out = False;
}
impl<A, B> IdEq<B0<B>> for B1<A> {
    type Out = False;
}

/// Type-level `or`.
#[diagnostic::on_unimplemented(message = "`{Self}` is not a type-level boolean")]
pub trait Or<B> {
    /// The result.
    type Out;
}
impl<B> Or<B> for True {
    type Out = True;
}
impl<B> Or<B> for False {
    type Out = B;
}

/// Type-level `and`.
#[diagnostic::on_unimplemented(message = "`{Self}` is not a type-level boolean")]
pub trait And<B> {
    /// The result.
    type Out;
}
impl<B> And<B> for True {
    type Out = B;
}
impl<B> And<B> for False {
    type Out = False;
}

/// Whether the grouping list `Self` (one expression or a tuple) holds the
/// column whose identity is `Id`: [`True`] or [`False`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be used in `group_by`",
    label = "not a grouping expression"
)]
pub trait GroupedId<Id> {
    /// [`True`] or [`False`].
    type Out;
}

macro_rules! grouped_id_tuples {
    ($A:ident $(, $rest:ident)*) => {
        impl<__Id, $A: GroupedId<__Id>, $($rest: GroupedId<__Id>),*> GroupedId<__Id> for ($A, $($rest,)*)
        where
            ($($rest,)*): GroupedId<__Id>,
            $A::Out: Or<<($($rest,)*) as GroupedId<__Id>>::Out>,
        {
            type Out = <$A::Out as Or<<($($rest,)*) as GroupedId<__Id>>::Out>>::Out;
        }
        grouped_id_tuples!($($rest),*);
    };
    () => {
        impl<__Id> GroupedId<__Id> for () {
            type Out = False;
        }
    };
}

grouped_id_tuples!(
    A0, A1, A2, A3, A4, A5, A6, A7, A8, A9, A10, A11, A12, A13, A14, A15
);

/// The index of a column that the grouping list determines: the column
/// itself, or its table's whole primary key, is grouped.
pub struct Determined;

/// [`True`] when the grouping list determines the column `C`.
///
/// This is what makes `posts::table.group_by(posts::author_id)
/// .select(posts::title)` fail to compile, and
/// `users::table.group_by((users::id, users::name)).select(users::email)`
/// compile.
#[diagnostic::on_unimplemented(
    message = "`{C}` must appear in `group_by` or be used inside an aggregate function",
    label = "neither grouped nor aggregated: group by `{C}`, or by its table's primary key, which determines it"
)]
pub trait Determines<C> {}
#[diagnostic::do_not_recommend]
impl<C> Determines<C> for True {}

macro_rules! group_tuple {
    ($($T:ident $n:tt),+) => {
        group_tuple!(@each [$($T),+] $($T $n),+);
    };
    (@each $all:tt $($T:ident $n:tt),+) => {
        $(group_tuple!(@one $all $T $n);)+
    };
    (@one [$($A:ident),+] $T:ident $n:tt) => {
        impl<$($A,)+ E, I> GroupHas<E, InGroup<$n, I>> for ($($A,)+)
        where
            $T: GroupHas<E, I>,
        {
        }
    };
}

group_tuple!(A 0);
group_tuple!(A 0, B 1);
group_tuple!(A 0, B 1, C 2);
group_tuple!(A 0, B 1, C 2, D 3);
group_tuple!(A 0, B 1, C 2, D 3, F 4);
group_tuple!(A 0, B 1, C 2, D 3, F 4, G 5);
group_tuple!(A 0, B 1, C 2, D 3, F 4, G 5, H 6);
group_tuple!(A 0, B 1, C 2, D 3, F 4, G 5, H 6, J 7);

/// Implements [`Grouping`] for an expression node from its operands: in
/// every context, the node's kind combines its operands' kinds.
macro_rules! grouping_from_operands {
    ([$($generics:tt)*] $ty:ty; $($operand:ident $idx:ident),+) => {
        impl<__M, $($generics)* $($idx),+> $crate::expression::grouping::Grouping<__M, ($($idx,)+)> for $ty
        where
            $($operand: $crate::expression::grouping::Grouping<__M, $idx>,)+
            ($(<$operand as $crate::expression::grouping::Grouping<__M, $idx>>::Kind,)+): $crate::expression::grouping::CombineAll,
        {
            type Kind = <($(<$operand as $crate::expression::grouping::Grouping<__M, $idx>>::Kind,)+) as $crate::expression::grouping::CombineAll>::Out;
        }

        $crate::__impl_grouped_exactly!([$($generics)*] $ty);
    };
}
pub(crate) use grouping_from_operands;

/// Combines a tuple of kinds.
#[diagnostic::on_unimplemented(message = "these grouping kinds cannot be combined: `{Self}`")]
pub trait CombineAll {
    /// The combined kind.
    type Out;
}
impl<A> CombineAll for (A,) {
    type Out = A;
}
impl<A: CombineKind<B>, B> CombineAll for (A, B) {
    type Out = A::Out;
}
impl<A: CombineKind<B>, B, C> CombineAll for (A, B, C)
where
    A::Out: CombineKind<C>,
{
    type Out = <A::Out as CombineKind<C>>::Out;
}

/// `Grouping` for tuples of 1 to 16 elements: the kinds combine.
macro_rules! grouping_tuples {
    ([] $T:ident $TI:ident $(, $rest:ident $restI:ident)*) => {
        impl<__M, $T: Grouping<__M, $TI>, $TI> Grouping<__M, ($TI,)> for ($T,) {
            type Kind = $T::Kind;
        }
        grouping_tuples!([$T $TI] $($rest $restI),*);
    };
    ([$($P:ident $PI:ident)+] $T:ident $TI:ident $(, $rest:ident $restI:ident)*) => {
        impl<__M, $($P, $PI,)+ $T, $TI> Grouping<__M, ($($PI,)+ $TI,)> for ($($P,)+ $T,)
        where
            ($($P,)+): Grouping<__M, ($($PI,)+)>,
            $T: Grouping<__M, $TI>,
            <($($P,)+) as Grouping<__M, ($($PI,)+)>>::Kind: CombineKind<$T::Kind>,
        {
            type Kind = <<($($P,)+) as Grouping<__M, ($($PI,)+)>>::Kind as CombineKind<$T::Kind>>::Out;
        }
        grouping_tuples!([$($P $PI)+ $T $TI] $($rest $restI),*);
    };
    ([$($P:ident $PI:ident)+]) => {};
}

grouping_tuples!(
    [] A0 I0, A1 I1, A2 I2, A3 I3, A4 I4, A5 I5, A6 I6, A7 I7, A8 I8, A9 I9, A10 I10, A11 I11,
    A12 I12, A13 I13, A14 I14, A15 I15
);

/// Constants: binds are the same for every row.
impl<M, ST, T> Grouping<M, ()> for crate::expression::Bound<ST, T> {
    type Kind = Constant;
}

/// A selection valid in grouping context `M`: every part grouped or
/// aggregated, and without `group_by`, no plain column next to an aggregate.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be selected in this query",
    note = "with `group_by`, every selected expression must be grouped or inside an aggregate"
)]
pub trait SelectableIn<M, Idx> {}

impl<S, M, Idx> SelectableIn<M, Idx> for S
where
    S: Grouping<M, Idx>,
    S::Kind: GroupKind,
    <S::Kind as GroupKind>::InSelect: AllowedInSelect,
{
}

/// A `filter` condition: per-row values only.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be used in `filter`",
    note = "aggregate and window functions belong in `having` or `select`"
)]
pub trait Filterable<Idx> {}

impl<P, Idx> Filterable<Idx> for P
where
    P: Grouping<NoGroup, Idx>,
    P::Kind: GroupKind,
    <P::Kind as GroupKind>::InFilter: AllowedInFilter,
{
}
