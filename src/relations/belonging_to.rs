//! `Post::belonging_to(&users)`: the children of many parents in one
//! query; `posts.grouped_by(&users)`: the children paired back with their
//! parents, in the parents' order.

use core::hash::Hash;
use core::marker::PhantomData;
use std::collections::HashMap;

use crate::query::group_by_clause::NoGroupBy;
use crate::query::{DefaultSelect, NoDistinct, NoLimit, NoOffset, NoOrder, SelectStatement, Where};
use crate::relations::{ChildRowOf, ColumnValues, KeyIn, Reference, Related};

/// The statement `belonging_to` builds: every column of `R`'s child table,
/// for the rows whose foreign key holds one of the keys.
pub type ChildrenOf<R, K> = SelectStatement<
    <R as Reference>::Child,
    DefaultSelect,
    (),
    Where<KeyIn<<R as Reference>::ForeignKey, K>>,
>;

/// The key that pairs `C` rows with `P` rows along reference `R`.
pub type KeyOf<C, P, R> = <C as ChildRowOf<P, R>>::Key;

/// The key of `P` rows in the columns reference `R` points at: what
/// `belonging_to` looks the children up by.
pub type ParentKeyOf<P, R> = <P as ColumnValues<<R as Reference>::ParentKey>>::Key;

/// The distinct keys of `rows` in the columns `Cols`, in first-seen order,
/// skipping NULLs.
pub(crate) fn distinct_keys<Cols, T: ColumnValues<Cols>>(rows: &[T]) -> Vec<T::Key> {
    let mut seen = std::collections::HashSet::with_capacity(rows.len());
    rows.iter()
        .filter_map(ColumnValues::column_values)
        .filter(|k| seen.insert(k.clone()))
        .collect()
}

/// The statement selecting the rows of `R`'s child table whose foreign key
/// holds one of `keys`.
pub(crate) fn children_query<R: Reference, K>(keys: Vec<K>) -> ChildrenOf<R, K> {
    statement(R::Child::default(), keys)
}

/// `SELECT * FROM source WHERE key IN (keys)`.
pub(crate) fn statement<S, Cols, K>(
    source: S,
    keys: Vec<K>,
) -> SelectStatement<S, DefaultSelect, (), Where<KeyIn<Cols, K>>> {
    SelectStatement {
        from: source,
        select: DefaultSelect,
        where_clause: Where(KeyIn::new(keys)),
        order: NoOrder,
        limit: NoLimit,
        offset: NoOffset,
        distinct: NoDistinct,
        group: NoGroupBy,
        row: PhantomData,
    }
}

/// Puts each child into the slot of the first parent with its key: one
/// `Vec` per parent, in the parents' order, the children in their own
/// order. Children whose key matches no parent are dropped.
pub(crate) fn group<K: Eq + Hash, T>(
    parent_keys: impl ExactSizeIterator<Item = Option<K>>,
    children: impl IntoIterator<Item = (Option<K>, T)>,
) -> Vec<Vec<T>> {
    let mut slots: Vec<Vec<T>> = Vec::with_capacity(parent_keys.len());
    let mut index: HashMap<K, usize> = HashMap::with_capacity(parent_keys.len());
    for (i, key) in parent_keys.enumerate() {
        slots.push(Vec::new());
        if let Some(key) = key {
            index.entry(key).or_insert(i);
        }
    }
    for (key, child) in children {
        if let Some(slot) = key.and_then(|k| index.get(&k)) {
            slots[*slot].push(child);
        }
    }
    slots
}

/// `Child::belonging_to(&parents)`: the children of many parents in one
/// statement, along the reference from the child's table to the parents'.
///
/// ```
/// # include!("doc_blog.rs");
/// # fn main() -> Result<(), quarry::Error> {
/// # let mut db = blog()?;
/// use quarry::relations::{BelongingToDsl, GroupedByDsl};
///
/// let users: Vec<User> = users::table.order(users::id).load(&mut db)?;
/// let posts: Vec<Post> = Post::belonging_to(&users).order(posts::id).load(&mut db)?;
/// let grouped = posts.grouped_by(&users);
/// let by_user: Vec<(User, Vec<Post>)> = users.into_iter().zip(grouped).collect();
/// assert_eq!(by_user[0].1.len(), 2);
/// assert!(by_user[2].1.is_empty()); // a parent without children
/// # Ok(()) }
/// ```
///
/// The statement is an ordinary query: `filter`, `order`, `select` and
/// `limit` extend it. When the child's table has several references to the
/// parents' table, name one with [`belonging_to_via`](Self::belonging_to_via).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a row struct that relations can read",
    note = "add `#[derive(Related)]` and `#[quarry(table = ...)]` to the struct"
)]
pub trait BelongingToDsl: Related + Sized {
    /// The children of `parents`, along the one reference from this
    /// struct's table to theirs.
    ///
    /// The key type is the parents' ([`ParentKeyOf`]), which the bound
    /// `ChildRowOf` makes the children's too: a projection through
    /// `ChildRowOf` in the return type would report a missing reference a
    /// second time.
    fn belonging_to<P, R>(parents: &[P]) -> ChildrenOf<R, ParentKeyOf<P, R>>
    where
        Self: ChildRowOf<P, R>,
        R: Reference,
        P: ColumnValues<R::ParentKey>,
    {
        children_query::<R, _>(distinct_keys::<R::ParentKey, P>(parents))
    }

    /// The children of `parents` along `reference`, such as
    /// `posts::editor`, when the tables have several references.
    fn belonging_to_via<P, R>(reference: R, parents: &[P]) -> ChildrenOf<R, ParentKeyOf<P, R>>
    where
        Self: ChildRowOf<P, R>,
        R: Reference,
        P: ColumnValues<R::ParentKey>,
    {
        let _ = reference;
        Self::belonging_to(parents)
    }
}

impl<C: Related> BelongingToDsl for C {}

/// `children.grouped_by(&parents)`: one `Vec` of children per parent, in
/// the parents' order, so `parents.into_iter().zip(grouped)` pairs them.
/// A parent without children gets an empty `Vec`; a child whose foreign
/// key is NULL or matches no parent is left out. See
/// [`BelongingToDsl`] for an example.
///
/// This is what makes `posts.grouped_by(&tags)` fail to compile: no
/// reference leads from posts to tags.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be grouped by parents",
    note = "`grouped_by` takes a `Vec` of row structs that derive `Related`"
)]
pub trait GroupedByDsl<C>: Sized {
    /// Groups along the one reference from the children's table to the
    /// parents'.
    fn grouped_by<P, R>(self, parents: &[P]) -> Vec<Vec<C>>
    where
        C: ChildRowOf<P, R>;

    /// Groups along `reference`, such as `posts::editor`.
    fn grouped_by_via<P, R>(self, reference: R, parents: &[P]) -> Vec<Vec<C>>
    where
        C: ChildRowOf<P, R>,
    {
        let _ = reference;
        self.grouped_by(parents)
    }
}

impl<C> GroupedByDsl<C> for Vec<C> {
    fn grouped_by<P, R>(self, parents: &[P]) -> Vec<Vec<C>>
    where
        C: ChildRowOf<P, R>,
    {
        group(
            parents.iter().map(C::parent_key),
            self.into_iter().map(|c| (c.foreign_key(), c)),
        )
    }
}
