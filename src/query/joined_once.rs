//! The check that a join does not add a table the FROM clause already
//! has: `comments JOIN posts JOIN posts` is an SQL error, and a compile
//! error here that says to join an alias.
//!
//! Each table carries its SQL name's 48-bit hash as a type
//! ([`Table::Id`]), so a FROM clause can tell whether it holds a table by
//! comparing types, with one impl per digit pair rather than one per pair
//! of tables.

use core::marker::PhantomData;

use crate::query::alias::Alias;
use crate::query::derived::Derived;
use crate::query::join::{Join, JoinTarget};
use crate::query_source::Table;
use crate::relations::Reference;

/// A type-level boolean.
pub trait Bit {
    /// `Self && B`.
    type And<B: Bit>: Bit;
    /// `Self || B`.
    type Or<B: Bit>: Bit;
}
// The type-level booleans GROUP BY's functional dependencies use too: one
// `True`, so that an error never names two types of that name.
pub use crate::expression::grouping::{False, True};
impl Bit for True {
    type And<B: Bit> = B;
    type Or<B: Bit> = True;
}
impl Bit for False {
    type And<B: Bit> = False;
    type Or<B: Bit> = B;
}

/// Whether two hex digits are the same.
pub trait DigitEq<D> {
    /// [`True`] or [`False`].
    type Out: Bit;
}

macro_rules! digits {
    ($($d:ident)*) => {
        $(
            #[doc(hidden)]
            pub struct $d;
        )*
        digit_eq!($($d)*);
    };
}
macro_rules! digit_eq {
    () => {};
    ($head:ident $($tail:ident)*) => {
        impl DigitEq<$head> for $head { type Out = True; }
        $(
            impl DigitEq<$tail> for $head { type Out = False; }
            impl DigitEq<$head> for $tail { type Out = False; }
        )*
        digit_eq!($($tail)*);
    };
}
digits!(X0 X1 X2 X3 X4 X5 X6 X7 X8 X9 XA XB XC XD XE XF);

/// A table's identity: the hex digits of its SQL name's hash, most
/// significant first, ending in [`End`].
pub struct Digits<D, Rest>(PhantomData<(D, Rest)>);
/// The end of [`Digits`].
pub struct End;

/// Whether two identities are the same.
pub trait SameId<Other> {
    /// [`True`] or [`False`].
    type Out: Bit;
}
impl SameId<End> for End {
    type Out = True;
}
impl<A, AR, B, BR> SameId<Digits<B, BR>> for Digits<A, AR>
where
    A: DigitEq<B>,
    AR: SameId<BR>,
{
    type Out = <A::Out as Bit>::And<AR::Out>;
}

/// Whether the FROM clause `Self` holds the table whose identity is `Id`.
#[doc(hidden)]
pub trait HasTable<Id> {
    /// [`True`] or [`False`].
    type Out: Bit;
}
impl<T: Table, Id> HasTable<Id> for T
where
    T::Id: SameId<Id>,
{
    type Out = <T::Id as SameId<Id>>::Out;
}
/// An alias has a name of its own.
impl<N, Id> HasTable<Id> for Alias<N> {
    type Out = False;
}
impl<T: Table, Q, Id> HasTable<Id> for Derived<T, Q>
where
    T::Id: SameId<Id>,
{
    type Out = <T::Id as SameId<Id>>::Out;
}
impl<L, J, K, V, Id> HasTable<Id> for Join<L, J, K, V>
where
    L: HasTable<Id>,
    J: JoinTarget<L, V>,
    J::Source: HasTable<Id>,
{
    type Out = <L::Out as Bit>::Or<<J::Source as HasTable<Id>>::Out>;
}

/// `Self` may be joined to the FROM clause `L`: it is not a table `L`
/// already holds. Aliases always may.
#[doc(hidden)]
pub trait NewIn<L> {}
impl<L, T: Table> NewIn<L> for T
where
    L: HasTable<T::Id>,
    <L as HasTable<T::Id>>::Out: NotYetJoined<T>,
{
}
impl<L, N> NewIn<L> for Alias<N> {}
impl<L, T: Table, Q> NewIn<L> for Derived<T, Q>
where
    L: HasTable<T::Id>,
    <L as HasTable<T::Id>>::Out: NotYetJoined<T>,
{
}

/// What a join method joins adds no table the FROM clause `L` already
/// has. Dispatched on [`JoinedKind`] first, so that exactly one impl
/// applies and rustc reports the table (a reference marker's own join
/// checks its table by position).
#[doc(hidden)]
#[diagnostic::on_unimplemented(message = "`{Self}` cannot be joined to this query")]
pub trait JoinsNew<L> {}
impl<L, J> JoinsNew<L> for J where J: JoinedKind + NewBy<<J as JoinedKind>::Kind, L> {}

/// What a join method was given: a table, `source.on(..)`, a cross-joined
/// source, or a reference marker (which `table!` declares so).
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be joined: join a table, a reference such as `posts::author`, or `source.on(condition)`"
)]
pub trait JoinedKind {
    /// [`ATable`], [`AnOnJoin`], [`ACrossJoin`] or [`AMarker`].
    type Kind;
}
/// [`JoinedKind`] of a table.
pub struct ATable;
/// [`JoinedKind`] of `source.on(..)`.
pub struct AnOnJoin;
/// [`JoinedKind`] of a cross-joined source.
pub struct ACrossJoin;
/// [`JoinedKind`] of a reference marker.
pub struct AMarker;

impl<T: Table> JoinedKind for T {
    type Kind = ATable;
}
impl<S, E> JoinedKind for crate::query::join::OnJoin<S, E> {
    type Kind = AnOnJoin;
}
impl<S> JoinedKind for crate::query::join::Crossed<S> {
    type Kind = ACrossJoin;
}

/// [`JoinsNew`] for what a join method was given, of kind `Kind`.
#[doc(hidden)]
pub trait NewBy<Kind, L> {}
// A table joined by its name is also joined along its one reference to
// `L`: that reference must be one, see `Mutual`.
impl<L, T: Table + NewIn<L>> NewBy<ATable, L> for T
where
    L: Mutual<T>,
    <L as Mutual<T>>::Out: NotMutual<T>,
{
}
impl<L, S: NewIn<L>, E> NewBy<AnOnJoin, L> for crate::query::join::OnJoin<S, E> {}
impl<L, S: NewIn<L>> NewBy<ACrossJoin, L> for crate::query::join::Crossed<S> {}
// A reference marker adds one of its two tables; the join itself finds
// which by position. When both are in `L` already, that search has two
// answers, which rustc would report as an ambiguity (E0283): this check
// makes it an error of ours.
impl<L, M> NewBy<AMarker, L> for M
where
    M: Reference,
    L: HasTable<<M::Child as Table>::Id> + HasTable<<M::Parent as Table>::Id>,
    <<L as HasTable<<M::Child as Table>::Id>>::Out as Bit>::And<
        <L as HasTable<<M::Parent as Table>::Id>>::Out,
    >: NotBothJoined<M>,
{
}

/// Implemented for [`False`] only: the error for a reference marker whose
/// two tables are both in the FROM clause already.
#[diagnostic::on_unimplemented(
    message = "both tables of `{M}` are already in this query's FROM clause: join one again under another name, with `alias!`",
    label = "`{M}` would join a table a second time",
    note = "`let other = quarry::alias!(table_name as other_name);` then join `other.on(..)` and use `other.field(column)`"
)]
pub trait NotBothJoined<M> {}
#[diagnostic::do_not_recommend]
impl<M> NotBothJoined<M> for False {}

/// Implemented for [`False`] only: the error for a table joined twice.
#[diagnostic::on_unimplemented(
    message = "`{T}` is already in this query's FROM clause: join it again under another name, with `alias!`",
    label = "`{T}` is joined a second time here",
    note = "`let other = quarry::alias!(table_name as other_name);` then join `other` and use `other.field(column)`"
)]
pub trait NotYetJoined<T> {}
#[diagnostic::do_not_recommend]
impl<T> NotYetJoined<T> for False {}

/// The identities of the tables a table's references point at: a list of
/// [`RefTo`] ending in [`NoRefs`]. `table!` writes it as `Table::References`.
pub struct RefTo<Id, Rest>(PhantomData<(Id, Rest)>);
/// The end of a list of [`RefTo`].
pub struct NoRefs;

/// Whether a list of references points at the table whose identity is `Id`.
#[doc(hidden)]
pub trait RefersTo<Id> {
    /// [`True`] or [`False`].
    type Out: Bit;
}
impl<Id> RefersTo<Id> for NoRefs {
    type Out = False;
}
impl<H, R, Id> RefersTo<Id> for RefTo<H, R>
where
    H: SameId<Id>,
    R: RefersTo<Id>,
{
    type Out = <H::Out as Bit>::Or<R::Out>;
}

/// Whether a table of the FROM clause `Self` and the table `T` reference
/// each other: then two declared references connect them, and joining `T`
/// by its name would have two answers (rustc's E0283). `table!` sees the
/// references of one table only, and two tables may be declared in two
/// invocations, so this is decided here, from each table's
/// `Table::References`, with no impl per pair of tables.
///
/// Joining along one of the two references by its name compiles:
///
/// ```
/// use quarry::prelude::*;
///
/// quarry::table! {
///     users (id) {
///         id -> Integer,
///         favorite_post_id -> Nullable<Integer> references posts(id),
///     }
///     posts (id) {
///         id -> Integer,
///         author_id -> Integer references users(id),
///     }
/// }
///
/// # fn main() {
/// let q = posts::table.inner_join(posts::author).select(posts::id);
/// assert_eq!(
///     quarry::debug_query::<quarry::Sqlite, _>(q).sql(),
///     r#"SELECT "posts"."id" FROM "posts" INNER JOIN "users" ON "posts"."author_id" = "users"."id""#,
/// );
/// # }
/// ```
#[doc(hidden)]
pub trait Mutual<T> {
    /// [`True`] or [`False`].
    type Out: Bit;
}
impl<X: Table, T: Table> Mutual<T> for X
where
    X::References: RefersTo<T::Id>,
    T::References: RefersTo<X::Id>,
{
    type Out = <<X::References as RefersTo<T::Id>>::Out as Bit>::And<
        <T::References as RefersTo<X::Id>>::Out,
    >;
}
/// An alias joins with `on`, never along a reference.
impl<N, T> Mutual<T> for Alias<N> {
    type Out = False;
}
impl<D: Table, Q, T> Mutual<T> for Derived<D, Q> {
    type Out = False;
}
impl<L, J, K, V, T> Mutual<T> for Join<L, J, K, V>
where
    L: Mutual<T>,
    J: JoinTarget<L, V>,
    J::Source: Mutual<T>,
{
    type Out = <L::Out as Bit>::Or<<J::Source as Mutual<T>>::Out>;
}
impl<S: Mutual<T>, O, T> Mutual<T> for crate::query::correlated::Correlated<S, O> {
    type Out = S::Out;
}

/// Implemented for [`False`] only: the error for a table joined by name to
/// a table it references and that references it back.
#[diagnostic::on_unimplemented(
    message = "`{T}` and a table of this query reference each other: join along the reference you mean, by its name",
    label = "two references connect `{T}` to this query",
    note = "join the reference instead of the table, as in `inner_join(posts::author)`, or write the condition: `{T}.on(..)`"
)]
pub trait NotMutual<T> {}
#[diagnostic::do_not_recommend]
impl<T> NotMutual<T> for False {}
