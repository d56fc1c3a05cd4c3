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
    /// Text the value owns: what a Rust type of the application's own
    /// (a custom SQL type, `Json<T>`) produces when it is bound. Binds
    /// exactly like [`Text`](Self::Text).
    OwnedText(String),
    /// Bytes the value owns; binds exactly like [`Blob`](Self::Blob).
    OwnedBlob(Vec<u8>),
    /// A value that could not be produced (a `Json<T>` whose `Serialize`
    /// failed). Binding it is an [`Error::Bind`](crate::Error::Bind) with
    /// this message; it never reaches the database.
    Unbindable(String),
}

impl Value<'_> {
    /// The value with owned text and bytes seen as borrowed
    /// ([`OwnedText`](Self::OwnedText) as [`Text`](Self::Text),
    /// [`OwnedBlob`](Self::OwnedBlob) as [`Blob`](Self::Blob)); every
    /// other value as it is. Lists are not looked into.
    ///
    /// ```
    /// use quarry_runtime::Value;
    ///
    /// let owned = Value::OwnedText("happy".to_owned());
    /// assert_eq!(owned.as_borrowed(), Some(Value::Text("happy")));
    /// assert_eq!(Value::Int(1).as_borrowed(), None);
    /// ```
    pub fn as_borrowed(&self) -> Option<Value<'_>> {
        match self {
            Value::OwnedText(s) => Some(Value::Text(s)),
            Value::OwnedBlob(b) => Some(Value::Blob(b)),
            _ => None,
        }
    }
}

/// The SQL type of a bind parameter, fixed when the query is built.
///
/// quarry's DSL knows every bind's SQL type at build time. PostgreSQL
/// receives these types when a statement is prepared, so it never guesses a
/// placeholder's type from its context (a guess that turns
/// `SUM(CASE WHEN .. THEN $1 ELSE $2 END)` into `sum(text)`). SQLite has no
/// parameter types and ignores them.
///
/// ```
/// use quarry_runtime::ParamType;
///
/// const IDS: ParamType = ParamType::Array(&ParamType::Int);
/// assert_eq!(IDS.element(), Some(ParamType::Int));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ParamType {
    /// No type is sent: the server infers it from the placeholder's
    /// context. Used for JSON, which may be `json` or `jsonb`, and for SQL
    /// types declared outside quarry.
    Inferred,
    /// `BOOLEAN`.
    Bool,
    /// `SMALLINT`.
    SmallInt,
    /// `INTEGER`.
    Int,
    /// `BIGINT`.
    BigInt,
    /// `REAL`.
    Float,
    /// `DOUBLE PRECISION`.
    Double,
    /// `NUMERIC`.
    Numeric,
    /// `TEXT`.
    Text,
    /// `BYTEA` / `BLOB`.
    Binary,
    /// `DATE`.
    Date,
    /// `TIME`.
    Time,
    /// `TIMESTAMP`.
    Timestamp,
    /// `TIMESTAMPTZ`.
    Timestamptz,
    /// `UUID`.
    Uuid,
    /// `JSON` or `JSONB`: inferred by the server, like [`Inferred`](Self::Inferred).
    Json,
    /// A one-dimensional array of the element type.
    Array(&'static ParamType),
    /// A type quarry does not know, by its SQL name (an enum such as
    /// `mood`, `inet`, a domain): on PostgreSQL the value is sent as
    /// `TEXT` and converted by the server, the placeholder written
    /// `$1::text::mood`, so the parameter has that type in any position
    /// (a `CASE`, a select list), not only beside a column of it. SQLite
    /// has no parameter types and writes `?`.
    Named(&'static str),
}

impl ParamType {
    /// The element type of an array, or `None`.
    pub const fn element(self) -> Option<ParamType> {
        match self {
            ParamType::Array(element) => Some(*element),
            _ => None,
        }
    }
}

/// A statement's SQL text, a constant, with the types of its parameters.
///
/// The text is the key of a connection's prepared-statement cache, with the
/// types: two queries of the same text whose parameters differ in type are
/// two statements. A `&'static str` converts into one whose parameter
/// types are all left to the server to infer.
///
/// ```
/// use quarry_runtime::{ParamType, TypedSql};
///
/// const BY_ID: TypedSql = TypedSql::new("SELECT name FROM users WHERE id = $1", &[ParamType::Int]);
/// let inferred: TypedSql = "SELECT 1".into();
/// assert!(inferred.types.is_empty());
/// assert_eq!(BY_ID.types, [ParamType::Int]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TypedSql {
    /// The SQL text, with placeholders.
    pub sql: &'static str,
    /// The parameters' types, in placeholder order. Parameters past the end
    /// of the list are inferred by the server.
    pub types: &'static [ParamType],
}

impl TypedSql {
    /// `sql` with parameters of `types`.
    pub const fn new(sql: &'static str, types: &'static [ParamType]) -> Self {
        TypedSql { sql, types }
    }
}

impl From<&'static str> for TypedSql {
    fn from(sql: &'static str) -> Self {
        TypedSql { sql, types: &[] }
    }
}
