//! `key IN (keys)`: the rows whose key columns hold one of many keys, in
//! one SQL text for any number of keys.
//!
//! A one-column key renders like `eq_any`: `col IN (SELECT value FROM
//! json_each(?))` on SQLite, `col = ANY($1)` on PostgreSQL. A composite
//! key sends one list per column and compares the row value:
//! `(a, b) IN (SELECT k0.value, k1.value FROM json_each(?) AS k0 JOIN
//! json_each(?) AS k1 ON k1.key = k0.key)` on SQLite, `(a, b) IN (SELECT *
//! FROM unnest($1, $2))` on PostgreSQL, and the same with one `JSON_TABLE`
//! per column, joined on `FOR ORDINALITY`, on MariaDB/MySQL.

use core::marker::PhantomData;

use crate::backend::Backend;
use crate::expression::{Expression, ToValue, ValidIn, precedence};
use crate::query_fragment::Binds;
use crate::query_fragment::QueryFragment;
use crate::sql_text::Part;
use crate::sql_types::{Bool, SqlType};
use quarry_runtime::{ParamType, Value};

/// The rows whose columns `Cols` (a tuple) hold one of `keys` (tuples of
/// the same arity). Built by `belonging_to` and the eager loader.
#[derive(Debug, Clone)]
pub struct KeyIn<Cols, K> {
    pub(crate) keys: Vec<K>,
    pub(crate) columns: PhantomData<Cols>,
}

impl<Cols, K> KeyIn<Cols, K> {
    pub(crate) fn new(keys: Vec<K>) -> Self {
        KeyIn {
            keys,
            columns: PhantomData,
        }
    }

    /// The keys, in the order they are bound.
    pub fn keys(&self) -> &[K] {
        &self.keys
    }
}

impl<Cols, K> Expression for KeyIn<Cols, K> {
    type SqlType = Bool;
    const PRECEDENCE: u8 = precedence::COMPARISON;
}

// The key columns are the child table's own, and the statement is built
// with that table in FROM; a later `filter` only checks its own predicate.
impl<From, Cols, K> ValidIn<From, ()> for KeyIn<Cols, K> {
    type Nullability = crate::sql_types::NotNull;
}

impl<M, Cols, K> crate::expression::grouping::Grouping<M, ()> for KeyIn<Cols, K> {
    type Kind = crate::expression::grouping::RowValue;
}

/// `JSON_TABLE(?, '$[*]' COLUMNS (i FOR ORDINALITY, v TYPE PATH '$')) AS
/// name`: one key column's list on MariaDB/MySQL.
macro_rules! json_keys {
    ($c:ty, $name:literal) => {
        Part::Seq(&[
            Part::Str("JSON_TABLE("),
            Part::Param(ParamType::Text),
            Part::Str(", '$[*]' COLUMNS (i FOR ORDINALITY, v "),
            Part::Str(crate::expression::in_list::json_table_type(
                <<<$c as Expression>::SqlType as SqlType>::NotNull as SqlType>::PARAM,
            )),
            Part::Str(" PATH '$')) AS "),
            Part::Str($name),
        ])
    };
}

/// The array type PostgreSQL gets for the keys of column `C`.
const fn array_of<C: Expression>() -> ParamType {
    ParamType::Array(&<<C::SqlType as SqlType>::NotNull as SqlType>::PARAM)
}

impl<DB, A, KA> QueryFragment<DB> for KeyIn<(A,), (KA,)>
where
    DB: Backend,
    A: QueryFragment<DB> + Expression,
    KA: ToValue,
{
    const FRAG: Part = Part::Seq(&[
        A::FRAG,
        Part::ByDialect(&[
            Part::Seq(&[
                Part::Str(" IN (SELECT value FROM json_each("),
                Part::Param(ParamType::Text),
                Part::Str("))"),
            ]),
            Part::Seq(&[
                Part::Str(" = ANY("),
                Part::Param(array_of::<A>()),
                Part::Str(")"),
            ]),
            crate::expression::in_list::json_table_list!(
                " IN ",
                <<A::SqlType as SqlType>::NotNull as SqlType>::PARAM
            ),
        ]),
    ]);
    fn collect_binds<'a>(&'a self, out: &mut Binds<'a>) {
        out.push(Value::List(
            self.keys.iter().map(|k| k.0.to_value()).collect(),
        ));
    }
}

impl<DB, A, B, KA, KB> QueryFragment<DB> for KeyIn<(A, B), (KA, KB)>
where
    DB: Backend,
    A: QueryFragment<DB> + Expression,
    B: QueryFragment<DB> + Expression,
    KA: ToValue,
    KB: ToValue,
{
    const FRAG: Part = Part::Seq(&[
        Part::Paren(&Part::List(&[A::FRAG, B::FRAG])),
        Part::ByDialect(&[
            Part::Seq(&[
                Part::Str(" IN (SELECT k0.value, k1.value FROM json_each("),
                Part::Param(ParamType::Text),
                Part::Str(") AS k0 JOIN json_each("),
                Part::Param(ParamType::Text),
                Part::Str(") AS k1 ON k1.key = k0.key)"),
            ]),
            Part::Seq(&[
                Part::Str(" IN (SELECT * FROM unnest("),
                Part::Param(array_of::<A>()),
                Part::Str(", "),
                Part::Param(array_of::<B>()),
                Part::Str("))"),
            ]),
            Part::Seq(&[
                Part::Str(" IN (SELECT k0.v, k1.v FROM "),
                json_keys!(A, "k0"),
                Part::Str(" JOIN "),
                json_keys!(B, "k1"),
                Part::Str(" ON k1.i = k0.i)"),
            ]),
        ]),
    ]);
    fn collect_binds<'a>(&'a self, out: &mut Binds<'a>) {
        out.push(Value::List(
            self.keys.iter().map(|k| k.0.to_value()).collect(),
        ));
        out.push(Value::List(
            self.keys.iter().map(|k| k.1.to_value()).collect(),
        ));
    }
}

impl<DB, A, B, C, KA, KB, KC> QueryFragment<DB> for KeyIn<(A, B, C), (KA, KB, KC)>
where
    DB: Backend,
    A: QueryFragment<DB> + Expression,
    B: QueryFragment<DB> + Expression,
    C: QueryFragment<DB> + Expression,
    KA: ToValue,
    KB: ToValue,
    KC: ToValue,
{
    const FRAG: Part = Part::Seq(&[
        Part::Paren(&Part::List(&[A::FRAG, B::FRAG, C::FRAG])),
        Part::ByDialect(&[
            Part::Seq(&[
                Part::Str(" IN (SELECT k0.value, k1.value, k2.value FROM json_each("),
                Part::Param(ParamType::Text),
                Part::Str(") AS k0 JOIN json_each("),
                Part::Param(ParamType::Text),
                Part::Str(") AS k1 ON k1.key = k0.key JOIN json_each("),
                Part::Param(ParamType::Text),
                Part::Str(") AS k2 ON k2.key = k0.key)"),
            ]),
            Part::Seq(&[
                Part::Str(" IN (SELECT * FROM unnest("),
                Part::Param(array_of::<A>()),
                Part::Str(", "),
                Part::Param(array_of::<B>()),
                Part::Str(", "),
                Part::Param(array_of::<C>()),
                Part::Str("))"),
            ]),
            Part::Seq(&[
                Part::Str(" IN (SELECT k0.v, k1.v, k2.v FROM "),
                json_keys!(A, "k0"),
                Part::Str(" JOIN "),
                json_keys!(B, "k1"),
                Part::Str(" ON k1.i = k0.i JOIN "),
                json_keys!(C, "k2"),
                Part::Str(" ON k2.i = k0.i)"),
            ]),
        ]),
    ]);
    fn collect_binds<'a>(&'a self, out: &mut Binds<'a>) {
        out.push(Value::List(
            self.keys.iter().map(|k| k.0.to_value()).collect(),
        ));
        out.push(Value::List(
            self.keys.iter().map(|k| k.1.to_value()).collect(),
        ));
        out.push(Value::List(
            self.keys.iter().map(|k| k.2.to_value()).collect(),
        ));
    }
}
