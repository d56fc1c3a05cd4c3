//! The references `table!` declares, seen as parent and child.

use crate::query_source::Table;

/// A declared reference, read as a relation: `Child`'s `ForeignKey`
/// columns hold the `ParentKey` columns of a `Parent` row. `table!`
/// implements it on each reference marker (`posts::author`), also for
/// self-references and composite ones. The keys are tuples of columns,
/// `(posts::author_id,)` for a one-column reference.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a reference declared in `table!`",
    label = "expected a reference such as `posts::author`",
    note = "a column's `references other(col)` declares one, named after the column without `_id`, or after `as name`"
)]
pub trait Reference: Copy + Default {
    /// The table that holds the foreign key.
    type Child: Table;
    /// The table the foreign key points at.
    type Parent: Table;
    /// The child's columns, as a tuple.
    type ForeignKey;
    /// The parent's columns they hold, as a tuple in the same order.
    type ParentKey;
}

/// The child table `Self` references `Parent` through `Via`. `table!`
/// implements it once per reference, so `Post::belonging_to(&users)` finds
/// the reference from the two tables alone when there is one.
///
/// This is what makes `Tag::belonging_to(&users)` fail to compile when no
/// reference leads from the tags table to the users table.
#[diagnostic::on_unimplemented(
    message = "no reference leads from `{Self}` to `{Parent}`",
    label = "`{Self}` declares no reference to `{Parent}`",
    note = "declare one with `references` in `table!`; when there are several, name one: `belonging_to_via(posts::editor, &users)`"
)]
pub trait ChildOf<Parent, Via> {}

/// Rows of `Self` belong to rows of `P` through the reference `Via`: the
/// tables of the two row structs are joined by a declared reference, and
/// the structs hold its columns. Gives both sides' keys.
///
/// This is what makes `posts.grouped_by(&tags)` and
/// `Tag::belonging_to(&users)` fail to compile.
#[diagnostic::on_unimplemented(
    message = "`{Self}` rows do not belong to `{P}` rows",
    label = "no reference leads from the table of `{Self}` to the table of `{P}`",
    note = "declare one with `references` in `table!` (when there are several, name one with `belonging_to_via` or `grouped_by_via`), and derive `Related` on both structs"
)]
pub trait ChildRowOf<P, Via> {
    /// The key that pairs a child with its parent.
    type Key: Eq + core::hash::Hash + Clone + Send + Sync + 'static;
    /// The child's foreign key, `None` when NULL.
    fn foreign_key(&self) -> Option<Self::Key>;
    /// The parent's key.
    fn parent_key(parent: &P) -> Option<Self::Key>;
}

#[diagnostic::do_not_recommend]
impl<C, P, R> ChildRowOf<P, R> for C
where
    C: crate::relations::Related,
    P: crate::relations::Related,
    C::Table: ChildOf<P::Table, R>,
    R: Reference,
    P: crate::relations::ColumnValues<R::ParentKey>,
    C: crate::relations::ColumnValues<R::ForeignKey, Key = P::Key>,
{
    type Key = P::Key;
    fn foreign_key(&self) -> Option<P::Key> {
        self.column_values()
    }
    fn parent_key(parent: &P) -> Option<P::Key> {
        parent.column_values()
    }
}
