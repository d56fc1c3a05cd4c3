//! Bound parameters: Rust values in a query.

use core::marker::PhantomData;

use crate::backend::Backend;
use crate::expression::{Expression, ValidIn};
use crate::query_fragment::Binds;
use crate::query_fragment::QueryFragment;
use crate::sql_text::Part;
use crate::sql_types::{NotNull, SqlType};
use quarry_runtime::Value;

/// A Rust value that can be handed to the database as a bind value.
#[diagnostic::on_unimplemented(message = "`{Self}` cannot be sent to the database as a bind value")]
pub trait ToValue {
    /// The value, borrowed from `self`.
    fn to_value(&self) -> Value<'_>;
}

/// A Rust value used as a SQL expression of type `ST`. It is always sent as
/// a bind parameter, never written into the SQL text.
#[derive(Debug, Clone, Copy)]
pub struct Bound<ST, T> {
    value: T,
    sql_type: PhantomData<ST>,
}

impl<ST, T> Bound<ST, T> {
    /// Wraps `value`.
    pub fn new(value: T) -> Self {
        Bound {
            value,
            sql_type: PhantomData,
        }
    }
}

impl<ST: SqlType, T> Expression for Bound<ST, T> {
    type SqlType = ST;
}

impl<From, ST, T> ValidIn<From, ()> for Bound<ST, T> {
    type Nullability = NotNull;
}

impl<DB: Backend, ST: SqlType, T: ToValue> QueryFragment<DB> for Bound<ST, T> {
    const FRAG: Part = Part::Param(ST::PARAM);
    fn collect_binds<'a>(&'a self, out: &mut Binds<'a>) {
        out.push(self.value.to_value());
    }
}

crate::__impl_arithmetic_ops!([ST, T,] Bound<ST, T>);
