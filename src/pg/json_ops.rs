//! JSON operators: `->` and `->>` on both backends (SQLite has them
//! since 3.38, as shorthands of `json_extract`), `@>` and `?` on
//! PostgreSQL only.

use core::marker::PhantomData;

use crate::backend::{Backend, Pg};
use crate::expression::{AsExpression, Expression, ValidIn, operand, precedence};
use crate::query_fragment::Binds;
use crate::query_fragment::QueryFragment;
use crate::sql_text::Part;
use crate::sql_types::{Bool, Json, Nullability, Nullable, SqlType, Text};
use quarry_runtime::Value;

/// Backends that have PostgreSQL's JSON operators `@>` and `?`.
///
/// This is what makes
/// `prefs::table.filter(prefs::settings.has_key("theme")).load(&mut sqlite)`
/// fail to compile, at `has_key`.
#[diagnostic::on_unimplemented(
    message = "the JSON operators `@>` and `?` exist only on PostgreSQL, and this query runs on `{Self}`",
    label = "PostgreSQL only",
    note = "on SQLite, compare `json_field_text(..)` with a value instead"
)]
pub trait SupportsJsonOperators: Backend {}
#[diagnostic::do_not_recommend]
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
}

macro_rules! pg_json_operators {
    ($($(#[$doc:meta])* $name:ident = $sql:literal;)*) => {$(
        $(#[$doc])*
        /// `DB` is the backend the query runs on, which the method checked.
        #[derive(Debug, Clone, Copy)]
        pub struct $name<DB>(PhantomData<fn() -> DB>);
        impl<DB> JsonOperator for $name<DB> {
            const SQL: &'static str = $sql;
            type Output = Bool;
            type Backends = Only<DB>;
        }
    )*};
}

pg_json_operators! {
    /// `@>`: whether the left document contains the right one (`jsonb`).
    Contains = " @> ";
    /// `?`: whether the object has the key (`jsonb`).
    HasKey = " ? ";
}

/// Marks an operator whose method checked the backend `DB`.
#[derive(Debug, Clone, Copy)]
pub struct Only<DB>(PhantomData<fn() -> DB>);

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
impl<DB: Backend> HasJsonOperator<Only<DB>> for DB {}

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
    fn collect_binds<'a>(&'a self, out: &mut Binds<'a>) {
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
    fn json_contains<O, DB>(self, other: O) -> JsonOp<Self, O::Expr, Contains<DB>>
    where
        O: AsExpression<Json>,
        DB: SupportsJsonOperators,
    {
        JsonOp {
            left: self,
            right: other.as_expression(),
            op: PhantomData,
        }
    }
    /// `self ? key` (PostgreSQL `jsonb`): whether the object has `key`.
    fn has_key<K, DB>(self, key: K) -> JsonOp<Self, K::Expr, HasKey<DB>>
    where
        K: AsExpression<Text>,
        DB: SupportsJsonOperators,
    {
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

/// A path into a JSON document: object keys and array indices, from the
/// top. `["a", "b"].into()` is the path of keys `a`, then `b`.
///
/// PostgreSQL receives it as a `text[]` (`#>`, `#>>`), SQLite as a JSON
/// path (`$."a"[0]`). A key with a `"` in it has no SQLite path: binding
/// it there is an [`Error::Bind`](crate::Error::Bind).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct JsonPath {
    steps: Vec<PathStep>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum PathStep {
    Key(String),
    Index(u32),
}

impl JsonPath {
    /// The empty path: the whole document.
    pub fn new() -> JsonPath {
        JsonPath::default()
    }

    /// The path, then an object's member `key`.
    pub fn key(mut self, key: impl Into<String>) -> JsonPath {
        self.steps.push(PathStep::Key(key.into()));
        self
    }

    /// The path, then an array's element `index` (from 0).
    pub fn index(mut self, index: u32) -> JsonPath {
        self.steps.push(PathStep::Index(index));
        self
    }

    /// PostgreSQL's form: one text element per step.
    fn as_text_array(&self) -> Value<'_> {
        Value::List(
            self.steps
                .iter()
                .map(|step| match step {
                    PathStep::Key(key) => Value::Text(key),
                    PathStep::Index(i) => Value::OwnedText(i.to_string()),
                })
                .collect(),
        )
    }

    /// SQLite's form: `$."key"[0]`.
    fn as_sqlite_path(&self) -> Value<'_> {
        let mut path = String::from("$");
        for step in &self.steps {
            match step {
                PathStep::Key(key) if key.contains('"') => {
                    return Value::Unbindable(
                        "a JSON path key that contains `\"` has no SQLite path".to_owned(),
                    );
                }
                PathStep::Key(key) => {
                    path.push_str(".\"");
                    path.push_str(key);
                    path.push('"');
                }
                PathStep::Index(i) => {
                    path.push('[');
                    path.push_str(&i.to_string());
                    path.push(']');
                }
            }
        }
        Value::OwnedText(path)
    }
}

impl<S: Into<String>, const N: usize> core::convert::From<[S; N]> for JsonPath {
    fn from(keys: [S; N]) -> JsonPath {
        keys.into_iter().fold(JsonPath::new(), JsonPath::key)
    }
}

/// How a backend takes a [`JsonPath`] as a bind value: the one method a
/// dialect implements for [`JsonPathOp`].
#[diagnostic::on_unimplemented(message = "`{Self}` has no JSON path operators")]
pub trait JsonPathDialect: Backend {
    /// The bind value for `path`.
    #[doc(hidden)]
    fn path_value(path: &JsonPath) -> Value<'_>;
}
impl JsonPathDialect for crate::backend::Sqlite {
    fn path_value(path: &JsonPath) -> Value<'_> {
        path.as_sqlite_path()
    }
}
impl JsonPathDialect for Pg {
    fn path_value(path: &JsonPath) -> Value<'_> {
        path.as_text_array()
    }
}

/// What a path expression returns: [`Get`] (JSON) or [`GetText`] (text).
pub trait JsonPathKind {
    /// The result's SQL type.
    type Output: SqlType;
    /// The SQL around the document and the path, per dialect.
    const BEFORE: Part;
    /// Between the document and the path.
    const BETWEEN: Part;
    /// After the path.
    const AFTER: Part;
}

impl JsonPathKind for Get {
    type Output = Nullable<Json>;
    const BEFORE: Part = Part::Str("");
    const BETWEEN: Part =
        Part::ByDialect(&[Part::Str(" -> "), Part::Str(" #> "), Part::Str(" #> ")]);
    const AFTER: Part = Part::Str("");
}

/// SQLite's `json_extract` gives numbers as numbers and booleans as 1 and
/// 0; the walk from `json_tree` gives them as PostgreSQL's `#>>` does
/// (`80`, `true`), so that comparing with text finds the same rows.
impl JsonPathKind for GetText {
    type Output = Nullable<Text>;
    const BEFORE: Part = Part::ByDialect(&[
        Part::Str(
            "(SELECT CASE \"type\" WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' \
             ELSE CAST(\"value\" AS TEXT) END FROM json_tree(",
        ),
        Part::Str(""),
        Part::Str(""),
    ]);
    const BETWEEN: Part =
        Part::ByDialect(&[Part::Str(", "), Part::Str(" #>> "), Part::Str(" #>> ")]);
    const AFTER: Part = Part::ByDialect(&[
        Part::Str(") WHERE \"parent\" IS NULL)"),
        Part::Str(""),
        Part::Str(""),
    ]);
}

/// `document #> path` (`#>>` for text) on PostgreSQL; on SQLite
/// `document -> '$."a"'` and a `json_tree` walk for text.
#[derive(Debug, Clone)]
pub struct JsonPathOp<L, K> {
    document: L,
    path: JsonPath,
    kind: PhantomData<K>,
}

impl<L: Expression, K: JsonPathKind> Expression for JsonPathOp<L, K> {
    type SqlType = K::Output;
    const PRECEDENCE: u8 = precedence::COMPARISON;
}

impl<From, L: ValidIn<From, I>, I, K> ValidIn<From, I> for JsonPathOp<L, K> {
    type Nullability = crate::sql_types::IsNull;
}

crate::expression::grouping::grouping_from_operands!([L, K,] JsonPathOp<L, K>; L IL);

impl<DB, L, K> QueryFragment<DB> for JsonPathOp<L, K>
where
    DB: JsonPathDialect,
    K: JsonPathKind,
    L: QueryFragment<DB> + Expression,
{
    const FRAG: Part = Part::Seq(&[
        K::BEFORE,
        operand!(L, precedence::COMPARISON + 1),
        K::BETWEEN,
        // MariaDB's arms are PostgreSQL's: never rendered, since MariaDB
        // has no `JsonPathDialect` (a JSON path there is a compile error).
        Part::ByDialect(&[
            Part::Param(quarry_runtime::ParamType::Text),
            Part::Param(quarry_runtime::ParamType::Array(
                &quarry_runtime::ParamType::Text,
            )),
            Part::Param(quarry_runtime::ParamType::Array(
                &quarry_runtime::ParamType::Text,
            )),
        ]),
        K::AFTER,
    ]);
    fn collect_binds<'a>(&'a self, out: &mut crate::query_fragment::Binds<'a>) {
        self.document.collect_binds(out);
        out.push(DB::path_value(&self.path));
    }
}

/// JSON path methods of JSON expressions, on both backends: PostgreSQL's
/// `#>` and `#>>`, SQLite's `->` with a JSON path and a `json_tree` walk.
///
/// ```
/// use quarry::pg::{JsonPath, JsonPathMethods};
/// use quarry::prelude::*;
///
/// quarry::table! { prefs (id) { id -> Integer, settings -> Json, } }
///
/// let q = prefs::table
///     .select(prefs::settings.json_path(["colors", "fg"]))
///     .filter(prefs::settings.json_path_text(JsonPath::new().key("sizes").index(0)).eq("12"));
/// assert_eq!(
///     quarry::debug_query::<quarry::Pg, _>(q).sql(),
///     r#"SELECT "prefs"."settings" #> $1 FROM "prefs" WHERE ("prefs"."settings" #>> $2) = $3"#
/// );
/// ```
pub trait JsonPathMethods: Expression + Sized
where
    <Self::SqlType as SqlType>::NotNull: IsJson,
{
    /// `self #> path`: the value at `path`, as JSON; `NULL` when absent.
    #[doc(alias = "#>")]
    fn json_path(self, path: impl Into<JsonPath>) -> JsonPathOp<Self, Get> {
        JsonPathOp {
            document: self,
            path: path.into(),
            kind: PhantomData,
        }
    }

    /// `self #>> path`: the value at `path`, as text (a string without
    /// its quotes, `80`, `true`, an object's JSON); `NULL` when absent or
    /// JSON `null`.
    #[doc(alias = "#>>")]
    #[doc(alias = "json_extract")]
    fn json_path_text(self, path: impl Into<JsonPath>) -> JsonPathOp<Self, GetText> {
        JsonPathOp {
            document: self,
            path: path.into(),
            kind: PhantomData,
        }
    }
}

impl<E: Expression> JsonPathMethods for E where <E::SqlType as SqlType>::NotNull: IsJson {}

// Arithmetic on a JSON operator's result is an error naming it.
crate::__impl_arithmetic_ops!([L, R, Op,] JsonOp<L, R, Op>);
crate::__impl_arithmetic_ops!([L, K,] JsonPathOp<L, K>);
