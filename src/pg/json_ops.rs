//! JSON operators: `->` and `->>` on both backends (SQLite has them
//! since 3.38, as shorthands of `json_extract`), `@>` and `?` on
//! PostgreSQL only.

use core::marker::PhantomData;

use crate::backend::{Backend, Pg};
use crate::expression::{AsExpression, Expression, ValidIn, operand, precedence};
use crate::query_fragment::QueryFragment;
use crate::sql_text::Part;
use crate::sql_types::{Bool, Json, Nullability, Nullable, SqlType, Text};
use quarry_runtime::Value;

/// Backends that have PostgreSQL's JSON operators `@>` and `?`.
///
/// This is what makes
/// `prefs::table.filter(prefs::settings.has_key("theme")).load(&mut sqlite)`
/// fail to compile.
#[diagnostic::on_unimplemented(
    message = "this JSON operator exists only on PostgreSQL",
    label = "this query uses `@>` or `?` on JSON",
    note = "on SQLite, compare `json_field_text(..)` with a value instead"
)]
pub trait SupportsJsonOperators: Backend {}
impl SupportsJsonOperators for Pg {}

/// One JSON operator: its SQL and its result's type.
pub trait JsonOperator {
    /// The operator, with spaces.
    const SQL: &'static str;
    /// The result's SQL type when both sides are not null.
    type Output: SqlType;
    /// Whether only PostgreSQL has it.
    type Backends;
}

/// Marks operators both backends have.
#[derive(Debug, Clone, Copy)]
pub struct Everywhere;
/// Marks operators only PostgreSQL has.
#[derive(Debug, Clone, Copy)]
pub struct PgOnly;

macro_rules! json_operators {
    ($($(#[$doc:meta])* $name:ident = $sql:literal -> $out:ty, $where:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy)]
        pub struct $name;
        impl JsonOperator for $name {
            const SQL: &'static str = $sql;
            type Output = $out;
            type Backends = $where;
        }
    )*};
}

json_operators! {
    /// `->`: the member of an object by key, as JSON; `NULL` when absent.
    Get = " -> " -> Nullable<Json>, Everywhere;
    /// `->>`: the member of an object by key, as text; `NULL` when absent.
    GetText = " ->> " -> Nullable<Text>, Everywhere;
    /// `@>`: whether the left document contains the right one (`jsonb`).
    Contains = " @> " -> Bool, PgOnly;
    /// `?`: whether the object has the key (`jsonb`).
    HasKey = " ? " -> Bool, PgOnly;
}

/// Backends that have the operators of kind `K` ([`Everywhere`] or
/// [`PgOnly`]).
#[diagnostic::on_unimplemented(
    message = "this JSON operator exists only on PostgreSQL, not on {Self}",
    label = "this query uses `@>` or `?` on JSON",
    note = "on SQLite, compare `json_field_text(..)` with a value instead"
)]
pub trait HasJsonOperator<K> {}
impl<DB: SupportsJsonArrows> HasJsonOperator<Everywhere> for DB {}

/// Backends with `->` and `->>` on JSON: SQLite and PostgreSQL.
///
/// This is what makes `json_field` and `json_field_text` fail to compile
/// for MariaDB/MySQL, whose `->>` differs (a JSON `null` comes back as the
/// text `null`, where the others give SQL `NULL`).
#[diagnostic::on_unimplemented(
    message = "{Self} has no `->` or `->>` on JSON as quarry promises them",
    label = "this query uses `json_field` or `json_field_text`",
    note = "on MariaDB/MySQL, read the document and pick the field in Rust"
)]
pub trait SupportsJsonArrows: Backend {}
impl SupportsJsonArrows for crate::backend::Sqlite {}
impl SupportsJsonArrows for Pg {}
impl<DB: SupportsJsonOperators> HasJsonOperator<PgOnly> for DB {}

/// `left Op right`, for a JSON `left`.
#[derive(Debug, Clone, Copy)]
pub struct JsonOp<L, R, Op> {
    left: L,
    right: R,
    op: PhantomData<Op>,
}

type Either<L, R> = <<<L as Expression>::SqlType as SqlType>::Nullability as Nullability>::Or<
    <<R as Expression>::SqlType as SqlType>::Nullability,
>;

impl<L: Expression, R: Expression, Op: JsonOperator> Expression for JsonOp<L, R, Op>
where
    Op::Output: SqlType,
{
    type SqlType = <<<Op::Output as SqlType>::Nullability as Nullability>::Or<Either<L, R>> as Nullability>::Apply<<Op::Output as SqlType>::NotNull>;
    const PRECEDENCE: u8 = precedence::COMPARISON;
}

impl<From, L, R, IL, IR, Op> ValidIn<From, (IL, IR)> for JsonOp<L, R, Op>
where
    L: ValidIn<From, IL>,
    R: ValidIn<From, IR>,
{
    type Nullability = <L::Nullability as Nullability>::Or<R::Nullability>;
}

crate::expression::grouping::grouping_from_operands!(
    [L, R, Op,] JsonOp<L, R, Op>; L IL, R IR
);

impl<DB, L, R, Op> QueryFragment<DB> for JsonOp<L, R, Op>
where
    DB: HasJsonOperator<Op::Backends> + Backend,
    Op: JsonOperator,
    L: QueryFragment<DB> + Expression,
    R: QueryFragment<DB> + Expression,
{
    const FRAG: Part = Part::Seq(&[
        operand!(L, precedence::COMPARISON + 1),
        Part::Str(Op::SQL),
        operand!(R, precedence::COMPARISON + 1),
    ]);
    fn collect_binds<'a>(&'a self, out: &mut Vec<Value<'a>>) {
        self.left.collect_binds(out);
        self.right.collect_binds(out);
    }
}

/// Methods of JSON expressions. `json_field` and `json_field_text` run on
/// both backends; `json_contains` and `has_key` only on PostgreSQL
/// ([`SupportsJsonOperators`]), on `jsonb`.
///
/// ```
/// use quarry::prelude::*;
/// use quarry::pg::JsonExpressionMethods;
///
/// quarry::table! { prefs (id) { id -> Integer, settings -> Json, } }
///
/// let q = prefs::table
///     .filter(prefs::settings.json_field_text("theme").eq("dark"))
///     .select(prefs::id);
/// assert_eq!(
///     quarry::debug_query::<quarry::Sqlite, _>(q).sql(),
///     r#"SELECT "prefs"."id" FROM "prefs" WHERE ("prefs"."settings" ->> ?) = ?"#
/// );
/// ```
#[diagnostic::on_unimplemented(
    message = "JSON operators need a `Json` expression, and `{Self}` is not one"
)]
pub trait JsonExpressionMethods: Expression + Sized
where
    <Self::SqlType as SqlType>::NotNull: IsJson,
{
    /// `self -> key`: an object's member, as JSON.
    fn json_field<K: AsExpression<Text>>(self, key: K) -> JsonOp<Self, K::Expr, Get> {
        JsonOp {
            left: self,
            right: key.as_expression(),
            op: PhantomData,
        }
    }
    /// `self ->> key`: an object's member, as text.
    fn json_field_text<K: AsExpression<Text>>(self, key: K) -> JsonOp<Self, K::Expr, GetText> {
        JsonOp {
            left: self,
            right: key.as_expression(),
            op: PhantomData,
        }
    }
    /// `self @> other` (PostgreSQL `jsonb`): whether `other` is contained.
    fn json_contains<O: AsExpression<Json>>(self, other: O) -> JsonOp<Self, O::Expr, Contains> {
        JsonOp {
            left: self,
            right: other.as_expression(),
            op: PhantomData,
        }
    }
    /// `self ? key` (PostgreSQL `jsonb`): whether the object has `key`.
    fn has_key<K: AsExpression<Text>>(self, key: K) -> JsonOp<Self, K::Expr, HasKey> {
        JsonOp {
            left: self,
            right: key.as_expression(),
            op: PhantomData,
        }
    }
}

/// `Json`, the SQL type the JSON operators take.
#[diagnostic::on_unimplemented(message = "`{Self}` is not JSON")]
pub trait IsJson {}
impl IsJson for Json {}

impl<E: Expression> JsonExpressionMethods for E where <E::SqlType as SqlType>::NotNull: IsJson {}
