//! Showing a query's SQL text and, separately, its bind values.

use core::fmt;
use core::marker::PhantomData;

use crate::backend::Backend;
use crate::query::AsQuery;
use crate::query_fragment::{QueryFragment, StaticSql};
use quarry_runtime::Value;

/// A query's SQL text and bind values, for reading. The values are shown
/// apart from the text: they are never part of it.
pub struct DebugQuery<Q, DB> {
    query: Q,
    backend: PhantomData<DB>,
}

/// The SQL text and binds of `query` for backend `DB`:
/// `debug_query::<Sqlite, _>(&q).to_string()` gives
/// ``SELECT ... WHERE "users"."id" = ? -- binds: [Int(1)]``.
pub fn debug_query<DB, Q>(query: Q) -> DebugQuery<Q::Query, DB>
where
    DB: Backend,
    Q: AsQuery,
    Q::Query: QueryFragment<DB>,
{
    DebugQuery {
        query: query.as_query(),
        backend: PhantomData,
    }
}

impl<Q: QueryFragment<DB>, DB: Backend> DebugQuery<Q, DB> {
    /// The SQL text, a constant.
    pub fn sql(&self) -> &'static str {
        <Q as StaticSql<DB>>::SQL
    }

    /// The bind values, in placeholder order.
    pub fn binds(&self) -> Vec<Value<'_>> {
        let mut out = crate::Binds::new();
        self.query.collect_binds(&mut out);
        out.into_vec()
    }
}

impl<Q: QueryFragment<DB>, DB: Backend> fmt::Display for DebugQuery<Q, DB> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} -- binds: {:?}", self.sql(), self.binds())
    }
}

impl<Q: QueryFragment<DB>, DB: Backend> fmt::Debug for DebugQuery<Q, DB> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DebugQuery")
            .field("sql", &self.sql())
            .field("binds", &self.binds())
            .finish()
    }
}
