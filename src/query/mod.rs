//! SELECT statements and the methods that build them.

mod alias;
mod as_query;
mod as_select;
mod boxed;
mod correlated;
mod count;
mod count_rows;
mod derived;
mod distinct_clause;
mod exists;
pub(crate) mod group_by_clause;
mod join;
pub(crate) mod joined_once;
mod label;
mod limit_clause;
mod order_clause;
pub(crate) mod order_position;
pub(crate) mod query_dsl;
mod reference_type;
pub(crate) mod select_clause;
pub(crate) mod select_statement;
mod set_operation;
mod where_clause;
mod with_clause;
mod write;

pub use alias::{Alias, AliasName, Aliased};
pub use as_query::AsQuery;
pub use as_select::AsSelect;
pub use boxed::{
    BoxedBool, BoxedConditionDsl, BoxedForPg, BoxedForSqlite, BoxedGroup, BoxedGroupParts,
    BoxedOrder, BoxedOrderParts, BoxedSelect, Cond, Count, DynPart, GroupParts, IntoBoxedParts,
    IntoCondition, Term, rendered_shapes, set_dynamic_sql_budget,
};
#[cfg(feature = "mysql")]
pub use boxed::{BoxedForMysql, BoxedMysql};
pub use correlated::{Correlated, OuterScope};
pub use count::CountStar;
pub use count_rows::{CountOf, CountRows, Counted};
pub use derived::{Derived, RowsOf, derived};
pub use distinct_clause::{Distinct, NoDistinct};
pub use exists::{Exists, ExistsQuery, SelectOne, exists};
pub use group_by_clause::{GroupBy, Having, NoGroupBy, NoHaving};
pub use join::{
    Along, Backward, Cross, Crossed, Explicit, Forward, FullOuter, InLeft, InRight, Inner, Join,
    JoinCondition, JoinKind, JoinKindIn, JoinOnDsl, JoinTarget, JoinedOnce, JoinsTo, LeftOuter,
    NameTheReference, NoCondition, OnJoin, OnScope, OneOf, ReferenceOn, Reselect, RightOuter,
    ShiftLeft, SupportsFullJoin, Unconditional,
};
pub use label::{
    InField, Label, LabelMethods, LabelName, Labelled, OrdersNullsByLabel, SelectsLabel, ThisOne,
};
pub use limit_clause::{Limit, NoLimit, NoOffset, Offset};
pub use order_clause::{NoOrder, OrderBy};
pub use order_position::{
    Ascending, ByDirection, ByExpression, ByLabel, ByPosition, Descending, HasColumnAt,
    NoPositions, OrderClauseFits, OrderFits, SelectedColumn, SortDirection, Unspecified, selected,
};
pub use query_dsl::{FindDsl, Limited, QueryDsl};
pub use reference_type::{ReferencedType, check_reference};
pub use select_clause::Selection;
pub use select_statement::{DefaultSelect, Picked, Query, SelectStatement, Selected, select};
pub use set_operation::{
    Except, Intersect, SameRowType, SetOperation, SetOperationDsl, SetOperator, Union, UnionAll,
};
pub use where_clause::{Condition, NoWhere, Where};
pub use with_clause::{With, WithQuery, with, with_recursive};
pub use write::*;
