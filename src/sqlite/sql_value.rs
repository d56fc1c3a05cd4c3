//! Reading a [`SqlValue`] from SQLite.

use crate::types::{DecodeError, SqlRaw, SqlValue, decode_raw};
use quarry_runtime::sqlite::ValueRef;

/// Reads a [`SqlValue`] type from what SQLite holds: `NULL` and text that
/// is not UTF-8 are errors, anything else goes to [`SqlValue::decode`].
#[doc(hidden)]
pub fn decode_sql_value<T: SqlValue>(raw: ValueRef<'_>) -> Result<T, DecodeError> {
    let expected = core::any::type_name::<T>();
    let raw = match raw {
        ValueRef::Null => {
            return Err(DecodeError {
                expected,
                found: "NULL".to_owned(),
            });
        }
        ValueRef::Integer(i) => SqlRaw::Integer(i),
        ValueRef::Real(f) => SqlRaw::Real(f),
        ValueRef::Text(bytes) => match core::str::from_utf8(bytes) {
            Ok(s) => SqlRaw::Text(s),
            Err(_) => {
                return Err(DecodeError {
                    expected,
                    found: format!("TEXT ({} bytes, not UTF-8)", bytes.len()),
                });
            }
        },
        ValueRef::Blob(bytes) => SqlRaw::Bytes(bytes),
    };
    decode_raw(raw)
}
