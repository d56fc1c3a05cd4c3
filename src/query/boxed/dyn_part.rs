//! A checked query node behind a pointer: its static SQL fragment and its
//! binds.

use crate::backend::Backend;
use crate::query_fragment::QueryFragment;
use crate::sql_text::Part;
use quarry_runtime::Value;

/// A node of a query whose type is erased: its fragment is still the
/// node's build-time constant, so a dynamic query renders from the same
/// parts as a static one.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be part of a boxed query for {DB}",
    note = "boxed parts must be `Send + Sync` and have SQL for the backend"
)]
pub trait DynPart<DB: Backend>: Send + Sync {
    /// The node's SQL, the constant of its type.
    fn part(&self) -> &'static Part;
    /// Pushes the node's binds.
    fn collect_dyn_binds<'a>(&'a self, out: &mut Vec<Value<'a>>);
}

impl<DB: Backend, T: QueryFragment<DB> + Send + Sync> DynPart<DB> for T {
    fn part(&self) -> &'static Part {
        const { &<T as QueryFragment<DB>>::FRAG }
    }
    fn collect_dyn_binds<'a>(&'a self, out: &mut Vec<Value<'a>>) {
        self.collect_binds(out);
    }
}
