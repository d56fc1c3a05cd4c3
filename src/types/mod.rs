//! Which Rust types stand for which SQL types, as bind values and as
//! results.
//!
//! | SQL type | Rust type | feature |
//! |---|---|---|
//! | `SmallInt` | `i16` | |
//! | `Integer` | `i32` | |
//! | `BigInt` | `i64` | |
//! | `Float` | `f32` | |
//! | `Double` | `f64` | |
//! | `Text` | `String` (`&str` as a value) | |
//! | `Bool` | `bool` | |
//! | `Binary` | `Vec<u8>` (`&[u8]` as a value) | |
//! | `Numeric` | `rust_decimal::Decimal` | `rust_decimal` |
//! | `Date`, `Time`, `Timestamp`, `Timestamptz` | `chrono::{NaiveDate, NaiveTime, NaiveDateTime, DateTime<Utc>}` | `chrono` |
//! | `Uuid` | `uuid::Uuid` | `uuid` |
//! | `Json` | `serde_json::Value`, [`Json<T>`](Json) of a `serde` type | `serde_json` |
//! | `Interval` | [`Interval`] (months, days, microseconds) | |
//! | `Inet`, `Cidr` | [`IpNetwork`] | |
//! | `Nullable<T>` | `Option<_>` of the above | |
//! | `Array<T>` (PostgreSQL only) | `Vec<_>` of `T`'s type | |
//! | your own SQL type ([`#[derive(SqlType)]`](derive@crate::SqlType)) | a [`SqlValue`] or a [`SqlEnum`] | |
//! | any | a [`#[derive(SqlNewtype)]`](derive@crate::SqlNewtype) struct, as its field | |

mod decode;
mod interval;
mod ip_network;
#[cfg(feature = "serde_json")]
mod json;
pub(crate) mod pg_sql_types;
mod sql_enum;
mod sql_value;

pub use decode::{DecodeError, FromSql};
pub use interval::Interval;
pub use ip_network::{IpNetwork, ParseIpNetworkError};
#[cfg(feature = "serde_json")]
pub use json::Json;
pub use sql_enum::SqlEnum;
#[doc(hidden)]
pub use sql_value::decode_raw;
pub use sql_value::{SqlRaw, SqlValue};

use crate::expression::{AsExpression, Bound, Comparand, ToValue};
use crate::sql_types::{self as st, Nullable, SqlType};
use quarry_runtime::Value;

/// A Rust type whose values can stand for SQL type `ST` as bind values.
///
/// `Option<T>` stands for `Nullable<ST>` whenever `T` stands for `ST`, so a
/// type of the application's own (a `#[derive(SqlEnum)]`, a
/// `#[derive(SqlNewtype)]`, a [`SqlValue`]) gets its `Option` for free.
/// This is what makes `users::id.eq("ten")` fail to compile.
#[diagnostic::on_unimplemented(message = "`{Self}` cannot be used as a SQL `{ST}` value")]
pub trait BindValue<ST: SqlType>: ToValue {}

impl<T, ST> BindValue<Nullable<ST>> for Option<T>
where
    ST: SqlType<Nullability = st::NotNull>,
    T: BindValue<ST>,
{
}

#[diagnostic::do_not_recommend]
impl<T, ST: SqlType> AsExpression<ST> for Option<T>
where
    Option<T>: BindValue<ST>,
{
    type Expr = Bound<ST, Option<T>>;
    fn as_expression(self) -> Self::Expr {
        Bound::new(self)
    }
}

#[diagnostic::do_not_recommend]
impl<T, ST: SqlType> Comparand<ST> for Option<T>
where
    Option<T>: BindValue<ST>,
{
    type Expr = Bound<ST, Option<T>>;
    fn into_comparand(self) -> Self::Expr {
        Bound::new(self)
    }
}

impl<T: ToValue> ToValue for Option<T> {
    fn to_value(&self) -> Value<'_> {
        match self {
            Some(v) => v.to_value(),
            None => Value::Null,
        }
    }
}

/// Declares `$rust` as a bind value of SQL type `$sql` (and of its nullable
/// form), with `Option<$rust>` for the nullable form.
macro_rules! bind_value {
    (@one [$($lt:lifetime)?] $sql:ty => $rust:ty) => {
        impl<$($lt)?> BindValue<$sql> for $rust {}
        impl<$($lt)?> BindValue<Nullable<$sql>> for $rust {}

        #[diagnostic::do_not_recommend]
        impl<$($lt,)? ST: SqlType> AsExpression<ST> for $rust
        where
            $rust: BindValue<ST>,
        {
            type Expr = Bound<ST, $rust>;
            fn as_expression(self) -> Self::Expr {
                Bound::new(self)
            }
        }

        comparand!([$($lt)?] $rust);
    };
    // More SQL types that values of `$rust` stand for exactly, once
    // `$rust` is declared.
    (@also $sql:ty => $($rust:ty),+) => {$(
        impl BindValue<$sql> for $rust {}
        impl BindValue<Nullable<$sql>> for $rust {}
    )+};
    ($($sql:ty => $($rust:ty),+;)*) => {$($(
        bind_value!(@one [] $sql => $rust);
    )+)*};
}

/// A Rust value as the other side of a comparison: bound as the compared
/// expression's SQL type.
macro_rules! comparand {
    ([$($lt:lifetime)?] $rust:ty) => {
        #[diagnostic::do_not_recommend]
        impl<$($lt,)? ST: SqlType> Comparand<ST> for $rust
        where
            $rust: BindValue<ST>,
        {
            type Expr = Bound<ST, $rust>;
            fn into_comparand(self) -> Self::Expr {
                Bound::new(self)
            }
        }
    };
}

/// `ToValue` for a `Copy` type through a `Value` constructor.
macro_rules! to_value_copy {
    ($($rust:ty => $variant:ident),* $(,)?) => {$(
        impl ToValue for $rust {
            fn to_value(&self) -> Value<'_> {
                Value::$variant(*self)
            }
        }
    )*};
}

to_value_copy! {
    i16 => SmallInt, i32 => Int, i64 => BigInt, f32 => Float, f64 => Double, bool => Bool,
}

impl ToValue for str {
    fn to_value(&self) -> Value<'_> {
        Value::Text(self)
    }
}
impl ToValue for String {
    fn to_value(&self) -> Value<'_> {
        Value::Text(self)
    }
}
impl ToValue for [u8] {
    fn to_value(&self) -> Value<'_> {
        Value::Blob(self)
    }
}
impl ToValue for Vec<u8> {
    fn to_value(&self) -> Value<'_> {
        Value::Blob(self)
    }
}
impl<T: ToValue + ?Sized> ToValue for &T {
    fn to_value(&self) -> Value<'_> {
        (**self).to_value()
    }
}

bind_value! {
    st::SmallInt => i16;
    st::Integer => i32;
    st::BigInt => i64;
    st::Float => f32;
    st::Double => f64;
    st::Bool => bool;
    st::Text => String;
}
// Integers are exact decimals, and `i32` and `f32` exact doubles, so they
// stand for those types too (an integer literal beside a `Numeric` is an
// `i32`).
bind_value!(@also st::Numeric => i16, i32, i64);
bind_value!(@also st::Double => i32, f32);
bind_value!(@one ['a] st::Text => &'a str);
bind_value!(@one ['a] st::Text => &'a String);
bind_value!(@one ['a] st::Binary => &'a [u8]);

// `Vec<u8>` is `Binary`, and `Vec<T>` of any other value is an array: the
// `AsExpression` impls of vectors are generic over the element, so both
// share them.
impl BindValue<st::Binary> for Vec<u8> {}
impl BindValue<Nullable<st::Binary>> for Vec<u8> {}
impl BindValue<st::Binary> for &Vec<u8> {}
impl BindValue<Nullable<st::Binary>> for &Vec<u8> {}

/// A list, sent as one bind value: a PostgreSQL array.
impl<T: ToValue> ToValue for Vec<T> {
    fn to_value(&self) -> Value<'_> {
        Value::List(self.iter().map(ToValue::to_value).collect())
    }
}

impl<ST: SqlType, T: BindValue<ST>> BindValue<st::Array<ST>> for Vec<T> {}
impl<ST: SqlType, T: BindValue<ST>> BindValue<Nullable<st::Array<ST>>> for Vec<T> {}
impl<ST: SqlType, T: BindValue<ST>> BindValue<st::Array<ST>> for &Vec<T> {}
impl<ST: SqlType, T: BindValue<ST>> BindValue<Nullable<st::Array<ST>>> for &Vec<T> {}

/// `AsExpression` for a vector type, whatever its element.
macro_rules! vec_as_expression {
    ($([$($lt:lifetime)?] $rust:ty;)*) => {$(
        #[diagnostic::do_not_recommend]
        impl<$($lt,)? T, ST: SqlType> AsExpression<ST> for $rust
        where
            $rust: BindValue<ST>,
        {
            type Expr = Bound<ST, $rust>;
            fn as_expression(self) -> Self::Expr {
                Bound::new(self)
            }
        }

        #[diagnostic::do_not_recommend]
        impl<$($lt,)? T, ST: SqlType> Comparand<ST> for $rust
        where
            $rust: BindValue<ST>,
        {
            type Expr = Bound<ST, $rust>;
            fn into_comparand(self) -> Self::Expr {
                Bound::new(self)
            }
        }
    )*};
}

vec_as_expression! {
    [] Vec<T>;
    ['a] &'a Vec<T>;
}

#[cfg(feature = "chrono")]
mod chrono_values {
    use super::*;
    to_value_copy! {
        chrono::NaiveDate => Date,
        chrono::NaiveTime => Time,
        chrono::NaiveDateTime => Timestamp,
        chrono::DateTime<chrono::Utc> => Timestamptz,
    }
    bind_value! {
        st::Date => chrono::NaiveDate;
        st::Time => chrono::NaiveTime;
        st::Timestamp => chrono::NaiveDateTime;
        st::Timestamptz => chrono::DateTime<chrono::Utc>;
    }
}

#[cfg(feature = "uuid")]
mod uuid_values {
    use super::*;
    to_value_copy! { uuid::Uuid => Uuid }
    bind_value! { st::Uuid => uuid::Uuid; }
}

#[cfg(feature = "rust_decimal")]
mod decimal_values {
    use super::*;
    to_value_copy! { rust_decimal::Decimal => Numeric }
    bind_value! { st::Numeric => rust_decimal::Decimal; }
}

#[cfg(feature = "serde_json")]
mod json_values {
    use super::*;
    impl ToValue for serde_json::Value {
        fn to_value(&self) -> Value<'_> {
            Value::Json(self)
        }
    }
    bind_value! { st::Json => serde_json::Value; }
}
