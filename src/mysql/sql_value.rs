//! Reading a [`SqlValue`] from MariaDB/MySQL.

use super::RawValue;
use crate::types::{DecodeError, SqlRaw, SqlValue, decode_raw};
use quarry_runtime::mysql::mysql_async::Value as My;

/// Reads a [`SqlValue`] type: integers and floats as numbers, bytes as
/// text when they are UTF-8, else as bytes. `NULL` is an error
/// (`Option<T>` reads it).
#[doc(hidden)]
pub fn decode_sql_value<T: SqlValue>(raw: RawValue<'_>) -> Result<T, DecodeError> {
    let expected = core::any::type_name::<T>();
    let sql_raw = match raw.get() {
        My::NULL => {
            return Err(DecodeError {
                expected,
                found: "NULL".to_owned(),
            });
        }
        My::Int(i) => SqlRaw::Integer(*i),
        My::UInt(u) => match i64::try_from(*u) {
            Ok(i) => SqlRaw::Integer(i),
            Err(_) => {
                return Err(DecodeError {
                    expected,
                    found: format!("{} out of range", raw.type_name()),
                });
            }
        },
        My::Float(f) => SqlRaw::Real(f64::from(*f)),
        My::Double(d) => SqlRaw::Real(*d),
        My::Bytes(bytes) => match core::str::from_utf8(bytes) {
            Ok(s) => SqlRaw::Text(s),
            Err(_) => SqlRaw::Bytes(bytes),
        },
        My::Date(..) | My::Time(..) => {
            return Err(DecodeError {
                expected,
                found: raw.type_name(),
            });
        }
    };
    decode_raw(sql_raw)
}
