//! `LIMIT` and `OFFSET`. Both counts are bind values.
//!
//! A negative count is refused before the statement runs, the same on
//! every backend: binding it is an [`Error::Bind`](crate::Error::Bind)
//! whose message names the clause (`LIMIT must not be negative`), never the
//! value. Left to the databases, SQLite reads a negative LIMIT or OFFSET as
//! none, MariaDB a negative LIMIT as none and a negative OFFSET as past
//! the end, and PostgreSQL refuses both.

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

/// The bind value of a `clause` (`"LIMIT"` or `"OFFSET"`) count: the count,
/// or, when it is negative, a value whose binding fails with an error that
/// names the clause.
pub(crate) fn count_value(clause: &'static str, count: i64) -> Value<'static> {
    if count < 0 {
        Value::Unbindable(format!("{clause} must not be negative"))
    } else {
        Value::BigInt(count)
    }
}

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
        out.push(count_value("LIMIT", self.0.0));
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
        out.push(count_value("LIMIT", self.0.0));
        out.push(count_value("OFFSET", self.1.0));
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
        out.push(count_value("OFFSET", self.1.0));
    }
}
