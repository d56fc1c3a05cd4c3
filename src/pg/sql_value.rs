//! Reading a [`SqlValue`] from PostgreSQL.

use super::RawValue;
use crate::types::{DecodeError, SqlRaw, SqlValue, decode_raw};
use quarry_runtime::postgres::tokio_postgres::types::{FromSql as PgFromSql, Kind, Type};

/// A value's bytes in the binary format, whatever its type.
struct Bytes<'a>(&'a [u8]);

impl<'a> PgFromSql<'a> for Bytes<'a> {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(Bytes(raw))
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

/// Reads a [`SqlValue`] type: text types, enums and domains over them as
/// text, integers, booleans and floats as numbers, anything else as its
/// binary format. `NULL` is an error (`Option<T>` reads it).
#[doc(hidden)]
pub fn decode_sql_value<T: SqlValue>(raw: RawValue<'_>) -> Result<T, DecodeError> {
    let expected = core::any::type_name::<T>();
    let fail = |found: String| DecodeError { expected, found };
    let Some(column) = raw.row.columns().get(raw.index) else {
        return Err(fail("no such column".to_owned()));
    };
    let ty = column.type_();
    let bytes = match raw.row.try_get::<_, Option<Bytes<'_>>>(raw.index) {
        Ok(Some(Bytes(bytes))) => bytes,
        Ok(None) => return Err(fail("NULL".to_owned())),
        Err(_) => return Err(fail(format!("{ty} that does not decode"))),
    };
    decode_raw(classify(ty, bytes).map_err(fail)?)
}

/// A value of PostgreSQL type `ty` in binary format, as [`SqlValue`] sees
/// it; the error says what was found, without the value.
fn classify<'a>(mut ty: &Type, bytes: &'a [u8]) -> Result<SqlRaw<'a>, String> {
    while let Kind::Domain(inner) = ty.kind() {
        ty = inner;
    }
    let bad = || format!("{ty} that does not decode");
    let number = |what: Result<i64, Box<dyn std::error::Error + Sync + Send>>| {
        what.map(SqlRaw::Integer).map_err(|_| bad())
    };
    Ok(match *ty {
        Type::BOOL => number(bool::from_sql(ty, bytes).map(i64::from))?,
        Type::INT2 => number(i16::from_sql(ty, bytes).map(i64::from))?,
        Type::INT4 => number(i32::from_sql(ty, bytes).map(i64::from))?,
        Type::INT8 => number(i64::from_sql(ty, bytes))?,
        Type::FLOAT4 => SqlRaw::Real(f32::from_sql(ty, bytes).map(f64::from).map_err(|_| bad())?),
        Type::FLOAT8 => SqlRaw::Real(f64::from_sql(ty, bytes).map_err(|_| bad())?),
        _ if matches!(ty.kind(), Kind::Enum(_)) || <&str as PgFromSql>::accepts(ty) => {
            match core::str::from_utf8(bytes) {
                Ok(s) => SqlRaw::Text(s),
                Err(_) => return Err(format!("{ty} that is not UTF-8")),
            }
        }
        _ => SqlRaw::Bytes(bytes),
    })
}

/// Reads one element of an array as a [`SqlValue`] type: what
/// [`impl_sql_value!`](crate::impl_sql_value) uses so that `Array<ST>`
/// loads into `Vec<T>`.
#[doc(hidden)]
pub fn decode_sql_element<T: SqlValue>(
    ty: &Type,
    bytes: &[u8],
) -> Result<T, Box<dyn std::error::Error + Sync + Send>> {
    let raw = classify(ty, bytes)?;
    decode_raw(raw).map_err(|e| e.found.into())
}
