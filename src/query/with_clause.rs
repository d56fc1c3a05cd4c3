//! Common table expressions: `WITH name(columns) AS (query) main` and
//! `WITH RECURSIVE`. A subquery in FROM is [`derived`](crate::query::derived).
//!
//! The CTE's shape is declared with [`table!`](crate::table) like any table,
//! so the main query uses its columns with their types, and the CTE's query
//! must return rows of exactly that shape.

use core::marker::PhantomData;

use crate::backend::Backend;
use crate::query::{AsQuery, Query, SameRowType};
use crate::query_fragment::Binds;
use crate::query_fragment::QueryFragment;
use crate::query_source::Table;
use crate::sql_text::Part;

/// `WITH [RECURSIVE] table(columns) AS (query)`, waiting for its main query.
#[derive(Debug, Clone)]
#[must_use = "add the main query with `.query(...)`"]
pub struct With<T, Q, const RECURSIVE: bool> {
    query: Q,
    table: PhantomData<T>,
}

/// `WITH ... main`: a statement whose main query may use the CTE's table.
#[derive(Debug, Clone)]
#[must_use = "a query does nothing until it is loaded or executed"]
pub struct WithQuery<T, Q, M, const RECURSIVE: bool> {
    cte: Q,
    main: M,
    table: PhantomData<T>,
}

fn with_any<T, Q, const RECURSIVE: bool>(query: Q) -> With<T, Q::Query, RECURSIVE>
where
    T: Table,
    Q: AsQuery,
    Q::Query: Query,
    <Q::Query as Query>::SqlType: SameRowType<T::RowSqlType>,
{
    With {
        query: query.as_query(),
        table: PhantomData,
    }
}

/// `WITH table(columns) AS (query)`: names `query`'s rows as `table`, a
/// table declared with `table!` whose columns match the query's row type.
pub fn with<T, Q>(table: T, query: Q) -> With<T, Q::Query, false>
where
    T: Table,
    Q: AsQuery,
    Q::Query: Query,
    <Q::Query as Query>::SqlType: SameRowType<T::RowSqlType>,
{
    let _ = table;
    with_any(query)
}

/// `WITH RECURSIVE table(columns) AS (query)`: `query` is usually a base
/// query `union_all` a query that reads `table` itself.
pub fn with_recursive<T, Q>(table: T, query: Q) -> With<T, Q::Query, true>
where
    T: Table,
    Q: AsQuery,
    Q::Query: Query,
    <Q::Query as Query>::SqlType: SameRowType<T::RowSqlType>,
{
    let _ = table;
    with_any(query)
}

impl<T, Q, const RECURSIVE: bool> With<T, Q, RECURSIVE> {
    /// The main query, which may read the CTE's table like any other.
    pub fn query<M: AsQuery>(self, main: M) -> WithQuery<T, Q, M::Query, RECURSIVE> {
        WithQuery {
            cte: self.query,
            main: main.as_query(),
            table: PhantomData,
        }
    }
}

impl<T, Q, M: Query, const RECURSIVE: bool> Query for WithQuery<T, Q, M, RECURSIVE> {
    type SqlType = M::SqlType;
}

impl<T, Q, M, const RECURSIVE: bool> AsQuery for WithQuery<T, Q, M, RECURSIVE> {
    type Query = Self;
    fn as_query(self) -> Self {
        self
    }
}

impl<DB, T, Q, M, const RECURSIVE: bool> QueryFragment<DB> for WithQuery<T, Q, M, RECURSIVE>
where
    DB: Backend,
    T: Table,
    Q: QueryFragment<DB>,
    M: QueryFragment<DB>,
{
    const FRAG: Part = Part::Seq(&[
        Part::Str(if RECURSIVE {
            "WITH RECURSIVE "
        } else {
            "WITH "
        }),
        Part::Ident(T::NAME),
        Part::Paren(&Part::Columns("", T::COLUMN_NAMES)),
        Part::Str(" AS "),
        Part::Paren(&Q::FRAG),
        Part::Str(" "),
        M::FRAG,
    ]);
    fn collect_binds<'a>(&'a self, out: &mut Binds<'a>) {
        self.cte.collect_binds(out);
        self.main.collect_binds(out);
    }
}
