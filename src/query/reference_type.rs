//! A declared reference joins columns of one SQL type: `table!` checks it
//! when both tables are in one invocation, and this trait when they are
//! not.

use crate::query_source::Column;
use crate::sql_types::SqlType;

/// `Self`, the SQL type of the referencing column `Local` (without
/// `Nullable`), is `Other`, the SQL type of the referenced column `Target`.
#[diagnostic::on_unimplemented(
    message = "a reference joins columns of one SQL type, but `{Local}` is `{Self}` and the column it references, `{Target}`, is `{Other}`",
    label = "a reference joins columns of the same SQL type",
    note = "make the referencing column's type match the referenced column's, or reference another column"
)]
pub trait ReferencedType<Other, Local, Target> {}

impl<T, Local, Target> ReferencedType<T, Local, Target> for T {}

/// The check `table!` emits for each referenced column, spanned on it.
#[doc(hidden)]
pub const fn check_reference<Local: Column, Target: Column>()
where
    <Local::SqlType as SqlType>::NotNull:
        ReferencedType<<Target::SqlType as SqlType>::NotNull, Local, Target>,
{
}
