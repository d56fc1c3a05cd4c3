//! `ORDER BY`.

use crate::backend::Backend;
use crate::expression::OrderSql;
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

impl<DB: Backend, O: OrderSql<DB>> QueryFragment<DB> for OrderBy<O> {
    const FRAG: Part = Part::Seq(&[Part::Str(" ORDER BY "), O::ORDER_FRAG]);
    fn collect_binds<'a>(&'a self, out: &mut Binds<'a>) {
        self.0.collect_order_binds(out);
    }
}
