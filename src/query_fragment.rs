//! How a node of a query contributes SQL text and bind values.

use crate::backend::Backend;
use crate::sql_text::{self, Part};
use quarry_runtime::{ParamType, Value};

/// A node of a query: its SQL text as a constant, and its bind values.
///
/// `FRAG` is the node's text for every dialect; [`StaticSql`] renders a whole
/// query's tree once, at build time. `collect_binds` pushes the node's values
/// in the order its placeholders appear in `FRAG`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be written as SQL for {DB}",
    note = "some operations exist only for one backend"
)]
pub trait QueryFragment<DB: Backend> {
    /// This node's SQL, as parts.
    const FRAG: Part;
    /// Pushes this node's bind values, in placeholder order.
    fn collect_binds<'a>(&'a self, out: &mut Vec<Value<'a>>);
}

/// The rendered SQL text of a whole statement, computed at build time.
///
/// Implemented for every [`QueryFragment`]; read it in a `const` with
/// [`const_sql!`](crate::const_sql).
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no SQL text for {DB}",
    note = "some operations exist only for one backend"
)]
pub trait StaticSql<DB: Backend>: QueryFragment<DB> {
    /// The text's length in bytes.
    const LEN: usize;
    /// The rendered bytes; only the first `LEN` are the text.
    const BYTES: &'static [u8];
    /// The SQL text, with placeholders.
    const SQL: &'static str;
    /// How many bind values the statement takes.
    const PARAMS: usize;
    /// The SQL types of the bind values, in placeholder order: PostgreSQL
    /// prepares the statement with them instead of inferring each
    /// placeholder's type from its context.
    const PARAM_TYPES: &'static [ParamType];
    /// The buffer `PARAM_TYPES` is the start of.
    #[doc(hidden)]
    const TYPE_BUFFER: &'static [ParamType];
}

impl<DB: Backend, Q: QueryFragment<DB>> StaticSql<DB> for Q {
    const LEN: usize = sql_text::measure(&Q::FRAG, DB::DIALECT);
    const BYTES: &'static [u8] = match sql_text::capacity_step(Self::LEN) {
        0 => &sql_text::render::<256>(&Q::FRAG, DB::DIALECT).bytes,
        1 => &sql_text::render::<2048>(&Q::FRAG, DB::DIALECT).bytes,
        2 => &sql_text::render::<16384>(&Q::FRAG, DB::DIALECT).bytes,
        _ => &sql_text::render::<65536>(&Q::FRAG, DB::DIALECT).bytes,
    };
    const SQL: &'static str = sql_text::text(Self::BYTES, Self::LEN);
    const PARAMS: usize = sql_text::count_params(&Q::FRAG);
    const TYPE_BUFFER: &'static [ParamType] = match sql_text::types_step(Self::PARAMS) {
        0 => &sql_text::param_types::<8>(&Q::FRAG, DB::DIALECT).types,
        1 => &sql_text::param_types::<64>(&Q::FRAG, DB::DIALECT).types,
        2 => &sql_text::param_types::<512>(&Q::FRAG, DB::DIALECT).types,
        3 => &sql_text::param_types::<4096>(&Q::FRAG, DB::DIALECT).types,
        _ => &sql_text::param_types::<65535>(&Q::FRAG, DB::DIALECT).types,
    };
    const PARAM_TYPES: &'static [ParamType] =
        sql_text::first_types(Self::TYPE_BUFFER, Self::PARAMS);
}

/// Reads the SQL text of the query that `make` returns, in a `const`
/// context. Used by [`const_sql!`](crate::const_sql); `make` is never called.
pub const fn sql_of<DB: Backend, Q: StaticSql<DB>, F: FnOnce() -> Q>(_make: &F) -> &'static str {
    Q::SQL
}

/// A query's SQL text as a `&'static str` constant.
///
/// ```
/// # quarry::table! { users (id) { id -> Integer, name -> Text, } }
/// use quarry::prelude::*;
/// const SQL: &str = quarry::const_sql!(Sqlite, users::table.filter(users::id.eq(1)).select(users::name));
/// assert_eq!(SQL, r#"SELECT "users"."name" FROM "users" WHERE "users"."id" = ?"#);
/// ```
///
/// The query expression is type-checked but never run.
#[macro_export]
macro_rules! const_sql {
    ($backend:ty, $query:expr) => {{
        let make = || $crate::__private::into_statement($query);
        $crate::__private::sql_of::<$backend, _, _>(&make)
    }};
}
