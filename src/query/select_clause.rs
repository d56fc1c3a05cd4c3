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

// One blanket impl: a selection is first classed by its type alone
// ([`SelectKind`]), so only one [`SelectionBy`] impl applies and rustc
// blames the failing part (a tuple's column, not the tuple), with no list
// of every tuple arity.
impl<From, Idx, S> Selection<From, Idx> for S
where
    S: SelectKind + SelectionBy<<S as SelectKind>::Kind, From, Idx>,
{
    type SqlType = <S as SelectionBy<S::Kind, From, Idx>>::SqlType;
}

/// [`Selection`] with the SQL type of its rows as a parameter, `ST`: what
/// `select` asks for, so that the statement it returns carries the row
/// type. A tuple's row is its parts' rows, matched as parameters rather than
/// computed through [`Selection::SqlType`], so that a tuple with one wrong
/// column is one error, spanned on that column.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be selected here: its table is not in this query's FROM clause",
    label = "not in the FROM clause `{From}`"
)]
pub trait SelectionRow<From, Idx, ST> {}

impl<From, Idx, ST, S> SelectionRow<From, Idx, ST> for S where
    S: SelectKind + SelectionRowBy<<S as SelectKind>::Kind, From, Idx, ST>
{
}

/// [`SelectionRow`] for selections of kind `Kind`.
#[doc(hidden)]
#[diagnostic::on_unimplemented(message = "`{Self}` cannot be selected from `{From}`")]
pub trait SelectionRowBy<Kind, From, Idx, ST> {}

impl<From, Idx, E> SelectionRowBy<OneExpression, From, Idx, TypeIn<E, From, Idx>> for E where
    E: Expression + ValidIn<From, Idx>
{
}

impl<From, Idx, S>
    SelectionRowBy<
        OtherSelection,
        From,
        Idx,
        <S as SelectionBy<OtherSelection, From, Idx>>::SqlType,
    > for S
where
    S: SelectionBy<OtherSelection, From, Idx>,
{
}

/// What kind of selection `Self` is: one expression, a tuple, or another
/// selection (`star`, `as_select()`). Decided by the type alone, so only
/// one [`SelectionBy`] impl applies and rustc blames the failing part.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be selected: it is not an expression, a tuple of them, or a table's `star`"
)]
pub trait SelectKind {
    /// [`OneExpression`], [`TupleOf`] or [`OtherSelection`].
    type Kind;
}
/// [`SelectKind`] of an expression.
pub struct OneExpression;
/// [`SelectKind`] of a tuple.
pub struct TupleOf;
/// [`SelectKind`] of `star`, `as_select()` and the statement's selection.
pub struct OtherSelection;

impl<E: Expression> SelectKind for E {
    type Kind = OneExpression;
}

/// [`Selection`] for selections of kind `Kind`.
#[doc(hidden)]
#[diagnostic::on_unimplemented(message = "`{Self}` cannot be selected from `{From}`")]
pub trait SelectionBy<Kind, From, Idx> {
    /// See [`Selection::SqlType`].
    type SqlType;
}

impl<From, Idx, E> SelectionBy<OneExpression, From, Idx> for E
where
    E: Expression + ValidIn<From, Idx>,
{
    type SqlType = TypeIn<E, From, Idx>;
}
