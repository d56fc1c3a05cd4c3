//! `CASE WHEN cond THEN value ... [ELSE default] END`.
//!
//! ```
//! # quarry::table! { posts (id) { id -> Integer, views -> Integer, } }
//! use quarry::expression::case_when;
//! use quarry::prelude::*;
//! const SQL: &str = quarry::const_sql!(
//!     Sqlite,
//!     posts::table.select(case_when(posts::views.gt(100), posts::views).otherwise(0))
//! );
//! assert_eq!(
//!     SQL,
//!     r#"SELECT CASE WHEN "posts"."views" > ? THEN "posts"."views" ELSE ? END FROM "posts""#
//! );
//! ```
//!
//! Every branch has the SQL type of the first (nullability aside). The
//! result is nullable when a branch value is, and always without
//! `otherwise`: no branch taken gives `NULL`.

use core::marker::PhantomData;

use crate::backend::Backend;
use crate::expression::{AsExpression, Expression, ValidIn};
use crate::query_fragment::Binds;
use crate::query_fragment::QueryFragment;
use crate::sql_text::Part;
use crate::sql_types::{BoolLike, IsNull, NotNull, Nullability, SqlType};

/// A `CASE` expression of SQL type `ST` (without `Nullable`): branches `W`,
/// and `E`, [`NoElse`] or [`Else`].
#[derive(Debug, Clone, Copy)]
pub struct Case<ST, W, E> {
    whens: W,
    otherwise: E,
    sql_type: PhantomData<ST>,
}

/// The `WHEN` branches before the first: none.
#[derive(Debug, Clone, Copy)]
pub struct NoBranch;

/// `prev WHEN cond THEN value`.
#[derive(Debug, Clone, Copy)]
pub struct When<Prev, C, V> {
    prev: Prev,
    cond: C,
    value: V,
}

/// No `ELSE`: the result is `NULL` when no branch is taken.
#[derive(Debug, Clone, Copy)]
pub struct NoElse;

/// `ELSE value`.
#[derive(Debug, Clone, Copy)]
pub struct Else<V>(V);

/// `CASE WHEN cond THEN value`; add branches with [`Case::when`] and a
/// default with [`Case::otherwise`]. `value` is an expression; its SQL type
/// is the whole `CASE`'s. For a first value that is a Rust value, give its
/// type: `case_when(cond, Bound::<Text, _>::new("popular"))`.
#[doc(alias = "case")]
pub fn case_when<C, V>(
    cond: C,
    value: V,
) -> Case<<V::SqlType as SqlType>::NotNull, When<NoBranch, C, V>, NoElse>
where
    C: Expression,
    C::SqlType: BoolLike,
    V: Expression,
{
    Case {
        whens: When {
            prev: NoBranch,
            cond,
            value,
        },
        otherwise: NoElse,
        sql_type: PhantomData,
    }
}

impl<ST: SqlType, W> Case<ST, W, NoElse> {
    /// Adds `WHEN cond THEN value`.
    pub fn when<C, V>(self, cond: C, value: V) -> Case<ST, When<W, C, V::Expr>, NoElse>
    where
        C: Expression,
        C::SqlType: BoolLike,
        V: AsExpression<ST>,
    {
        Case {
            whens: When {
                prev: self.whens,
                cond,
                value: value.as_expression(),
            },
            otherwise: NoElse,
            sql_type: PhantomData,
        }
    }

    /// `ELSE value`: the result when no condition holds.
    #[doc(alias = "else")]
    pub fn otherwise<V: AsExpression<ST>>(self, value: V) -> Case<ST, W, Else<V::Expr>> {
        Case {
            whens: self.whens,
            otherwise: Else(value.as_expression()),
            sql_type: PhantomData,
        }
    }
}

/// Branch values, and whether one of them may be `NULL`.
#[diagnostic::on_unimplemented(message = "`{Self}` cannot be a branch value of this CASE")]
pub trait CaseValues {
    /// [`IsNull`] when a value may be `NULL`.
    type Nullability: Nullability;
}
impl CaseValues for NoBranch {
    type Nullability = NotNull;
}
impl<P: CaseValues, C, V: Expression> CaseValues for When<P, C, V> {
    type Nullability = <P::Nullability as Nullability>::Or<<V::SqlType as SqlType>::Nullability>;
}
impl CaseValues for NoElse {
    type Nullability = IsNull;
}
impl<V: Expression> CaseValues for Else<V> {
    type Nullability = <V::SqlType as SqlType>::Nullability;
}

impl<ST, W, E> Expression for Case<ST, W, E>
where
    ST: SqlType,
    W: CaseValues,
    E: CaseValues,
{
    type SqlType = <<W::Nullability as Nullability>::Or<E::Nullability> as Nullability>::Apply<ST>;
}

impl<From> ValidIn<From, ()> for NoBranch {
    type Nullability = NotNull;
}
impl<From> ValidIn<From, ()> for NoElse {
    type Nullability = NotNull;
}
impl<From, V: ValidIn<From, I>, I> ValidIn<From, I> for Else<V> {
    type Nullability = V::Nullability;
}
/// Conditions are checked against the FROM clause; only values make the
/// result nullable.
impl<From, P, C, V, IP, IC, IV> ValidIn<From, (IP, IC, IV)> for When<P, C, V>
where
    P: ValidIn<From, IP>,
    C: ValidIn<From, IC>,
    V: ValidIn<From, IV>,
{
    type Nullability = <P::Nullability as Nullability>::Or<V::Nullability>;
}
impl<From, ST, W, E, IW, IE> ValidIn<From, (IW, IE)> for Case<ST, W, E>
where
    W: ValidIn<From, IW>,
    E: ValidIn<From, IE>,
{
    type Nullability = <W::Nullability as Nullability>::Or<E::Nullability>;
}

impl<M> crate::expression::grouping::Grouping<M, ()> for NoBranch {
    type Kind = crate::expression::grouping::Constant;
}
impl<M> crate::expression::grouping::Grouping<M, ()> for NoElse {
    type Kind = crate::expression::grouping::Constant;
}
crate::expression::grouping::grouping_from_operands!([V,] Else<V>; V IV);
crate::expression::grouping::grouping_from_operands!([P, C, V,] When<P, C, V>; P IP, C IC, V IV);
crate::expression::grouping::grouping_from_operands!([ST, W, E,] Case<ST, W, E>; W IW, E IE);

impl<DB: Backend> QueryFragment<DB> for NoBranch {
    const FRAG: Part = Part::Str("");
    fn collect_binds<'a>(&'a self, _out: &mut Binds<'a>) {}
}
impl<DB: Backend> QueryFragment<DB> for NoElse {
    const FRAG: Part = Part::Str("");
    fn collect_binds<'a>(&'a self, _out: &mut Binds<'a>) {}
}
impl<DB: Backend, V: QueryFragment<DB>> QueryFragment<DB> for Else<V> {
    const FRAG: Part = Part::Seq(&[Part::Str(" ELSE "), V::FRAG]);
    fn collect_binds<'a>(&'a self, out: &mut Binds<'a>) {
        self.0.collect_binds(out);
    }
}
impl<DB, P, C, V> QueryFragment<DB> for When<P, C, V>
where
    DB: Backend,
    P: QueryFragment<DB>,
    C: QueryFragment<DB>,
    V: QueryFragment<DB>,
{
    const FRAG: Part = Part::Seq(&[
        P::FRAG,
        Part::Str(" WHEN "),
        C::FRAG,
        Part::Str(" THEN "),
        V::FRAG,
    ]);
    fn collect_binds<'a>(&'a self, out: &mut Binds<'a>) {
        self.prev.collect_binds(out);
        self.cond.collect_binds(out);
        self.value.collect_binds(out);
    }
}
impl<DB, ST, W, E> QueryFragment<DB> for Case<ST, W, E>
where
    DB: Backend,
    W: QueryFragment<DB>,
    E: QueryFragment<DB>,
{
    const FRAG: Part = Part::Seq(&[Part::Str("CASE"), W::FRAG, E::FRAG, Part::Str(" END")]);
    fn collect_binds<'a>(&'a self, out: &mut Binds<'a>) {
        self.whens.collect_binds(out);
        self.otherwise.collect_binds(out);
    }
}

crate::__impl_arithmetic_ops!([ST, W, E,] Case<ST, W, E>);
