//! Relations along the references `table!` declares: the children of many
//! parents in one statement ([`BelongingToDsl::belonging_to`]), paired back
//! with them ([`GroupedByDsl::grouped_by`]), and eager loads that bring
//! nested relations with one statement per level ([`eager`]).
//!
//! Row structs take part with `#[derive(Related)]`, which tells which field
//! holds which column; the keys are read from those fields. A parent
//! struct needs the fields of the reference's target columns (usually the
//! primary key), a child struct those of the foreign key.
//!
//! Repeated statements, the sign of a query run once per row, are caught
//! by [`StatementScope`](crate::StatementScope).

mod belonging_to;
mod eager;
#[cfg(feature = "mysql")]
mod eager_mysql;
#[cfg(feature = "postgres")]
mod eager_pg;
#[cfg(feature = "sqlite")]
mod eager_sqlite;
mod key_in;
mod reference;
mod related;

pub use belonging_to::{BelongingToDsl, ChildrenOf, GroupedByDsl, KeyOf, ParentKeyOf};
pub use eager::{
    BelongsTo, Eager, HasMany, ItemOf, Joined, JoinedSource, Nested, NoNested, Relation,
    belongs_to, eager, has_many, has_many_joined, many_to_many,
};
#[cfg(feature = "mysql")]
pub use eager_mysql::{EagerMysql, LoadNestedMysql};
#[cfg(feature = "postgres")]
pub use eager_pg::LoadNestedAsync;
#[cfg(feature = "sqlite")]
pub use eager_sqlite::LoadNested;
pub use key_in::KeyIn;
pub use reference::{ChildOf, ChildRowOf, Reference};
pub use related::{ColumnValues, FieldOf, KeyPart, Related};
