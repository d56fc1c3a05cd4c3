//! A checked query node with its type erased: its static SQL fragment and
//! its binds.

use smallbox::SmallBox;
use smallbox::space::S4;

use crate::backend::Backend;
use crate::query_fragment::Binds;
use crate::query_fragment::QueryFragment;
use crate::sql_text::{Part, count_params};

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
    /// The node's SQL in parentheses, also a constant of its type.
    fn wrapped_part(&self) -> &'static Part;
    /// Pushes the node's binds.
    fn collect_dyn_binds<'a>(&'a self, out: &mut Binds<'a>);
}

impl<DB: Backend, T: QueryFragment<DB> + Send + Sync> DynPart<DB> for T {
    fn part(&self) -> &'static Part {
        const { &<T as QueryFragment<DB>>::FRAG }
    }
    fn wrapped_part(&self) -> &'static Part {
        const { &Part::Paren(&<T as QueryFragment<DB>>::FRAG) }
    }
    fn collect_dyn_binds<'a>(&'a self, out: &mut Binds<'a>) {
        self.collect_binds(out);
    }
}

/// A boxed node, kept inline when it is at most four words (a column
/// compared with a bound number or string), on the heap otherwise.
pub(crate) type Leaf<'a, DB> = SmallBox<dyn DynPart<DB> + 'a, S4>;

/// Boxes `node` when it has binds. A node with no placeholders has none,
/// so its text (kept by the caller) is all of it.
pub(crate) fn leaf_if_bound<'a, DB: Backend, T: QueryFragment<DB> + Send + Sync + 'a>(
    node: T,
) -> Option<Leaf<'a, DB>> {
    if const { count_params(&<T as QueryFragment<DB>>::FRAG) == 0 } {
        None
    } else {
        Some(leaf(node))
    }
}

/// Boxes `node`.
pub(crate) fn leaf<'a, DB: Backend, T: QueryFragment<DB> + Send + Sync + 'a>(
    node: T,
) -> Leaf<'a, DB> {
    smallbox::smallbox!(node)
}

/// A node of a boxed query, type erased: its text, a constant, and its
/// binds, boxed only when it has any.
#[doc(hidden)]
pub struct Term<'a, DB: Backend> {
    part: &'static Part,
    binds: Option<Leaf<'a, DB>>,
}

impl<'a, DB: Backend> Term<'a, DB> {
    /// Erases `node`'s type.
    pub(crate) fn new<T: QueryFragment<DB> + Send + Sync + 'a>(node: T) -> Self {
        Term {
            part: DynPart::<DB>::part(&node),
            binds: leaf_if_bound(node),
        }
    }

    /// The node's SQL.
    pub(crate) fn part(&self) -> &'static Part {
        self.part
    }

    /// Pushes the node's binds.
    pub(crate) fn collect_binds<'b>(&'b self, out: &mut Binds<'b>) {
        if let Some(binds) = &self.binds {
            binds.collect_dyn_binds(out);
        }
    }
}
