//! `RETURNING`: the written rows, loaded like a query's.

use core::marker::PhantomData;

use crate::backend::Backend;
use crate::query::Selection;
use crate::query_fragment::Binds;
use crate::query_fragment::QueryFragment;
use crate::sql_text::Part;

/// No RETURNING clause: the statement returns the number of rows it
/// changed.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoReturning;

impl<DB: Backend> QueryFragment<DB> for NoReturning {
    const FRAG: Part = Part::Str("");
    fn collect_binds<'a>(&'a self, _out: &mut Binds<'a>) {}
}

/// `RETURNING selection`; `I` is where the selection's columns were found
/// in the written table (inferred), which gives the rows' SQL type.
#[derive(Debug, Clone, Copy)]
pub struct Returning<S, I> {
    selection: S,
    index: PhantomData<I>,
}

impl<S, I> Returning<S, I> {
    pub(crate) fn new(selection: S) -> Self {
        Returning {
            selection,
            index: PhantomData,
        }
    }
}

impl<DB: Backend, S: QueryFragment<DB>, I> QueryFragment<DB> for Returning<S, I> {
    const FRAG: Part = Part::Seq(&[Part::Str(" RETURNING "), S::FRAG]);
    fn collect_binds<'a>(&'a self, out: &mut Binds<'a>) {
        self.selection.collect_binds(out);
    }
}

/// What `returning` takes: columns of the written table `T`, expressions
/// of them, a tuple, or `Struct::as_select()`.
///
/// This is what makes `insert_into(users::table).values(..).returning(posts::id)`
/// fail to compile.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be returned by a statement that writes `{T}`",
    label = "RETURNING lists only columns of `{T}`"
)]
pub trait Returnable<T, I> {
    /// The SQL type of a returned row.
    type SqlType;
}

#[diagnostic::do_not_recommend]
impl<T, I, S: Selection<T, I>> Returnable<T, I> for S {
    type SqlType = S::SqlType;
}
