//! Joins: along a declared reference, along a named reference, or `on` any
//! condition. Columns of the optional side of an outer join come back
//! nullable by themselves.

use core::marker::PhantomData;

use crate::backend::Backend;
use crate::expression::{Expression, ValidIn, operand, precedence};
use crate::query_fragment::QueryFragment;
use crate::query_source::{Locate, QuerySource, SourceSql};
use crate::sql_text::Part;
use crate::sql_types::{BoolLike, IsNull, NotNull, Nullability};
use quarry_runtime::Value;

/// `left KIND JOIN right ON on`: a FROM clause of several tables.
#[derive(Debug, Clone, Copy)]
pub struct Join<L, R, K, On> {
    pub(crate) left: L,
    pub(crate) right: R,
    pub(crate) on: On,
    pub(crate) kind: PhantomData<K>,
}

/// A kind of join: which sides may be missing.
pub trait JoinKind {
    /// The keywords, with spaces around them.
    const SQL: &'static str;
    /// `IsNull` when the left side may be missing (RIGHT and FULL).
    type LeftNull: Nullability;
    /// `IsNull` when the right side may be missing (LEFT and FULL).
    type RightNull: Nullability;
}

macro_rules! join_kind {
    ($(#[$doc:meta])* $name:ident, $sql:literal, $left:ty, $right:ty) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default)]
        pub struct $name;
        impl JoinKind for $name {
            const SQL: &'static str = $sql;
            type LeftNull = $left;
            type RightNull = $right;
        }
    };
}

join_kind!(
    /// `INNER JOIN`
    Inner, " INNER JOIN ", NotNull, NotNull
);
join_kind!(
    /// `LEFT JOIN`: the right side may be missing.
    LeftOuter, " LEFT JOIN ", NotNull, IsNull
);
join_kind!(
    /// `RIGHT JOIN`: the left side may be missing.
    RightOuter, " RIGHT JOIN ", IsNull, NotNull
);
join_kind!(
    /// `FULL JOIN`: either side may be missing.
    FullOuter, " FULL JOIN ", IsNull, IsNull
);

/// The position of a table on the left side of a join.
pub struct InLeft<I>(PhantomData<I>);
/// The position of a table on the right side of a join.
pub struct InRight<I>(PhantomData<I>);

impl<L, R, K, On, T, I, C> Locate<T, InLeft<I>, C> for Join<L, R, K, On>
where
    L: Locate<T, I, C>,
    K: JoinKind,
{
    type Nullability = <L::Nullability as Nullability>::Or<K::LeftNull>;
}

impl<L, R, K, On, T, I, C> Locate<T, InRight<I>, C> for Join<L, R, K, On>
where
    R: Locate<T, I, C>,
    K: JoinKind,
{
    type Nullability = <R::Nullability as Nullability>::Or<K::RightNull>;
}

impl<L, R, K, On> QuerySource for Join<L, R, K, On>
where
    L: QuerySource,
    R: QuerySource,
    K: JoinKind,
{
    const DEFAULT_SELECT: Part = Part::List(&[L::DEFAULT_SELECT, R::DEFAULT_SELECT]);
    type DefaultRow<N: Nullability> = (
        L::DefaultRow<N::Or<K::LeftNull>>,
        R::DefaultRow<N::Or<K::RightNull>>,
    );
}

impl<DB, L, R, K, On> SourceSql<DB> for Join<L, R, K, On>
where
    DB: Backend,
    L: SourceSql<DB>,
    R: SourceSql<DB>,
    K: JoinKind,
    On: QueryFragment<DB> + Expression,
{
    const SOURCE: Part = Part::Seq(&[
        L::SOURCE,
        Part::Str(K::SQL),
        R::SOURCE,
        Part::Str(" ON "),
        operand!(On, precedence::OR),
    ]);
    fn collect_source_binds<'a>(&'a self, out: &mut Vec<Value<'a>>) {
        self.left.collect_source_binds(out);
        self.right.collect_source_binds(out);
        self.on.collect_binds(out);
    }
}

/// A declared reference between table `T` and the source `Self`, named by
/// `Via`. `table!` implements it for both directions of every reference;
/// joins delegate it to their sides.
///
/// This is what makes `users::table.inner_join(tags::table)` fail to
/// compile when no reference connects them, and what lists the candidates
/// when several do.
#[diagnostic::on_unimplemented(
    message = "no reference connects `{T}` to the tables of this query",
    label = "`{T}` has no declared reference to this query's tables",
    note = "declare one with `references` in `table!`, or join with `.on(condition)`"
)]
pub trait JoinsTo<T, Via> {
    /// The join condition.
    type On: Copy + Default;
}

impl<L, R, K, On, T, V> JoinsTo<T, InLeft<V>> for Join<L, R, K, On>
where
    L: JoinsTo<T, V>,
{
    type On = L::On;
}

impl<L, R, K, On, T, V> JoinsTo<T, InRight<V>> for Join<L, R, K, On>
where
    R: JoinsTo<T, V>,
{
    type On = R::On;
}

/// What `inner_join` and the other joins accept when joined to `L`: a
/// table (along its one reference to `L`), a reference marker such as
/// `posts::author`, or `table.on(condition)`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be joined to this query",
    note = "join a table that a declared reference connects to the query, a reference such as `posts::author`, or `table.on(condition)`"
)]
pub trait JoinTarget<L, Via> {
    /// The source that is joined.
    type Source;
    /// The join condition.
    type On;
    /// The source and its condition.
    fn into_join(self) -> (Self::Source, Self::On);
}

/// `Via` for a table joined along its one reference.
pub struct Along<V>(PhantomData<V>);
/// `Via` for an explicit `on` condition.
pub struct Explicit<I>(PhantomData<I>);

impl<L, T, V> JoinTarget<L, Along<V>> for T
where
    T: crate::query_source::Table,
    L: JoinsTo<T, V>,
{
    type Source = T;
    type On = L::On;
    fn into_join(self) -> (T, L::On) {
        (self, L::On::default())
    }
}

/// `source.on(condition)`: a join on any condition.
#[derive(Debug, Clone, Copy)]
pub struct OnJoin<S, E> {
    source: S,
    condition: E,
}

/// `.on(condition)` for tables and aliases.
pub trait JoinOnDsl: QuerySource + Sized {
    /// Joins on `condition`, which may use the columns of this source and of
    /// the query it is joined to. Both sides of every comparison in it are
    /// type-checked.
    fn on<E>(self, condition: E) -> OnJoin<Self, E> {
        OnJoin {
            source: self,
            condition,
        }
    }
}

impl<S: QuerySource> JoinOnDsl for S {}

impl<L, S, E, I> JoinTarget<L, Explicit<I>> for OnJoin<S, E>
where
    E: Expression + ValidIn<Join<L, S, Inner, ()>, I>,
    E::SqlType: BoolLike,
{
    type Source = S;
    type On = E;
    fn into_join(self) -> (S, E) {
        (self.source, self.condition)
    }
}

/// Moves every position in an index one join further in: a selection that
/// was checked against `L` stays valid in `L JOIN R`.
pub trait ShiftLeft {
    /// The shifted index.
    type Out;
}

impl ShiftLeft for () {
    type Out = ();
}
impl ShiftLeft for crate::query_source::Here {
    type Out = InLeft<crate::query_source::Here>;
}
impl<I> ShiftLeft for InLeft<I> {
    type Out = InLeft<InLeft<I>>;
}
impl<I> ShiftLeft for InRight<I> {
    type Out = InLeft<InRight<I>>;
}

macro_rules! shift_tuples {
    ($($T:ident),+) => {
        impl<$($T: ShiftLeft),+> ShiftLeft for ($($T,)+) {
            type Out = ($($T::Out,)+);
        }
    };
}
shift_tuples!(A);
shift_tuples!(A, B);
shift_tuples!(A, B, C);
shift_tuples!(A, B, C, D);
shift_tuples!(A, B, C, D, E);
shift_tuples!(A, B, C, D, E, F);
shift_tuples!(A, B, C, D, E, F, G);
shift_tuples!(A, B, C, D, E, F, G, H);
shift_tuples!(A, B, C, D, E, F, G, H, I);
shift_tuples!(A, B, C, D, E, F, G, H, I, J);
shift_tuples!(A, B, C, D, E, F, G, H, I, J, K);
shift_tuples!(A, B, C, D, E, F, G, H, I, J, K, L);
shift_tuples!(A, B, C, D, E, F, G, H, I, J, K, L, M);
shift_tuples!(A, B, C, D, E, F, G, H, I, J, K, L, M, N);
shift_tuples!(A, B, C, D, E, F, G, H, I, J, K, L, M, N, O);
shift_tuples!(A, B, C, D, E, F, G, H, I, J, K, L, M, N, O, P);

/// `Via` for a named reference joined from its own table to its target.
pub struct Forward<I>(PhantomData<I>);
/// `Via` for a named reference joined from its target to its own table.
pub struct Backward<I>(PhantomData<I>);
