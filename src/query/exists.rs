//! `EXISTS (subquery)`.

use crate::backend::Backend;
use crate::expression::{Expression, ValidIn};
use crate::query::Query;
use crate::query_fragment::QueryFragment;
use crate::sql_text::Part;
use crate::sql_types::{Bool, NotNull};
use quarry_runtime::Value;

/// `EXISTS (query)`: whether the query returns any row.
#[derive(Debug, Clone)]
pub struct Exists<Q>(Q);

/// `EXISTS (query)`. Load it with [`select`](crate::select):
/// `select(exists(users::table.filter(...))).get_result::<bool>(&mut db)`.
pub fn exists<Q: crate::query::AsQuery>(query: Q) -> Exists<Q::Query> {
    Exists(query.as_query())
}

impl<Q: Query> Expression for Exists<Q> {
    type SqlType = Bool;
}

/// An uncorrelated subquery may appear in any query; a correlated one
/// where its outer table is.
impl<From, I, Q: crate::expression::Correlation<From, I>> ValidIn<From, (I,)> for Exists<Q> {
    type Nullability = NotNull;
}

/// An uncorrelated subquery is the same for every row.
impl<M, Q> crate::expression::grouping::Grouping<M, ((),)> for Exists<Q> {
    type Kind = crate::expression::grouping::Constant;
}

impl<DB: Backend, Q: QueryFragment<DB>> QueryFragment<DB> for Exists<Q> {
    const FRAG: Part = Part::Seq(&[Part::Str("EXISTS "), Part::Paren(&Q::FRAG)]);
    fn collect_binds<'a>(&'a self, out: &mut Vec<Value<'a>>) {
        self.0.collect_binds(out);
    }
}
