//! A Rust type of the application's own as a SQL value: one trait impl.

use crate::sql_types::{NotNull, SqlType};
use crate::types::DecodeError;
use quarry_runtime::Value;

/// A Rust type that is one value of SQL type [`SqlType`](Self::SqlType):
/// how it is bound, and how it is read back. Implement it, then call
/// [`impl_sql_value!`](crate::impl_sql_value) once, and the type is
/// usable in filters, inserts, updates and loads on both backends, with
/// `Option<T>` for the nullable column.
///
/// The SQL type may be a built-in one (a `Version` kept in a `Text`
/// column) or a type quarry does not know, declared with
/// [`#[derive(SqlType)]`](derive@crate::SqlType). On PostgreSQL a value of
/// such a type is sent as text and converted by the server (see
/// [`ParamType::Named`](crate::ParamType::Named)), so
/// [`encode`](Self::encode) returns its text form there.
///
/// ```
/// use quarry::prelude::*;
/// use quarry::types::{SqlRaw, SqlValue};
///
/// /// A version number kept as `major.minor` text.
/// #[derive(Debug, PartialEq)]
/// struct Version(u16, u16);
///
/// impl SqlValue for Version {
///     type SqlType = quarry::sql_types::Text;
///     fn encode(&self) -> Value<'_> {
///         Value::OwnedText(format!("{}.{}", self.0, self.1))
///     }
///     fn decode(raw: SqlRaw<'_>) -> Option<Self> {
///         let (major, minor) = raw.as_text()?.split_once('.')?;
///         Some(Version(major.parse().ok()?, minor.parse().ok()?))
///     }
/// }
/// quarry::impl_sql_value!(Version);
///
/// quarry::table! { releases (id) { id -> Integer, version -> Text, } }
///
/// let mut db = quarry::sqlite::Connection::open_in_memory()?;
/// db.execute_batch("CREATE TABLE releases (id INTEGER PRIMARY KEY, version TEXT NOT NULL)")?;
/// quarry::insert_into(releases::table)
///     .values((releases::id.eq(1), releases::version.eq(Version(1, 2))))
///     .execute(&mut db)?;
/// let found: Vec<Version> = releases::table
///     .filter(releases::version.eq(Version(1, 2)))
///     .select(releases::version)
///     .load(&mut db)?;
/// assert_eq!(found, [Version(1, 2)]);
/// # Ok::<(), quarry::Error>(())
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a SQL value",
    note = "implement `quarry::types::SqlValue` for it and call `quarry::impl_sql_value!`, or derive `SqlEnum` or `SqlNewtype`"
)]
pub trait SqlValue: Sized {
    /// The SQL type a value of `Self` is, without `Nullable`.
    type SqlType: SqlType<Nullability = NotNull>;
    /// The bind value: for a SQL type quarry does not know, its text.
    fn encode(&self) -> Value<'_>;
    /// The value read from a column, or `None` when it is not one of
    /// `Self`'s (the read is then an [`Error::Decode`](crate::Error::Decode)
    /// naming the column).
    fn decode(raw: SqlRaw<'_>) -> Option<Self>;
}

/// A column's value as [`SqlValue::decode`] sees it, the same on both
/// backends for text and numbers.
///
/// On PostgreSQL, text types, enums and domains over them arrive as
/// [`Text`](Self::Text); integers and booleans as
/// [`Integer`](Self::Integer), floats as [`Real`](Self::Real); any other
/// type as [`Bytes`](Self::Bytes) in its binary wire format.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SqlRaw<'a> {
    /// An integer (a boolean as 0 or 1).
    Integer(i64),
    /// A float.
    Real(f64),
    /// UTF-8 text.
    Text(&'a str),
    /// Bytes: a BLOB, or a PostgreSQL value in its binary format.
    Bytes(&'a [u8]),
}

impl<'a> SqlRaw<'a> {
    /// The text, if the value is text.
    pub fn as_text(self) -> Option<&'a str> {
        match self {
            SqlRaw::Text(s) => Some(s),
            _ => None,
        }
    }

    /// The integer, if the value is one.
    pub fn as_integer(self) -> Option<i64> {
        match self {
            SqlRaw::Integer(i) => Some(i),
            _ => None,
        }
    }

    /// What the value is, for a decode error: never the value itself.
    pub(crate) fn describe(self) -> String {
        match self {
            SqlRaw::Integer(_) => "an integer".to_owned(),
            SqlRaw::Real(_) => "a float".to_owned(),
            SqlRaw::Text(s) => format!("text ({} bytes)", s.len()),
            SqlRaw::Bytes(b) => format!("bytes ({} bytes)", b.len()),
        }
    }
}

/// Decodes `raw` as `T`, or a [`DecodeError`] that names `T` and what was
/// found, without the value.
#[doc(hidden)]
pub fn decode_raw<T: SqlValue>(raw: SqlRaw<'_>) -> Result<T, DecodeError> {
    T::decode(raw).ok_or_else(|| DecodeError {
        expected: core::any::type_name::<T>(),
        found: format!("{} that is not a {}", raw.describe(), T::SqlType::NAME),
    })
}

/// Makes types that implement [`SqlValue`](crate::types::SqlValue) usable
/// as bind values and results: `ToValue`, `BindValue` of the SQL type and
/// of its `Nullable` form, `AsExpression`, comparisons, `FromSql` on both
/// backends, loading as a one-column row, and loading PostgreSQL arrays of
/// it (`Array<ST>` as `Vec<T>`: tokio-postgres's `FromSql` for the type).
#[macro_export]
macro_rules! impl_sql_value {
    ($($ty:ty),* $(,)?) => {$(
        const _: () = {
            use $crate::types::SqlValue as __SqlValue;
            type __St = <$ty as __SqlValue>::SqlType;

            impl $crate::expression::ToValue for $ty {
                fn to_value(&self) -> $crate::Value<'_> {
                    <$ty as __SqlValue>::encode(self)
                }
            }
            impl $crate::types::BindValue<__St> for $ty {}
            impl $crate::types::BindValue<$crate::sql_types::Nullable<__St>> for $ty {}

            #[diagnostic::do_not_recommend]
            impl<ST: $crate::sql_types::SqlType> $crate::expression::AsExpression<ST> for $ty
            where
                $ty: $crate::types::BindValue<ST>,
            {
                type Expr = $crate::expression::Bound<ST, $ty>;
                fn as_expression(self) -> Self::Expr {
                    $crate::expression::Bound::new(self)
                }
            }
            #[diagnostic::do_not_recommend]
            impl<ST: $crate::sql_types::SqlType> $crate::expression::Comparand<ST> for $ty
            where
                $ty: $crate::types::BindValue<ST>,
            {
                type Expr = $crate::expression::Bound<ST, $ty>;
                fn into_comparand(self) -> Self::Expr {
                    $crate::expression::Bound::new(self)
                }
            }
            // One impl per backend compiled into quarry.
            $crate::__if_sqlite! {
                impl $crate::types::FromSql<__St, $crate::Sqlite> for $ty {
                    fn from_sql(
                        raw: $crate::sqlite::ValueRef<'_>,
                    ) -> ::core::result::Result<Self, $crate::types::DecodeError> {
                        $crate::sqlite::decode_sql_value(raw)
                    }
                }
            }
            $crate::__if_postgres! {
                impl<'__a> $crate::pg::tokio_postgres::types::FromSql<'__a> for $ty {
                    fn from_sql(
                        ty: &$crate::pg::tokio_postgres::types::Type,
                        raw: &'__a [u8],
                    ) -> ::core::result::Result<
                        Self,
                        ::std::boxed::Box<dyn ::std::error::Error + Sync + Send>,
                    > {
                        $crate::pg::decode_sql_element(ty, raw)
                    }
                    fn accepts(_: &$crate::pg::tokio_postgres::types::Type) -> bool {
                        true
                    }
                }
                impl $crate::pg::ArrayElement<__St> for $ty {
                    const EXPECTED: &'static str = ::core::concat!("Array of ", ::core::stringify!($ty));
                    const EXPECTED_NULLABLE: &'static str =
                        ::core::concat!("Array of nullable ", ::core::stringify!($ty));
                }
                impl $crate::types::FromSql<__St, $crate::Pg> for $ty {
                    fn from_sql(
                        raw: $crate::pg::RawValue<'_>,
                    ) -> ::core::result::Result<Self, $crate::types::DecodeError> {
                        $crate::pg::decode_sql_value(raw)
                    }
                }
            }
            $crate::__impl_sql_value_mysql!($ty, __St);
        };
        $crate::impl_from_row!($ty);
    )*};
}

/// `FromSql` on MariaDB/MySQL for [`impl_sql_value!`], when quarry is
/// built with its `mysql` feature; nothing otherwise.
#[cfg(feature = "mysql")]
#[doc(hidden)]
#[macro_export]
macro_rules! __impl_sql_value_mysql {
    ($ty:ty, $st:ty) => {
        impl $crate::types::FromSql<$st, $crate::Mysql> for $ty {
            fn from_sql(
                raw: $crate::mysql::RawValue<'_>,
            ) -> ::core::result::Result<Self, $crate::types::DecodeError> {
                $crate::mysql::decode_sql_value(raw)
            }
        }
    };
}

/// `FromSql` on MariaDB/MySQL for [`impl_sql_value!`], when quarry is
/// built with its `mysql` feature; nothing otherwise.
#[cfg(not(feature = "mysql"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __impl_sql_value_mysql {
    ($ty:ty, $st:ty) => {};
}
