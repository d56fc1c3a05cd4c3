//! Rust enums as SQL enums: what `#[derive(SqlEnum)]` implements.

/// A Rust enum of unit variants stored as one of a fixed list of labels:
/// a PostgreSQL enum type, TEXT on SQLite (or, with
/// `#[sql(repr = "integer")]`, its discriminant in an `Integer` column).
/// Implemented by [`#[derive(SqlEnum)]`](derive@crate::SqlEnum), with
/// [`SqlValue`](crate::types::SqlValue).
///
/// [`VARIANTS`](Self::VARIANTS) is the list DDL needs: PostgreSQL's
/// `CREATE TYPE mood AS ENUM ('happy', 'sad')` and SQLite's
/// `CHECK (mood IN ('happy', 'sad'))`.
///
/// The derive's attributes, all optional:
///
/// | on | attribute | effect |
/// |---|---|---|
/// | the enum | `postgres_type = "mood"` | the PostgreSQL type's name (default: the enum's name in snake_case) |
/// | the enum | `sql_type = path` | map to a marker declared elsewhere, like `print-schema`'s `sql_types::Mood`, instead of being its own SQL type |
/// | the enum | `rename_all = "snake_case"` | labels from variant names: `snake_case`, `kebab-case`, `lowercase`, `UPPERCASE`, `SCREAMING_SNAKE_CASE`, `camelCase` |
/// | the enum | `repr = "integer"` | store the discriminant in an `Integer` column |
/// | a variant | `rename = "label"` | this variant's label |
///
/// A value of one enum compared with a column of another does not
/// compile: each is its own SQL type.
///
/// ```
/// use quarry::prelude::*;
/// use quarry::types::SqlEnum;
///
/// #[derive(SqlEnum, Debug, PartialEq)]
/// #[sql(rename_all = "snake_case")]
/// pub enum Mood {
///     Happy,
///     #[sql(rename = "so-so")]
///     SoSo,
///     VerySad,
/// }
///
/// quarry::table! { people (id) { id -> Integer, mood -> crate::Mood, } }
///
/// # fn main() -> Result<(), quarry::Error> {
/// assert_eq!(Mood::VARIANTS, ["happy", "so-so", "very_sad"]);
/// assert_eq!(Mood::TYPE_NAME, "mood");
///
/// let mut db = quarry::sqlite::Connection::open_in_memory()?;
/// db.execute_batch(
///     "CREATE TABLE people (id INTEGER PRIMARY KEY, \
///      mood TEXT NOT NULL CHECK (mood IN ('happy', 'so-so', 'very_sad')))",
/// )?;
/// quarry::insert_into(people::table)
///     .values((people::id.eq(1), people::mood.eq(Mood::SoSo)))
///     .execute(&mut db)?;
/// let moods: Vec<Mood> = people::table
///     .filter(people::mood.ne(Mood::Happy))
///     .select(people::mood)
///     .load(&mut db)?;
/// assert_eq!(moods, [Mood::SoSo]);
/// # Ok(())
/// # }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a SQL enum",
    note = "derive it: `#[derive(quarry::SqlEnum)]` on an enum of unit variants"
)]
pub trait SqlEnum: Sized + 'static {
    /// The PostgreSQL type's name (`mood`).
    const TYPE_NAME: &'static str;
    /// Every variant's label, in declaration order.
    const VARIANTS: &'static [&'static str];
    /// This variant's label.
    fn label(&self) -> &'static str;
}
