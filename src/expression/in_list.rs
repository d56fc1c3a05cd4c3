//! `expr IN (list)` with a list of any length and one SQL text.
//!
//! SQLite reads the list from one JSON bind value
//! (`IN (SELECT value FROM json_each(?))`), PostgreSQL from one array
//! (`= ANY($1)`), MariaDB/MySQL from one JSON array bind value through
//! `JSON_TABLE` (`IN (SELECT v FROM JSON_TABLE(?, '$[*]' COLUMNS (v BIGINT
//! PATH '$')) AS quarry_list)`), so every length shares one prepared
//! statement.

use core::marker::PhantomData;

use crate::backend::Backend;
use crate::expression::{Expression, ToValue, ValidIn, operand, precedence};
use crate::query_fragment::Binds;
use crate::query_fragment::QueryFragment;
use crate::sql_text::Part;
use crate::sql_types::{Bool, Nullability, SqlType};
use quarry_runtime::{ParamType, Value};

/// `expr IN (values)`, or `expr NOT IN (values)` when `NEGATED`.
#[derive(Debug, Clone)]
pub struct EqAny<E, T, const NEGATED: bool = false> {
    pub(crate) expr: E,
    pub(crate) values: Vec<T>,
    pub(crate) marker: PhantomData<T>,
}

impl<E: Expression, T, const NEGATED: bool> Expression for EqAny<E, T, NEGATED> {
    type SqlType = <<E::SqlType as SqlType>::Nullability as Nullability>::Apply<Bool>;
    const PRECEDENCE: u8 = precedence::COMPARISON;
}

impl<From, E: ValidIn<From, I>, I, T, const NEGATED: bool> ValidIn<From, I>
    for EqAny<E, T, NEGATED>
{
    type Nullability = E::Nullability;
}

impl<M, E, I, T, const NEGATED: bool> crate::expression::grouping::Grouping<M, (I,)>
    for EqAny<E, T, NEGATED>
where
    E: crate::expression::grouping::Grouping<M, I>,
{
    type Kind = E::Kind;
}

impl<DB, E, T, const NEGATED: bool> QueryFragment<DB> for EqAny<E, T, NEGATED>
where
    DB: Backend,
    E: QueryFragment<DB> + Expression,
    T: ToValue,
{
    const FRAG: Part = {
        Part::Seq(&[
            operand!(E, precedence::COMPARISON + 1),
            // SQLite reads the list from JSON text, PostgreSQL takes an
            // array of the operand's type.
            Part::ByDialect(&[
                Part::Seq(&[
                    Part::Str(if NEGATED {
                        " NOT IN (SELECT value FROM json_each("
                    } else {
                        " IN (SELECT value FROM json_each("
                    }),
                    Part::Param(ParamType::Text),
                    Part::Str("))"),
                ]),
                Part::Seq(&[
                    Part::Str(if NEGATED { " <> ALL(" } else { " = ANY(" }),
                    Part::Param(ParamType::Array(
                        &<<E::SqlType as SqlType>::NotNull as SqlType>::PARAM,
                    )),
                    Part::Str(")"),
                ]),
                json_table_list!(
                    if NEGATED { " NOT IN " } else { " IN " },
                    <<E::SqlType as SqlType>::NotNull as SqlType>::PARAM
                ),
            ]),
        ])
    };
    fn collect_binds<'a>(&'a self, out: &mut Binds<'a>) {
        self.expr.collect_binds(out);
        out.push(Value::List(
            self.values.iter().map(ToValue::to_value).collect(),
        ));
    }
}

// A Boolean: arithmetic on it is an error naming it.
crate::__impl_arithmetic_ops!([E, T, const NEGATED: bool,] EqAny<E, T, NEGATED>);

/// MariaDB/MySQL's `JSON_TABLE` column type for list elements of SQL type
/// `ty`: the type the JSON values are converted to before they are
/// compared.
pub(crate) const fn json_table_type(ty: ParamType) -> &'static str {
    match ty {
        ParamType::Bool | ParamType::SmallInt | ParamType::Int | ParamType::BigInt => "BIGINT",
        ParamType::Float => "FLOAT",
        ParamType::Double => "DOUBLE",
        ParamType::Numeric => "DECIMAL(65,30)",
        ParamType::Date => "DATE",
        ParamType::Time => "TIME(6)",
        ParamType::Timestamp | ParamType::Timestamptz => "DATETIME(6)",
        ParamType::Uuid => "CHAR(36)",
        _ => "LONGTEXT",
    }
}

/// `{op}(SELECT v FROM JSON_TABLE(?, '$[*]' COLUMNS (v TYPE PATH '$')) AS
/// quarry_list)`: a list of run-time length as one JSON bind value, on
/// MariaDB/MySQL. A macro, so that the parts are promoted to `'static` in
/// the constant that uses it.
macro_rules! json_table_list {
    ($op:expr, $ty:expr) => {
        $crate::sql_text::Part::Seq(&[
            $crate::sql_text::Part::Str($op),
            $crate::sql_text::Part::Str("(SELECT v FROM JSON_TABLE("),
            $crate::sql_text::Part::Param(::quarry_runtime::ParamType::Text),
            $crate::sql_text::Part::Str(", '$[*]' COLUMNS (v "),
            $crate::sql_text::Part::Str($crate::expression::in_list::json_table_type($ty)),
            $crate::sql_text::Part::Str(" PATH '$')) AS quarry_list)"),
        ])
    };
}
pub(crate) use json_table_list;
