//! Dynamic queries that stay checked: boxed queries, boxed conditions and
//! run-time order terms. Their SQL text is put together from the parts'
//! build-time fragments and cached by shape.

mod boxed_bool;
mod boxed_select;
mod dyn_part;
mod shape;

pub use boxed_bool::{BoxedBool, BoxedConditionDsl, Cond, IntoCondition};
#[cfg(feature = "mysql")]
pub use boxed_select::{BoxedForMysql, BoxedMysql};
pub use boxed_select::{
    BoxedForPg, BoxedForSqlite, BoxedGroup, BoxedGroupParts, BoxedOrder, BoxedOrderParts,
    BoxedSelect, Count, GroupParts, Head, IntoBoxedParts,
};

pub use dyn_part::{DynPart, Term};
pub use shape::{rendered_shapes, set_dynamic_sql_budget};
