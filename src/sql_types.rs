//! SQL types as Rust marker types.
//!
//! A column declared `title -> Text` has `SqlType = Text`; `Nullable<Text>`
//! marks a column that may hold `NULL`. Nullability is tracked through every
//! expression, so a query's row type says exactly where `Option` is needed.

use core::marker::PhantomData;

use quarry_runtime::ParamType;

/// A SQL type. Implemented by the marker types in this module.
#[diagnostic::on_unimplemented(message = "`{Self}` is not a SQL type")]
pub trait SqlType: 'static {
    /// [`NotNull`] or [`IsNull`].
    type Nullability: Nullability;
    /// The type without `Nullable`.
    type NotNull: SqlType<Nullability = NotNull>;
    /// The type as it is when it may be `NULL`.
    type Nullable: SqlType<Nullability = IsNull>;
    /// The name users read in messages and decode errors.
    const NAME: &'static str;
    /// The type a bind value of this SQL type is declared with when a
    /// statement is prepared. A type that leaves it
    /// [`Inferred`](ParamType::Inferred) lets PostgreSQL infer it from the
    /// placeholder's context.
    const PARAM: ParamType = ParamType::Inferred;
}

/// Whether a SQL type may hold `NULL`: [`NotNull`] or [`IsNull`].
#[diagnostic::on_unimplemented(message = "`{Self}` is not a nullability (`NotNull` or `IsNull`)")]
pub trait Nullability: 'static {
    /// `true` for [`IsNull`].
    const IS_NULL: bool;
    /// `NotNull` when both are `NotNull`, else `IsNull`.
    type Or<Other: Nullability>: Nullability;
    /// `T` itself for `NotNull`, `Nullable<T>` for `IsNull`.
    type Apply<T: SqlType>: SqlType;
    /// A whole row `R` itself for `NotNull`, [`NullableRow<R>`] for `IsNull`.
    type ApplyRow<R>;
}

/// A group of columns that is missing as a whole when an outer join finds no
/// row: loads as `Option<T>`, `None` when every column is `NULL`.
pub struct NullableRow<R>(PhantomData<R>);

/// The nullability of a type that never holds `NULL`.
pub struct NotNull;
/// The nullability of a type that may hold `NULL`.
pub struct IsNull;

impl Nullability for NotNull {
    const IS_NULL: bool = false;
    type Or<Other: Nullability> = Other;
    type Apply<T: SqlType> = T;
    type ApplyRow<R> = R;
}

impl Nullability for IsNull {
    const IS_NULL: bool = true;
    type Or<Other: Nullability> = IsNull;
    type Apply<T: SqlType> = T::Nullable;
    type ApplyRow<R> = NullableRow<R>;
}

/// A SQL type that may also be `NULL`. Loads into `Option<T>`.
pub struct Nullable<T>(PhantomData<T>);

impl<T: SqlType<Nullability = NotNull>> SqlType for Nullable<T> {
    type Nullability = IsNull;
    type NotNull = T;
    type Nullable = Self;
    const NAME: &'static str = T::NAME;
    const PARAM: ParamType = T::PARAM;
}

macro_rules! sql_types {
    ($($(#[$doc:meta])* $name:ident = $sql:literal, $param:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default)]
        pub struct $name;

        impl SqlType for $name {
            type Nullability = NotNull;
            type NotNull = Self;
            type Nullable = Nullable<Self>;
            const NAME: &'static str = $sql;
            const PARAM: ParamType = ParamType::$param;
        }
    )*};
}

sql_types! {
    /// `SMALLINT`: a 16-bit integer, `i16`.
    SmallInt = "SmallInt", SmallInt;
    /// `INTEGER`: a 32-bit integer, `i32`.
    Integer = "Integer", Int;
    /// `BIGINT`: a 64-bit integer, `i64`.
    BigInt = "BigInt", BigInt;
    /// `REAL`: a 32-bit float, `f32`.
    Float = "Float", Float;
    /// `DOUBLE PRECISION`: a 64-bit float, `f64`.
    Double = "Double", Double;
    /// `NUMERIC`: an exact decimal, `rust_decimal::Decimal` (feature `rust_decimal`).
    Numeric = "Numeric", Numeric;
    /// `TEXT`: `String`, `&str`.
    Text = "Text", Text;
    /// `BOOLEAN`: `bool`.
    Bool = "Bool", Bool;
    /// `BLOB` / `BYTEA`: `Vec<u8>`, `&[u8]`.
    Binary = "Binary", Binary;
    /// `DATE`: `chrono::NaiveDate` (feature `chrono`).
    Date = "Date", Date;
    /// `TIME`: `chrono::NaiveTime` (feature `chrono`).
    Time = "Time", Time;
    /// `TIMESTAMP`: `chrono::NaiveDateTime` (feature `chrono`).
    Timestamp = "Timestamp", Timestamp;
    /// `TIMESTAMPTZ`: `chrono::DateTime<Utc>` (feature `chrono`).
    Timestamptz = "Timestamptz", Timestamptz;
    /// `UUID`: `uuid::Uuid` (feature `uuid`).
    Uuid = "Uuid", Uuid;
    /// `JSON` / `JSONB`: `serde_json::Value` (feature `serde_json`).
    Json = "Json", Json;
}

/// `T[]`: a one-dimensional PostgreSQL array of `T`, loaded as `Vec<_>` of
/// `T`'s Rust type (`Array<Nullable<T>>` as `Vec<Option<_>>`). PostgreSQL
/// only: a query that uses an array column does not compile for SQLite.
pub struct Array<T>(PhantomData<T>);

impl<T: SqlType> SqlType for Array<T> {
    type Nullability = NotNull;
    type NotNull = Self;
    type Nullable = Nullable<Self>;
    const NAME: &'static str = "Array";
    const PARAM: ParamType = ParamType::Array(&T::PARAM);
}

/// SQL types that support `+ - * /`.
#[diagnostic::on_unimplemented(
    message = "arithmetic needs a numeric SQL type, and `{Self}` is not one"
)]
pub trait NumericType: SqlType {
    /// Whether values are whole numbers, whose `/` truncates.
    const INTEGRAL: bool;
}
impl NumericType for SmallInt {
    const INTEGRAL: bool = true;
}
impl NumericType for Integer {
    const INTEGRAL: bool = true;
}
impl NumericType for BigInt {
    const INTEGRAL: bool = true;
}
impl NumericType for Float {
    const INTEGRAL: bool = false;
}
impl NumericType for Double {
    const INTEGRAL: bool = false;
}
impl NumericType for Numeric {
    const INTEGRAL: bool = false;
}
impl<T: NumericType<Nullability = NotNull>> NumericType for Nullable<T> {
    const INTEGRAL: bool = T::INTEGRAL;
}

/// The SQL type of arithmetic on `Self` and `Other`, both numeric and
/// without `Nullable`: the type PostgreSQL gives the result, which SQLite
/// agrees with.
///
/// | | `SmallInt` | `Integer` | `BigInt` | `Numeric` | `Float` | `Double` |
/// |---|---|---|---|---|---|---|
/// | `SmallInt` | `SmallInt` | `Integer` | `BigInt` | `Numeric` | `Double` | `Double` |
/// | `Integer` | `Integer` | `Integer` | `BigInt` | `Numeric` | `Double` | `Double` |
/// | `BigInt` | `BigInt` | `BigInt` | `BigInt` | `Numeric` | `Double` | `Double` |
/// | `Numeric` | `Numeric` | `Numeric` | `Numeric` | `Numeric` | `Double` | `Double` |
/// | `Float` | `Double` | `Double` | `Double` | `Double` | `Float` | `Double` |
/// | `Double` | `Double` | `Double` | `Double` | `Double` | `Double` | `Double` |
///
/// This is what makes `posts::views + users::name` fail to compile.
#[diagnostic::on_unimplemented(
    message = "arithmetic needs numeric operands, found SQL `{Self}` and `{Other}`",
    label = "not a number"
)]
pub trait Promote<Other> {
    /// The result's SQL type.
    type Output: NumericType<Nullability = NotNull>;
}

macro_rules! promote {
    ($($left:ident: $($right:ident => $out:ident),*;)*) => {$($(
        #[diagnostic::do_not_recommend]
        impl Promote<$right> for $left {
            type Output = $out;
        }
    )*)*};
}

promote! {
    SmallInt: SmallInt => SmallInt, Integer => Integer, BigInt => BigInt, Numeric => Numeric, Float => Double, Double => Double;
    Integer: SmallInt => Integer, Integer => Integer, BigInt => BigInt, Numeric => Numeric, Float => Double, Double => Double;
    BigInt: SmallInt => BigInt, Integer => BigInt, BigInt => BigInt, Numeric => Numeric, Float => Double, Double => Double;
    Numeric: SmallInt => Numeric, Integer => Numeric, BigInt => Numeric, Numeric => Numeric, Float => Double, Double => Double;
    Float: SmallInt => Double, Integer => Double, BigInt => Double, Numeric => Double, Float => Float, Double => Double;
    Double: SmallInt => Double, Integer => Double, BigInt => Double, Numeric => Double, Float => Double, Double => Double;
}

/// SQL types that hold text, for `LIKE` and `||`.
#[diagnostic::on_unimplemented(message = "`{Self}` is not a text SQL type")]
pub trait TextLike: SqlType {}
#[diagnostic::do_not_recommend]
impl TextLike for Text {}
#[diagnostic::do_not_recommend]
impl TextLike for Nullable<Text> {}

/// `Bool` or `Nullable<Bool>`: what `filter`, `and`, `or` and `not` accept.
#[diagnostic::on_unimplemented(
    message = "a filter must be a boolean expression, found SQL type `{Self}`"
)]
pub trait BoolLike: SqlType {}
#[diagnostic::do_not_recommend]
impl BoolLike for Bool {}
#[diagnostic::do_not_recommend]
impl BoolLike for Nullable<Bool> {}

/// Two SQL types that may be compared or assigned: the same type once
/// `Nullable` is set aside. `Self` and `Other` are both without `Nullable`.
///
/// This is what makes `users::id.eq(users::name)` fail to compile.
#[diagnostic::on_unimplemented(
    message = "expected a SQL `{Other}` expression, found SQL `{Self}`",
    label = "this is `{Self}`, not `{Other}`"
)]
pub trait SameSqlType<Other> {}
impl<T> SameSqlType<T> for T {}

/// Two SQL types that may be compared: the same type, or two numeric types
/// (compared as numbers, as in SQL). `Self` and `Other` are both without
/// `Nullable`.
///
/// This is what makes `posts::views.lt(users::score)` (`Integer` with
/// `BigInt`) compile and `users::id.eq(users::name)` fail to.
#[diagnostic::on_unimplemented(
    message = "expected a SQL `{Other}` expression, found SQL `{Self}`",
    label = "this is `{Self}`, which cannot be compared with `{Other}`"
)]
pub trait ComparableTo<Other> {}
impl<T> ComparableTo<T> for T {}

macro_rules! comparable_numbers {
    ($($left:ident: $($right:ident),*;)*) => {$($(
        impl ComparableTo<$right> for $left {}
    )*)*};
}

comparable_numbers! {
    SmallInt: Integer, BigInt, Numeric, Float, Double;
    Integer: SmallInt, BigInt, Numeric, Float, Double;
    BigInt: SmallInt, Integer, Numeric, Float, Double;
    Numeric: SmallInt, Integer, BigInt, Float, Double;
    Float: SmallInt, Integer, BigInt, Numeric, Double;
    Double: SmallInt, Integer, BigInt, Numeric, Float;
}

pub use crate::types::pg_sql_types::{Cidr, Inet, Interval};
