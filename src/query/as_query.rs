//! What can be run: a table, a SELECT statement, and later statements that
//! are not SELECTs (writes, locking clauses).

use crate::query::QueryDsl;
use crate::query::query_dsl::Statement;

/// A value that runs as one SQL statement: `Query` is the statement.
///
/// Tables and SELECT statements get it from [`QueryDsl`]; other statements
/// implement it themselves. Loading and executing take any `AsQuery`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a query",
    label = "expected a table, a SELECT statement or another statement"
)]
pub trait AsQuery {
    /// The statement that runs.
    type Query;
    /// Turns `self` into the statement.
    fn as_query(self) -> Self::Query;
}

impl<Q: QueryDsl> AsQuery for Q {
    type Query = Statement<Q>;
    fn as_query(self) -> Statement<Q> {
        self.into_statement()
    }
}
