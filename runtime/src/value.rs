//! Bind values: what a query hands to a connection besides its SQL text.

/// One bound parameter, borrowed from the query that owns it.
///
/// Every Rust value in a quarry query reaches the database as a `Value`;
/// none is ever formatted into SQL text. Each backend converts a `Value`
/// into its driver's parameter type.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Value<'a> {
    /// SQL `NULL`.
    Null,
    /// A boolean.
    Bool(bool),
    /// A 16-bit integer (`SMALLINT`).
    SmallInt(i16),
    /// A 32-bit integer (`INTEGER`).
    Int(i32),
    /// A 64-bit integer (`BIGINT`).
    BigInt(i64),
    /// A 32-bit float (`REAL`).
    Float(f32),
    /// A 64-bit float (`DOUBLE PRECISION`).
    Double(f64),
    /// Text.
    Text(&'a str),
    /// Bytes.
    Blob(&'a [u8]),
    /// A list of values of one type, for `IN` lists and arrays.
    ///
    /// SQLite receives it as JSON text (read with `json_each`), PostgreSQL as
    /// an array, so a list of any length keeps one SQL text.
    List(Vec<Value<'a>>),
    /// A calendar date.
    #[cfg(feature = "chrono")]
    Date(chrono::NaiveDate),
    /// A time of day.
    #[cfg(feature = "chrono")]
    Time(chrono::NaiveTime),
    /// A date and time without time zone.
    #[cfg(feature = "chrono")]
    Timestamp(chrono::NaiveDateTime),
    /// A point in time, in UTC.
    #[cfg(feature = "chrono")]
    Timestamptz(chrono::DateTime<chrono::Utc>),
    /// A UUID.
    #[cfg(feature = "uuid")]
    Uuid(uuid::Uuid),
    /// A JSON document.
    Json(&'a serde_json::Value),
    /// An exact decimal number (`NUMERIC`).
    #[cfg(feature = "rust_decimal")]
    Numeric(rust_decimal::Decimal),
}
