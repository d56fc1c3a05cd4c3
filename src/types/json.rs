//! `Json<T>`: any `serde` type as a JSON column's value.

use serde::Serialize;
use serde::de::DeserializeOwned;

#[cfg(feature = "postgres")]
use crate::backend::Pg;
#[cfg(feature = "sqlite")]
use crate::backend::Sqlite;
use crate::expression::{AsExpression, Bound, Comparand, ToValue};
use crate::sql_types::{self as st, Nullable, SqlType};
use crate::types::{BindValue, DecodeError, FromSql};
use quarry_runtime::Value;

/// A `serde` value stored in a `Json` column: bound as its JSON text,
/// loaded by deserializing the document.
///
/// A value whose `Serialize` fails (a map with non-string keys) is an
/// [`Error::Bind`](crate::Error::Bind) when the query runs; a document that
/// does not deserialize into `T` is an [`Error::Decode`](crate::Error::Decode)
/// naming the column, with serde's category of error (never the value).
///
/// ```
/// use quarry::prelude::*;
/// use quarry::types::Json;
///
/// #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
/// struct Settings { theme: String, width: u32 }
///
/// quarry::table! { prefs (id) { id -> Integer, settings -> Json, } }
///
/// let mut db = quarry::sqlite::Connection::open_in_memory()?;
/// db.execute_batch("CREATE TABLE prefs (id INTEGER PRIMARY KEY, settings JSON NOT NULL)")?;
/// let dark = Settings { theme: "dark".into(), width: 80 };
/// quarry::insert_into(prefs::table)
///     .values((prefs::id.eq(1), prefs::settings.eq(Json(&dark))))
///     .execute(&mut db)?;
/// let loaded: Vec<Json<Settings>> = prefs::table.select(prefs::settings).load(&mut db)?;
/// assert_eq!(loaded[0].0, dark);
/// # Ok::<(), quarry::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Json<T>(pub T);

impl<T: Serialize> ToValue for Json<T> {
    fn to_value(&self) -> Value<'_> {
        match serde_json::to_string(&self.0) {
            Ok(text) => Value::OwnedText(text),
            Err(e) => Value::Unbindable(format!("cannot serialize JSON: {}", category(&e))),
        }
    }
}

/// serde's kind of error, without the line of a document or its values.
fn category(e: &serde_json::Error) -> &'static str {
    match e.classify() {
        serde_json::error::Category::Io => "an I/O error",
        serde_json::error::Category::Syntax => "not valid JSON",
        serde_json::error::Category::Data => "the document does not fit the Rust type",
        serde_json::error::Category::Eof => "the document ends early",
    }
}

impl<T: Serialize> BindValue<st::Json> for Json<T> {}
impl<T: Serialize> BindValue<Nullable<st::Json>> for Json<T> {}

#[diagnostic::do_not_recommend]
impl<T: Serialize, ST: SqlType> AsExpression<ST> for Json<T>
where
    Json<T>: BindValue<ST>,
{
    type Expr = Bound<ST, Json<T>>;
    fn as_expression(self) -> Self::Expr {
        Bound::new(self)
    }
}

#[diagnostic::do_not_recommend]
impl<T: Serialize, ST: SqlType> Comparand<ST> for Json<T>
where
    Json<T>: BindValue<ST>,
{
    type Expr = Bound<ST, Json<T>>;
    fn into_comparand(self) -> Self::Expr {
        Bound::new(self)
    }
}

const EXPECTED: &str = "Json as Json<T>";

fn from_document<T: DeserializeOwned>(document: serde_json::Value) -> Result<Json<T>, DecodeError> {
    serde_json::from_value(document)
        .map(Json)
        .map_err(|e| DecodeError {
            expected: EXPECTED,
            found: format!("JSON where {}", category(&e)),
        })
}

#[cfg(feature = "sqlite")]
impl<T: DeserializeOwned> FromSql<st::Json, Sqlite> for Json<T> {
    fn from_sql(raw: quarry_runtime::sqlite::ValueRef<'_>) -> Result<Self, DecodeError> {
        let document =
            <serde_json::Value as FromSql<st::Json, Sqlite>>::from_sql(raw).map_err(|e| {
                DecodeError {
                    expected: EXPECTED,
                    ..e
                }
            })?;
        from_document(document)
    }
}

#[cfg(feature = "postgres")]
impl<T: DeserializeOwned> FromSql<st::Json, Pg> for Json<T> {
    fn from_sql(raw: crate::pg::RawValue<'_>) -> Result<Self, DecodeError> {
        let document =
            <serde_json::Value as FromSql<st::Json, Pg>>::from_sql(raw).map_err(|e| {
                DecodeError {
                    expected: EXPECTED,
                    ..e
                }
            })?;
        from_document(document)
    }
}

#[cfg(feature = "mysql")]
impl<T: DeserializeOwned> FromSql<st::Json, crate::Mysql> for Json<T> {
    fn from_sql(raw: crate::mysql::RawValue<'_>) -> Result<Self, DecodeError> {
        let document = <serde_json::Value as FromSql<st::Json, crate::Mysql>>::from_sql(raw)
            .map_err(|e| DecodeError {
                expected: EXPECTED,
                ..e
            })?;
        from_document(document)
    }
}

impl<T, ST, DB> crate::deserialize::FromRow<ST, DB> for Json<T>
where
    ST: SqlType,
    DB: crate::Backend,
    Json<T>: FromSql<ST, DB>,
{
    #[inline]
    fn from_row(
        row: &mut crate::deserialize::RowReader<'_, '_, DB>,
    ) -> Result<Self, quarry_runtime::Error> {
        row.read::<ST, Json<T>>()
    }
}
