//! `LIMIT` and `OFFSET`. Both counts are bind values.

use crate::query_fragment::Binds;
use crate::sql_text::Part;
use quarry_runtime::{ParamType, Value};

/// No LIMIT clause.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoLimit;
/// `LIMIT n`.
#[derive(Debug, Clone, Copy)]
pub struct Limit(pub(crate) i64);
/// No OFFSET clause.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoOffset;
/// `OFFSET n`.
#[derive(Debug, Clone, Copy)]
pub struct Offset(pub(crate) i64);

/// The LIMIT and OFFSET clauses together: SQLite needs a LIMIT before an
/// OFFSET, where `LIMIT -1` means none.
#[diagnostic::on_unimplemented(message = "`{Self}` is not a LIMIT/OFFSET pair")]
pub trait LimitOffset {
    /// The clauses' SQL.
    const FRAG: Part;
    /// Pushes the counts.
    fn collect_binds(&self, out: &mut Binds<'_>);
}

impl LimitOffset for (NoLimit, NoOffset) {
    const FRAG: Part = Part::Str("");
    fn collect_binds(&self, _out: &mut Binds<'_>) {}
}

impl LimitOffset for (Limit, NoOffset) {
    const FRAG: Part = Part::Seq(&[Part::Str(" LIMIT "), Part::Param(ParamType::BigInt)]);
    fn collect_binds(&self, out: &mut Binds<'_>) {
        out.push(Value::BigInt(self.0.0));
    }
}

impl LimitOffset for (Limit, Offset) {
    const FRAG: Part = Part::Seq(&[
        Part::Str(" LIMIT "),
        Part::Param(ParamType::BigInt),
        Part::Str(" OFFSET "),
        Part::Param(ParamType::BigInt),
    ]);
    fn collect_binds(&self, out: &mut Binds<'_>) {
        out.push(Value::BigInt(self.0.0));
        out.push(Value::BigInt(self.1.0));
    }
}

impl LimitOffset for (NoLimit, Offset) {
    const FRAG: Part = Part::Seq(&[
        Part::ByDialect(&[
            Part::Str(" LIMIT -1 OFFSET "),
            Part::Str(" OFFSET "),
            Part::Str(" LIMIT 18446744073709551615 OFFSET "),
        ]),
        Part::Param(ParamType::BigInt),
    ]);
    fn collect_binds(&self, out: &mut Binds<'_>) {
        out.push(Value::BigInt(self.1.0));
    }
}
