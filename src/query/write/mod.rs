//! Writes: `INSERT`, `UPDATE`, `DELETE`, upserts and `RETURNING`.
//!
//! Every statement is checked like a query: a value of the wrong type, a
//! column of another table in `set`, `returning` or `excluded`, does not
//! compile. A statement's SQL text is a constant of its type, except a
//! multi-row `VALUES` list, whose length is known only at run time: it is
//! composed from the static one-row fragment (see [`Batch`]).

pub(crate) mod assignment;
mod batch;
mod column_list;
mod delete_statement;
mod filter_scope;
mod insert_statement;
mod returning_clause;
mod target;
mod update_statement;
mod upsert;

pub use assignment::{
    AsChangeset, Assign, ColumnOf, FitsNullability, SameTable, SetIfSome, SetIfSomeNullable,
    WritableTo, WriteTarget, assign_field, check_bind, set_if_some, set_if_some_nullable,
};
#[cfg(feature = "mysql")]
pub use batch::BatchInsertMysql;
pub use batch::{
    Batch, BatchSql, MAX_ROWS_PER_STATEMENT, MYSQL_BIND_LIMIT, PG_BIND_LIMIT, SQLITE_BIND_LIMIT,
};
pub use column_list::{ColumnList, RowFits};
pub use delete_statement::{DeleteStatement, delete};
pub use filter_scope::{DeleteCondition, DeletedFrom, UpdateCondition, Updated};
pub use insert_statement::{
    FromSelect, InsertBody, InsertInto, InsertRow, InsertStatement, Insertable, InsertableRow,
    ValuesClause, insert_into,
};
pub use returning_clause::{NoReturning, Returnable, Returning};
pub use target::{IntoUpdateTarget, PrimaryKeyOf, assert_primary_key, key_field, where_clause};
pub use update_statement::{
    NoSet, Set, SetClause, SupportsUpdateReturning, UpdateReturning, UpdateStatement, update,
};
pub use upsert::{
    AllowsUpsert, ConflictColumns, ConflictTarget, Constraint, DoNothing, DoUpdate, Excluded,
    ExcludedColumnOf, IncompleteDoUpdate, IncompleteOnConflict, NoConflict, OnConflict,
    OnConstraint, OnConstraintSupported, Upsert, UpsertAction, excluded,
};
