//! Joins: along a declared reference, along a named reference, `on` any
//! condition, or a cross join without one. Columns of the optional side of an outer join come back
//! nullable by themselves.

use core::marker::PhantomData;

use crate::backend::Backend;
use crate::expression::{Expression, ValidIn, operand, precedence};
use crate::query_fragment::Binds;
use crate::query_fragment::QueryFragment;
use crate::query_source::{Locate, Position, QuerySource, SourceSql};
use crate::sql_text::Part;
use crate::sql_types::{BoolLike, IsNull, NotNull, Nullability};

/// `left KIND JOIN target`: a FROM clause of several tables. `J` is what
/// was passed to the join method (a table, a reference, `table.on(...)`),
/// `V` how it joins to `L`; its source and condition follow from them.
#[derive(Debug)]
pub struct Join<L, J, K, V> {
    pub(crate) left: L,
    pub(crate) target: J,
    pub(crate) kind: PhantomData<(K, V)>,
}

// By hand: the kind and the path are markers, so a join clones (and a
// statement with it) whatever they are.
impl<L: Clone, J: Clone, K, V> Clone for Join<L, J, K, V> {
    fn clone(&self) -> Self {
        Join {
            left: self.left.clone(),
            target: self.target.clone(),
            kind: PhantomData,
        }
    }
}
impl<L: Copy, J: Copy, K, V> Copy for Join<L, J, K, V> {}

/// A kind of join: which sides may be missing.
#[diagnostic::on_unimplemented(message = "`{Self}` is not a kind of join")]
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
join_kind!(
    /// `CROSS JOIN`: every row of the left side with every row of the
    /// right; no side may be missing, and there is no condition.
    Cross, " CROSS JOIN ", NotNull, NotNull
);

/// Backends with `FULL JOIN`: SQLite and PostgreSQL.
///
/// This is what makes `users::table.full_join(posts::table)` fail to
/// compile for MariaDB/MySQL, which have no `FULL JOIN`.
#[diagnostic::on_unimplemented(
    message = "{Self} has no `FULL JOIN`",
    label = "this query has a FULL JOIN",
    note = "MariaDB/MySQL have no FULL JOIN: write a LEFT JOIN and a RIGHT JOIN combined with `union`"
)]
pub trait SupportsFullJoin: Backend {}
impl SupportsFullJoin for crate::backend::Sqlite {}
impl SupportsFullJoin for crate::backend::Pg {}

/// A join kind that backend `DB` has: every kind, `FULL JOIN` only on
/// [`SupportsFullJoin`] backends.
#[diagnostic::on_unimplemented(message = "`{Self}` is not a join that {DB} has")]
pub trait JoinKindIn<DB: Backend>: JoinKind {}
impl<DB: Backend> JoinKindIn<DB> for Inner {}
impl<DB: Backend> JoinKindIn<DB> for LeftOuter {}
impl<DB: Backend> JoinKindIn<DB> for RightOuter {}
impl<DB: Backend> JoinKindIn<DB> for Cross {}
impl<DB: SupportsFullJoin> JoinKindIn<DB> for FullOuter {}

/// The position of a table on the left side of a join.
pub struct InLeft<I>(PhantomData<I>);
/// The position of a table on the right side of a join.
pub struct InRight<I>(PhantomData<I>);

impl<L, J, K, V, T, I> Position<T, InLeft<I>> for Join<L, J, K, V>
where
    L: Position<T, I>,
    K: JoinKind,
{
    type Nullability = <L::Nullability as Nullability>::Or<K::LeftNull>;
}

impl<L, J, K, V, T, I> Position<T, InRight<I>> for Join<L, J, K, V>
where
    J: JoinTarget<L, V>,
    J::Source: Position<T, I>,
    K: JoinKind,
{
    type Nullability =
        <<J::Source as Position<T, I>>::Nullability as Nullability>::Or<K::RightNull>;
}

impl<L, J, K, V> QuerySource for Join<L, J, K, V>
where
    L: QuerySource,
    J: JoinTarget<L, V>,
    J::Source: QuerySource,
    K: JoinKind,
{
    const DEFAULT_SELECT: Part = Part::List(&[
        L::DEFAULT_SELECT,
        <J::Source as QuerySource>::DEFAULT_SELECT,
    ]);
    type DefaultRow<N: Nullability> = (
        L::DefaultRow<N::Or<K::LeftNull>>,
        <J::Source as QuerySource>::DefaultRow<N::Or<K::RightNull>>,
    );
}

impl<DB, L, J, K, V> SourceSql<DB> for Join<L, J, K, V>
where
    DB: Backend,
    L: SourceSql<DB>,
    J: JoinTarget<L, V>,
    J::Source: SourceSql<DB>,
    J::On: JoinCondition<DB>,
    K: JoinKindIn<DB>,
{
    const SOURCE: Part = Part::Seq(&[
        L::SOURCE,
        Part::Str(K::SQL),
        <J::Source as SourceSql<DB>>::SOURCE,
        <J::On as JoinCondition<DB>>::ON,
    ]);
    fn collect_source_binds<'a>(&'a self, out: &mut Binds<'a>) {
        self.left.collect_source_binds(out);
        self.target.collect_target_source_binds::<DB>(out);
        self.target.collect_on_binds::<DB>(out);
    }
}

/// What follows the joined source: ` ON condition`, or nothing for a
/// cross join.
#[diagnostic::on_unimplemented(message = "`{Self}` cannot be written as a join condition for {DB}")]
pub trait JoinCondition<DB: Backend>: QueryFragment<DB> {
    /// ` ON condition`, or nothing.
    const ON: Part;
}

impl<DB: Backend, E: QueryFragment<DB> + Expression> JoinCondition<DB> for E {
    const ON: Part = Part::Seq(&[Part::Str(" ON "), operand!(E, precedence::OR)]);
}

/// The condition of a cross join: none.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoCondition;

impl<DB: Backend> QueryFragment<DB> for NoCondition {
    const FRAG: Part = Part::Str("");
    fn collect_binds<'a>(&'a self, _out: &mut Binds<'a>) {}
}

impl<DB: Backend> JoinCondition<DB> for NoCondition {
    const ON: Part = Part::Str("");
}

/// A source joined with [`cross_join`](crate::query::QueryDsl::cross_join):
/// a table, an alias or a derived table, with no condition.
#[derive(Debug, Clone, Copy)]
pub struct Crossed<S>(pub(crate) S);

/// `Via` of a cross join. `O` is the joined source's position, which must
/// be unique: see [`JoinedOnce`].
pub struct Unconditional<O>(PhantomData<O>);

impl<L, S, O> JoinTarget<L, Unconditional<O>> for Crossed<S>
where
    S: QuerySource,
    OnScope<L, S>: Locate<S, O, JoinedOnce>,
{
    type Source = S;
    type On = NoCondition;
    fn collect_on_binds<'a, DB: Backend>(&'a self, _out: &mut Binds<'a>)
    where
        NoCondition: QueryFragment<DB>,
    {
    }
    fn collect_target_source_binds<'a, DB: Backend>(&'a self, out: &mut Binds<'a>)
    where
        S: SourceSql<DB>,
    {
        self.0.collect_source_binds(out);
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
    type On;
}

impl<L, J, K, V, T, W> JoinsTo<T, InLeft<W>> for Join<L, J, K, V>
where
    L: JoinsTo<T, W>,
{
    type On = L::On;
}

impl<L, J, K, V, T, W> JoinsTo<T, InRight<W>> for Join<L, J, K, V>
where
    J: JoinTarget<L, V>,
    J::Source: JoinsTo<T, W>,
{
    type On = <J::Source as JoinsTo<T, W>>::On;
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
    /// Pushes the condition's binds (none for a reference).
    fn collect_on_binds<'a, DB: Backend>(&'a self, out: &mut Binds<'a>)
    where
        Self::On: QueryFragment<DB>;
    /// Pushes the joined source's binds (none for a table; a derived
    /// table's subquery has its own).
    fn collect_target_source_binds<'a, DB: Backend>(&'a self, out: &mut Binds<'a>)
    where
        Self::Source: SourceSql<DB>,
    {
        let _ = out;
    }
}

/// `Via` for a table joined along its one reference `V`. `O` is the
/// joined table's position, which must be unique: see [`JoinedOnce`].
pub struct Along<V, O>(PhantomData<(V, O)>);
/// `Via` for an explicit `on` condition.
pub struct Explicit<I, O>(PhantomData<(I, O)>);

/// The check that a joined table is not already in the query: finding it
/// among the query's tables and the joined one must have exactly one
/// answer. Joining a table a second time makes rustc report the two
/// candidates; join an alias instead.
#[derive(Debug, Clone, Copy)]
pub struct JoinedOnce;

impl<L, T, V, O> JoinTarget<L, Along<V, O>> for T
where
    T: crate::query_source::Table,
    L: JoinsTo<T, V>,
    L::On: ReferenceOn<T>,
    OnScope<L, T>: Locate<T, O, JoinedOnce>,
{
    type Source = T;
    type On = L::On;
    fn collect_on_binds<'a, DB: Backend>(&'a self, _out: &mut Binds<'a>)
    where
        Self::On: QueryFragment<DB>,
    {
    }
}

/// The condition of a table joined along a reference: a declared
/// reference's comparison, not [`OneOf`] several.
#[doc(hidden)]
pub trait ReferenceOn<T> {}

impl<T, L, R, Op> ReferenceOn<T> for crate::expression::Compare<L, R, Op> {}
impl<T, L, R> ReferenceOn<T> for crate::expression::And<L, R> {}
impl<T, A, B> ReferenceOn<T> for OneOf<A, B> where Self: NameTheReference<T, A, B> {}

/// What `table!` declares between two tables connected by more than one
/// reference (`posts.author_id` and `posts.editor_id`, both to `users`):
/// joining the table alone does not compile, and names two of them.
pub struct OneOf<A, B>(PhantomData<(A, B)>);

/// Never implemented: the error for joining a table that more than one
/// reference connects to the query.
#[diagnostic::on_unimplemented(
    message = "more than one reference connects `{T}` to this query: join the one you mean by name, `{A}` or `{B}`",
    label = "join a reference such as `{A}` here instead of `{T}`",
    note = "or join `{T}.on(condition)`"
)]
pub trait NameTheReference<T, A, B> {}

// One impl for nothing a user can write, so the error lists no others.
impl NameTheReference<NoReference, NoReference, NoReference> for NoReference {}

/// Stands for no table and no reference.
#[doc(hidden)]
#[allow(dead_code)]
pub struct NoReference;

/// `source.on(condition)`: a join on any condition.
#[derive(Debug, Clone, Copy)]
pub struct OnJoin<S, E> {
    source: S,
    condition: E,
}

/// `.on(condition)` for tables, aliases and derived tables.
#[diagnostic::on_unimplemented(
    message = "`.on(...)` joins a table, an alias or a derived table, and `{Self}` is none of them"
)]
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

impl<L, S, E, I, O> JoinTarget<L, Explicit<I, O>> for OnJoin<S, E>
where
    OnScope<L, S>: Locate<S, O, JoinedOnce>,
    E: Expression + ValidIn<OnScope<L, S>, I>,
    E::SqlType: BoolLike,
{
    type Source = S;
    type On = E;
    fn collect_on_binds<'a, DB: Backend>(&'a self, out: &mut Binds<'a>)
    where
        E: QueryFragment<DB>,
    {
        self.condition.collect_binds(out);
    }
    fn collect_target_source_binds<'a, DB: Backend>(&'a self, out: &mut Binds<'a>)
    where
        S: SourceSql<DB>,
    {
        self.source.collect_source_binds(out);
    }
}

/// The tables an `on` condition may use: the query's and the joined one.
pub struct OnScope<L, S>(PhantomData<(L, S)>);

impl<L, S, T, I> Position<T, InLeft<I>> for OnScope<L, S>
where
    L: Position<T, I>,
{
    type Nullability = L::Nullability;
}

impl<L, S, T, I> Position<T, InRight<I>> for OnScope<L, S>
where
    S: Position<T, I>,
{
    type Nullability = S::Nullability;
}

/// The row of a statement after its FROM clause became `NewFrom` (a join,
/// `correlated_with`): the selection `S`'s position shifts left, and a
/// chosen selection's SQL type is computed again in `NewFrom`, where an
/// outer join may have made its columns nullable.
#[diagnostic::on_unimplemented(
    message = "the selection of this query cannot be read from its new FROM clause `{NewFrom}`"
)]
pub trait Reselect<S, NewFrom> {
    /// The row in `NewFrom`.
    type Out;
}

impl<NewFrom> Reselect<crate::query::DefaultSelect, NewFrom> for () {
    type Out = ();
}

impl<S, NewFrom, I, ST> Reselect<crate::query::Selected<S>, NewFrom>
    for crate::query::select_statement::Picked<I, ST>
where
    I: ShiftLeft,
    S: crate::query::Selection<NewFrom, I::Out>,
{
    type Out = crate::query::select_statement::Picked<
        I::Out,
        <S as crate::query::Selection<NewFrom, I::Out>>::SqlType,
    >;
}

/// Moves every position in an index one join further in: a selection that
/// was checked against `L` stays valid in `L JOIN R`.
#[diagnostic::on_unimplemented(
    message = "a selection made before this join cannot be carried into it (`{Self}`)"
)]
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
pub struct Forward<I, O>(PhantomData<(I, O)>);
/// `Via` for a named reference joined from its target to its own table.
pub struct Backward<I, O>(PhantomData<(I, O)>);
