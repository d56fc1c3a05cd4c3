//! SELECT statements and the methods that build them.

mod as_query;
mod as_select;
mod count;
mod distinct_clause;
mod exists;
mod limit_clause;
mod order_clause;
pub(crate) mod query_dsl;
pub(crate) mod select_clause;
mod select_statement;
mod where_clause;

pub use as_query::AsQuery;
pub use as_select::AsSelect;
pub use count::CountStar;
pub use distinct_clause::{Distinct, NoDistinct};
pub use exists::{Exists, exists};
pub use limit_clause::{Limit, NoLimit, NoOffset, Offset};
pub use order_clause::{NoOrder, OrderBy};
pub use query_dsl::{FindDsl, QueryDsl};
pub use select_clause::Selection;
pub use select_statement::{Query, SelectStatement, select};
pub use where_clause::{NoWhere, Where};
