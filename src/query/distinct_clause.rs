//! `SELECT DISTINCT`.

use crate::backend::Backend;
use crate::query_fragment::Binds;
use crate::query_fragment::QueryFragment;
use crate::sql_text::Part;

/// A plain `SELECT`.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoDistinct;
/// `SELECT DISTINCT`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Distinct;

impl<DB: Backend> QueryFragment<DB> for NoDistinct {
    const FRAG: Part = Part::Str("");
    fn collect_binds<'a>(&'a self, _out: &mut Binds<'a>) {}
}

impl<DB: Backend> QueryFragment<DB> for Distinct {
    const FRAG: Part = Part::Str("DISTINCT ");
    fn collect_binds<'a>(&'a self, _out: &mut Binds<'a>) {}
}
