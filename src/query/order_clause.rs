//! `ORDER BY`.

use crate::backend::Backend;
use crate::expression::OrderSqlBy;
use crate::query::order_position::OrderTermKind;
use crate::query_fragment::Binds;
use crate::query_fragment::QueryFragment;
use crate::sql_text::Part;

/// No ORDER BY clause.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoOrder;

/// `ORDER BY terms`: one term or a tuple of terms.
#[derive(Debug, Clone, Copy)]
pub struct OrderBy<O>(pub(crate) O);

impl<DB: Backend> QueryFragment<DB> for NoOrder {
    const FRAG: Part = Part::Str("");
    fn collect_binds<'a>(&'a self, _out: &mut Binds<'a>) {}
}

// Bound on the term's kind directly rather than on `OrderSql`: one
// "required for" line less in a compile error.
impl<DB: Backend, O: OrderTermKind + OrderSqlBy<O::Kind, DB>> QueryFragment<DB> for OrderBy<O> {
    const FRAG: Part = Part::Seq(&[
        Part::Str(" ORDER BY "),
        <O as OrderSqlBy<O::Kind, DB>>::ORDER_FRAG,
    ]);
    fn collect_binds<'a>(&'a self, out: &mut Binds<'a>) {
        <O as OrderSqlBy<O::Kind, DB>>::collect_order_binds(&self.0, out);
    }
}
