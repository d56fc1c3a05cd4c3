//! Eager loading: a query of parents and the relations to bring with them,
//! loaded with one statement per relation, never one per row.
//!
//! A relation is described by a value: [`has_many`] (one-to-many),
//! [`belongs_to`] (many-to-one, its own statement), [`has_many_joined`]
//! (one-to-many whose rows come joined with a parent of their own, in the
//! same statement), and [`many_to_many`] (through an association table,
//! whose rows come with the target's). `.with(..)` nests relations of the
//! loaded rows, and a pair `(a, b)` loads two relations of the same rows.

use core::hash::Hash;
use core::marker::PhantomData;
use std::collections::HashMap;

use crate::query::{
    DefaultSelect, Forward, InRight, Inner, Join, LeftOuter, SelectStatement, Where,
};
use crate::query_source::Here;
use crate::relations::belonging_to::{ChildrenOf, children_query, distinct_keys, group, statement};
use crate::relations::{ColumnValues, KeyIn, Reference};

/// No further relation: the rows are loaded as they are.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoNested;

/// One-to-many along `R`: each parent's `C` rows, as a `Vec`. Made by
/// [`has_many`].
pub struct HasMany<R, C, N = NoNested> {
    next: N,
    marker: PhantomData<fn() -> (R, C)>,
}

/// Many-to-one along `R`: each child's parent `P`, as an `Option` (`None`
/// when the foreign key is NULL). Made by [`belongs_to`].
pub struct BelongsTo<R, P, N = NoNested> {
    next: N,
    marker: PhantomData<fn() -> (R, P)>,
}

/// One-to-many along `R1` whose rows come joined along `R2` (a `K` join),
/// as pairs `(A, T)`. Made by [`many_to_many`] and [`has_many_joined`].
pub struct Joined<R1, R2, K, A, T, N = NoNested> {
    next: N,
    marker: PhantomData<fn() -> (R1, R2, K, A, T)>,
}

/// Each parent's `C` rows along `reference` (from `C`'s table to the
/// parents'), as a `Vec` in the order the database returns them.
///
/// ```
/// # include!("doc_blog.rs");
/// # fn main() -> Result<(), quarry::Error> {
/// # let mut db = blog()?;
/// use quarry::relations::{eager, has_many};
///
/// // Two levels, two statements, whatever the number of users and posts.
/// let users: Vec<(User, Vec<(Post, Vec<Comment>)>)> = eager(
///     users::table.order(users::id),
///     has_many::<Post, _>(posts::author).with(has_many::<Comment, _>(comments::post)),
/// )
/// .load::<User>(&mut db)?;
/// assert_eq!(users[0].1[0].1.len(), 2); // Ada's first post has two comments
/// assert!(users[2].1.is_empty()); // Chloé has no posts
/// # Ok(()) }
/// ```
pub fn has_many<C, R: Reference>(reference: R) -> HasMany<R, C> {
    let _ = reference;
    HasMany {
        next: NoNested,
        marker: PhantomData,
    }
}

/// Each child's `P` row along `reference` (from the children's table to
/// `P`'s), in one statement for all the children. `P` must be `Clone`:
/// children share parents.
pub fn belongs_to<P, R: Reference>(reference: R) -> BelongsTo<R, P> {
    let _ = reference;
    BelongsTo {
        next: NoNested,
        marker: PhantomData,
    }
}

/// Each parent's `T` rows through the association table of `A` rows:
/// `to_parent` leads from the association table to the parents,
/// `to_target` to `T`'s table. The association's own columns (a role, a
/// date) come with each target, as pairs `(A, T)`, from one statement
/// that joins the two tables.
pub fn many_to_many<A, T, R1, R2>(to_parent: R1, to_target: R2) -> Joined<R1, R2, Inner, A, T>
where
    R1: Reference,
    R2: Reference<Child = R1::Child>,
{
    let _ = (to_parent, to_target);
    Joined {
        next: NoNested,
        marker: PhantomData,
    }
}

/// Each parent's `C` rows along `reference`, each with its `T` row along
/// `joined` (another reference of `C`'s table) from the same statement,
/// a `LEFT JOIN`: the joined style of a many-to-one. The rows are pairs
/// `(C, Option<T>)`.
pub fn has_many_joined<C, T, R1, R2>(
    reference: R1,
    joined: R2,
) -> Joined<R1, R2, LeftOuter, C, Option<T>>
where
    R1: Reference,
    R2: Reference<Child = R1::Child>,
{
    let _ = (reference, joined);
    Joined {
        next: NoNested,
        marker: PhantomData,
    }
}

impl<R, C, N> HasMany<R, C, N> {
    /// Also loads `next` for each loaded row.
    pub fn with<M>(self, next: M) -> HasMany<R, C, M> {
        HasMany {
            next,
            marker: PhantomData,
        }
    }
}

impl<R, P, N> BelongsTo<R, P, N> {
    /// Also loads `next` for each loaded row.
    pub fn with<M>(self, next: M) -> BelongsTo<R, P, M> {
        BelongsTo {
            next,
            marker: PhantomData,
        }
    }
}

impl<R1, R2, K, A, T, N> Joined<R1, R2, K, A, T, N> {
    /// Also loads `next` for each loaded pair; its keys are read from the
    /// pair's first part.
    pub fn with<M>(self, next: M) -> Joined<R1, R2, K, A, T, M> {
        Joined {
            next,
            marker: PhantomData,
        }
    }
}

/// What loading further relations makes of a loaded row: the row itself
/// ([`NoNested`]), or the row and what its relations loaded.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a relation of `{Row}` rows",
    note = "nest relations made with `has_many`, `belongs_to`, `many_to_many` or `has_many_joined`, or a pair of them"
)]
pub trait Nested<Row> {
    /// A loaded row with its relations.
    type Item;
    /// What the relations load for one row.
    type Values;
    /// Puts a row and its relations' values together.
    fn nest(row: Row, values: Self::Values) -> Self::Item;
}

impl<Row> Nested<Row> for NoNested {
    type Item = Row;
    type Values = ();
    fn nest(row: Row, _: ()) -> Row {
        row
    }
}

impl<Row, N1: Nested<Row>, N2: Nested<Row>> Nested<Row> for (N1, N2) {
    type Item = (Row, (N1::Values, N2::Values));
    type Values = (N1::Values, N2::Values);
    fn nest(row: Row, values: Self::Values) -> Self::Item {
        (row, values)
    }
}

/// One level of an eager load: the statement for a slice of parents, and
/// how its rows go back to them. Both backends run it the same way.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot load relations of `{P}` rows",
    note = "check that the reference leads from the children's table to the parents' and that both structs derive `Related`"
)]
pub trait Relation<P> {
    /// The row type of the statement.
    type Row;
    /// The statement.
    type Query;
    /// The key that pairs rows with parents.
    type Key: Eq + Hash;
    /// The relations loaded for each row.
    type Next: Nested<Self::Row>;
    /// What one parent gets.
    type Out;
    /// The statement for `parents`, or `None` when they have no key to
    /// look up (no statement runs then).
    fn query(&self, parents: &[P]) -> Option<Self::Query>;
    /// The relations of the rows.
    fn next(&self) -> &Self::Next;
    /// The key a row pairs with its parent by.
    fn row_key(row: &Self::Row) -> Option<Self::Key>;
    /// One value per parent, in the parents' order.
    fn assemble(parents: &[P], items: Vec<(Option<Self::Key>, ItemOf<Self, P>)>) -> Vec<Self::Out>;
}

/// A row of relation `R` with its nested relations.
pub type ItemOf<R, P> = <<R as Relation<P>>::Next as Nested<<R as Relation<P>>::Row>>::Item;

impl<P, R, C, N> Relation<P> for HasMany<R, C, N>
where
    R: Reference,
    P: ColumnValues<R::ParentKey>,
    C: ColumnValues<R::ForeignKey, Key = P::Key>,
    N: Nested<C>,
{
    type Row = C;
    type Query = ChildrenOf<R, P::Key>;
    type Key = P::Key;
    type Next = N;
    type Out = Vec<N::Item>;
    fn query(&self, parents: &[P]) -> Option<Self::Query> {
        let keys = distinct_keys(parents);
        (!keys.is_empty()).then(|| children_query::<R, _>(keys))
    }
    fn next(&self) -> &N {
        &self.next
    }
    fn row_key(row: &C) -> Option<P::Key> {
        row.column_values()
    }
    fn assemble(parents: &[P], items: Vec<(Option<P::Key>, N::Item)>) -> Vec<Self::Out> {
        group(parents.iter().map(ColumnValues::column_values), items)
    }
}

impl<P, R, Pa, N> Relation<P> for BelongsTo<R, Pa, N>
where
    R: Reference,
    P: ColumnValues<R::ForeignKey>,
    Pa: ColumnValues<R::ParentKey, Key = P::Key>,
    N: Nested<Pa>,
    N::Item: Clone,
{
    type Row = Pa;
    type Query = SelectStatement<R::Parent, DefaultSelect, (), Where<KeyIn<R::ParentKey, P::Key>>>;
    type Key = P::Key;
    type Next = N;
    type Out = Option<N::Item>;
    fn query(&self, parents: &[P]) -> Option<Self::Query> {
        let keys = distinct_keys(parents);
        (!keys.is_empty()).then(|| statement(R::Parent::default(), keys))
    }
    fn next(&self) -> &N {
        &self.next
    }
    fn row_key(row: &Pa) -> Option<P::Key> {
        row.column_values()
    }
    fn assemble(parents: &[P], items: Vec<(Option<P::Key>, N::Item)>) -> Vec<Self::Out> {
        let by_key: HashMap<P::Key, N::Item> = items
            .into_iter()
            .filter_map(|(key, item)| Some((key?, item)))
            .collect();
        parents
            .iter()
            .map(|p| p.column_values().and_then(|k| by_key.get(&k).cloned()))
            .collect()
    }
}

/// The FROM clause of a [`Joined`] relation: `R1`'s child table joined
/// along `R2`.
pub type JoinedSource<R1, R2, K> =
    Join<<R1 as Reference>::Child, R2, K, Forward<Here, InRight<Here>>>;

impl<P, R1, R2, K, A, T, N> Relation<P> for Joined<R1, R2, K, A, T, N>
where
    R1: Reference,
    R2: Reference<Child = R1::Child>,
    P: ColumnValues<R1::ParentKey>,
    A: ColumnValues<R1::ForeignKey, Key = P::Key>,
    N: Nested<(A, T)>,
{
    type Row = (A, T);
    type Query = SelectStatement<
        JoinedSource<R1, R2, K>,
        DefaultSelect,
        (),
        Where<KeyIn<R1::ForeignKey, P::Key>>,
    >;
    type Key = P::Key;
    type Next = N;
    type Out = Vec<N::Item>;
    fn query(&self, parents: &[P]) -> Option<Self::Query> {
        let keys = distinct_keys(parents);
        let source = Join {
            left: R1::Child::default(),
            target: R2::default(),
            kind: PhantomData,
        };
        (!keys.is_empty()).then(|| statement(source, keys))
    }
    fn next(&self) -> &N {
        &self.next
    }
    fn row_key(row: &(A, T)) -> Option<P::Key> {
        row.0.column_values()
    }
    fn assemble(parents: &[P], items: Vec<(Option<P::Key>, N::Item)>) -> Vec<Self::Out> {
        group(parents.iter().map(ColumnValues::column_values), items)
    }
}

macro_rules! nested_relation {
    ($ty:ident [$($g:ident),*]) => {
        impl<Row, $($g),*> Nested<Row> for $ty<$($g),*>
        where
            Self: Relation<Row>,
        {
            type Item = (Row, <Self as Relation<Row>>::Out);
            type Values = <Self as Relation<Row>>::Out;
            fn nest(row: Row, values: Self::Values) -> Self::Item {
                (row, values)
            }
        }
    };
}
nested_relation!(HasMany[R, C, N]);
nested_relation!(BelongsTo[R, P, N]);
nested_relation!(Joined[R1, R2, K, A, T, N]);

/// A query of parents and the relations to load with them: run it with
/// [`load`](Eager::load) on SQLite or [`load_async`](Eager::load_async) on
/// PostgreSQL. Each row comes back as the parent paired with what its
/// relations loaded: `(User, Vec<Post>)` for `has_many::<Post>(..)`.
#[derive(Debug, Clone)]
#[must_use = "an eager load does nothing until it is loaded"]
pub struct Eager<Q, N> {
    pub(crate) query: Q,
    pub(crate) relations: N,
}

/// Loads `query`'s rows and, for all of them at once, `relations`: one
/// statement for the parents, then one per relation and level. See
/// [`has_many`] for an example.
pub fn eager<Q, N>(query: Q, relations: N) -> Eager<Q, N> {
    Eager { query, relations }
}
