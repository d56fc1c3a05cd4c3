//! `COUNT(*)`.

use crate::backend::Backend;
use crate::expression::{Expression, ValidIn};
use crate::query_fragment::Binds;
use crate::query_fragment::QueryFragment;
use crate::sql_text::Part;
use crate::sql_types::{BigInt, NotNull};

/// `COUNT(*)`: the number of rows, as `BigInt` (`i64`).
#[derive(Debug, Clone, Copy, Default)]
pub struct CountStar;

impl Expression for CountStar {
    type SqlType = BigInt;
}

impl<From> ValidIn<From, ()> for CountStar {
    type Nullability = NotNull;
}

impl<M> crate::expression::grouping::Grouping<M, ()> for CountStar {
    type Kind = crate::expression::grouping::AggregateFunction;
}

impl<DB: Backend> QueryFragment<DB> for CountStar {
    const FRAG: Part = Part::Str("COUNT(*)");
    fn collect_binds<'a>(&'a self, _out: &mut Binds<'a>) {}
}

crate::__impl_arithmetic_ops!([] CountStar);
