//! How a node of a query contributes SQL text and bind values.

use crate::backend::Backend;
use crate::sql_text::{self, Part};
use quarry_runtime::{ParamType, Value};
use std::mem::ManuallyDrop;

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
    fn collect_binds<'a>(&'a self, out: &mut Binds<'a>);
}

/// How many bind values [`Binds`] holds without allocating.
const INLINE_BINDS: usize = 8;

/// A statement's bind values, in placeholder order, as
/// [`QueryFragment::collect_binds`] pushes them.
///
/// The first eight live on the stack, so running a statement with up to
/// eight parameters allocates nothing for its binds; more spill to the
/// heap, once, sized by the statement's parameter count (a build-time
/// constant). Dropping values that own nothing (numbers, borrowed text)
/// on the stack costs one look at each, not a destructor call.
///
/// ```
/// use quarry::{Binds, Value};
/// let mut binds = Binds::with_capacity(2);
/// binds.push(Value::Int(1));
/// binds.push(Value::Text("Ada"));
/// assert_eq!(binds.len(), 2);
/// assert!(matches!(binds[1], Value::Text("Ada")));
/// ```
#[derive(Default, Clone)]
pub struct Binds<'a> {
    // Dropped by `Binds`'s own `Drop`, only when something owns memory.
    values: ManuallyDrop<smallvec::SmallVec<[Value<'a>; INLINE_BINDS]>>,
}

impl std::fmt::Debug for Binds<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Binds")
            .field("values", &*self.values)
            .finish()
    }
}

impl Drop for Binds<'_> {
    /// Values on the stack that own nothing are left as they are: their
    /// memory is the `Binds` itself. Anything else (a spilled vector, owned
    /// text or bytes, a list) is dropped as usual.
    #[inline]
    fn drop(&mut self) {
        if self.values.spilled() || !self.values.iter().all(owns_nothing) {
            drop(std::mem::take(&mut *self.values));
        }
    }
}

/// Whether dropping `value` would free nothing. Variants not named here
/// count as owning, so a new variant is dropped as usual.
#[inline]
fn owns_nothing(value: &Value<'_>) -> bool {
    matches!(
        value,
        Value::Null
            | Value::Bool(_)
            | Value::SmallInt(_)
            | Value::Int(_)
            | Value::BigInt(_)
            | Value::Float(_)
            | Value::Double(_)
            | Value::Text(_)
            | Value::Blob(_)
            | Value::Json(_)
    )
}

impl<'a> Binds<'a> {
    /// No values yet, room for eight on the stack.
    #[inline]
    pub fn new() -> Self {
        Binds {
            values: ManuallyDrop::new(smallvec::SmallVec::new()),
        }
    }

    /// No values yet, room for `capacity`: on the stack up to eight,
    /// otherwise one allocation now.
    #[inline]
    pub fn with_capacity(capacity: usize) -> Self {
        Binds {
            values: ManuallyDrop::new(smallvec::SmallVec::with_capacity(capacity)),
        }
    }

    /// Appends the next placeholder's value.
    #[inline]
    pub fn push(&mut self, value: Value<'a>) {
        self.values.push(value);
    }

    /// The values, in placeholder order.
    #[inline]
    pub fn as_slice(&self) -> &[Value<'a>] {
        &self.values
    }

    /// The values, moved out in placeholder order.
    pub fn into_values(mut self) -> impl Iterator<Item = Value<'a>> {
        std::mem::take(&mut *self.values).into_iter()
    }

    /// The values as a vector (allocating when they were on the stack).
    pub fn into_vec(mut self) -> Vec<Value<'a>> {
        std::mem::take(&mut *self.values).into_vec()
    }
}

impl<'a> std::ops::Deref for Binds<'a> {
    type Target = [Value<'a>];

    #[inline]
    fn deref(&self) -> &[Value<'a>] {
        &self.values
    }
}

impl<'a> Extend<Value<'a>> for Binds<'a> {
    fn extend<I: IntoIterator<Item = Value<'a>>>(&mut self, iter: I) {
        self.values.extend(iter);
    }
}

/// The binds of `query`, on the stack when it has at most eight (the count
/// is the build-time constant [`StaticSql::PARAMS`]).
#[inline]
pub(crate) fn static_binds<DB: Backend, Q: QueryFragment<DB>>(query: &Q) -> Binds<'_> {
    let mut out = Binds::with_capacity(<Q as StaticSql<DB>>::PARAMS);
    query.collect_binds(&mut out);
    out
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
