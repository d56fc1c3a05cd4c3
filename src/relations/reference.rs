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
