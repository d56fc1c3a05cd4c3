//! What a SELECT returns: an expression, a tuple of them, or a struct's
//! fields.

use crate::expression::{Expression, TypeIn, ValidIn};

/// An expression or tuple of expressions that may be selected from the
/// FROM clause `From`. `SqlType` is the row type it produces there: a column
/// on the optional side of an outer join comes back `Nullable`.
///
/// This is what makes `users::table.select(posts::title)` fail to compile.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be selected here: its table is not in this query's FROM clause",
    label = "not in the FROM clause `{From}`"
)]
pub trait Selection<From, Idx> {
    /// The SQL type of what this selection produces in `From`.
    type SqlType;
}

// One blanket impl, so that an error names the selection's problem rather
// than listing every tuple arity.
impl<From, Idx, S: SelectionOf<From, Idx>> Selection<From, Idx> for S {
    type SqlType = S::SqlType;
}

/// The impls behind [`Selection`]: expressions and tuples of selections.
#[doc(hidden)]
#[diagnostic::on_unimplemented(message = "`{Self}` cannot be selected from `{From}`")]
pub trait SelectionOf<From, Idx> {
    /// See [`Selection::SqlType`].
    type SqlType;
}

impl<From, Idx, E> SelectionOf<From, Idx> for E
where
    E: Expression + ValidIn<From, Idx>,
{
    type SqlType = TypeIn<E, From, Idx>;
}
