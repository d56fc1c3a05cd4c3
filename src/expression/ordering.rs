//! `ASC` and `DESC` terms of `ORDER BY`.

use crate::backend::Backend;
use crate::expression::{Expression, ValidIn};
use crate::query_fragment::QueryFragment;
use crate::sql_text::Part;
use quarry_runtime::Value;

/// Something `order` accepts: an expression, `expr.asc()`, `expr.desc()`,
/// or a tuple of those.
///
/// This is what makes `users::table.order(posts::id)` fail to compile.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be used to order this query: its table is not in the FROM clause `{From}`"
)]
pub trait OrderTerm<From, Idx> {}

macro_rules! direction {
    ($(#[$doc:meta])* $name:ident, $sql:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy)]
        pub struct $name<E>(pub(crate) E);

                impl<From, E: ValidIn<From, I>, I> OrderTerm<From, I> for $name<E> {}

        crate::expression::grouping::grouping_from_operands!([E,] $name<E>; E IE);

        impl<DB: Backend, E: QueryFragment<DB>> QueryFragment<DB> for $name<E> {
            const FRAG: Part = Part::Seq(&[E::FRAG, Part::Str($sql)]);
            fn collect_binds<'a>(&'a self, out: &mut Vec<Value<'a>>) {
                self.0.collect_binds(out);
            }
        }
    };
}

direction!(
    /// `expr ASC`.
    Asc,
    " ASC"
);
direction!(
    /// `expr DESC`.
    Desc,
    " DESC"
);

impl<From, E: Expression + ValidIn<From, I>, I> OrderTerm<From, I> for E {}
