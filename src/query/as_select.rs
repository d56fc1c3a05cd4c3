//! `Struct::as_select()`: the columns a `#[derive(Selectable)]` struct
//! reads, by field name.

use core::marker::PhantomData;

use crate::backend::Backend;
use crate::query::Selection;
use crate::query_fragment::QueryFragment;
use crate::sql_text::Part;
use quarry_runtime::Value;

/// The selection of struct `T`'s columns, `Cols`; loads as `T`.
pub struct AsSelect<T, Cols> {
    columns: Cols,
    target: PhantomData<fn() -> T>,
}

impl<T, Cols: Clone> Clone for AsSelect<T, Cols> {
    fn clone(&self) -> Self {
        AsSelect {
            columns: self.columns.clone(),
            target: PhantomData,
        }
    }
}
impl<T, Cols: Copy> Copy for AsSelect<T, Cols> {}

impl<T, Cols> AsSelect<T, Cols> {
    #[doc(hidden)]
    pub fn new(columns: Cols) -> Self {
        AsSelect {
            columns,
            target: PhantomData,
        }
    }
}

impl<T, Cols, From, Idx> crate::query::select_clause::SelectionOf<From, Idx> for AsSelect<T, Cols>
where
    Cols: Selection<From, Idx>,
{
    type SqlType = Cols::SqlType;
}

impl<DB: Backend, T, Cols: QueryFragment<DB>> QueryFragment<DB> for AsSelect<T, Cols> {
    const FRAG: Part = Cols::FRAG;
    fn collect_binds<'a>(&'a self, out: &mut Vec<Value<'a>>) {
        self.columns.collect_binds(out);
    }
}
