//! `Struct::as_select()`: the columns a `#[derive(Selectable)]` struct
//! reads, by field name.

use core::marker::PhantomData;

use crate::backend::Backend;
use crate::query::select_clause::{OtherSelection, SelectKind, Selection, SelectionBy};
use crate::query_fragment::Binds;
use crate::query_fragment::QueryFragment;
use crate::query_source::Locate;
use crate::sql_text::Part;
use crate::sql_types::Nullability;

/// The selection of struct `T`'s columns `Cols` of table `Tab`; loads as
/// `T`, or as `Option<T>` on the optional side of an outer join.
pub struct AsSelect<T, Cols, Tab> {
    columns: Cols,
    target: PhantomData<fn() -> (T, Tab)>,
}

impl<T, Cols: Clone, Tab> Clone for AsSelect<T, Cols, Tab> {
    fn clone(&self) -> Self {
        AsSelect {
            columns: self.columns.clone(),
            target: PhantomData,
        }
    }
}
impl<T, Cols: Copy, Tab> Copy for AsSelect<T, Cols, Tab> {}

impl<T, Cols, Tab> AsSelect<T, Cols, Tab> {
    #[doc(hidden)]
    pub fn new(columns: Cols) -> Self {
        AsSelect {
            columns,
            target: PhantomData,
        }
    }
}

/// `I` checks the columns against the FROM clause, `TI` finds the table
/// (and whether an outer join makes it optional), `CI` types the columns in
/// the table itself, so the struct loads from non-null columns.
impl<T, Cols, Tab> SelectKind for AsSelect<T, Cols, Tab> {
    type Kind = OtherSelection;
}

impl<T, Cols, Tab, From, I, TI, CI> SelectionBy<OtherSelection, From, (I, TI, CI)>
    for AsSelect<T, Cols, Tab>
where
    Cols: Selection<From, I> + Selection<Tab, CI>,
    From: Locate<Tab, TI, Cols>,
{
    type SqlType =
        <From::Nullability as Nullability>::ApplyRow<<Cols as Selection<Tab, CI>>::SqlType>;
}

impl<M, I, T, Cols, Tab> crate::expression::grouping::Grouping<M, (I,)> for AsSelect<T, Cols, Tab>
where
    Cols: crate::expression::grouping::Grouping<M, I>,
{
    type Kind = Cols::Kind;
}

impl<DB: Backend, T, Cols: QueryFragment<DB>, Tab> QueryFragment<DB> for AsSelect<T, Cols, Tab> {
    const FRAG: Part = Cols::FRAG;
    fn collect_binds<'a>(&'a self, out: &mut Binds<'a>) {
        self.columns.collect_binds(out);
    }
}
