//! Application types on both backends: a `#[derive(SqlEnum)]` (with a
//! renamed variant), a `#[derive(SqlNewtype)]` key used with `find` and
//! joins, and a custom SQL type through one `SqlValue` impl. Each is
//! written through the DSL, filtered on and read back equal.

mod common;

use common::skip_mysql;
use quarry::prelude::*;
use quarry::types::{SqlEnum, SqlRaw, SqlValue};

/// Its own SQL type: a PostgreSQL enum `mood`, TEXT on SQLite.
#[derive(SqlEnum, Debug, Clone, Copy, PartialEq)]
#[sql(rename_all = "snake_case")]
pub enum Mood {
    Happy,
    #[sql(rename = "so-so")]
    SoSo,
    VerySad,
}

/// Mapped to a marker declared apart, as `print-schema` writes them.
pub mod sql_types {
    #[derive(quarry::SqlType)]
    #[sql(postgres_type = "version_text")]
    pub struct VersionText;
}

/// An enum in an INTEGER column.
#[derive(SqlEnum, Debug, Clone, Copy, PartialEq)]
#[sql(repr = "integer")]
pub enum Level {
    Low = 1,
    High = 5,
}

#[derive(SqlNewtype, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UserId(pub i32);

#[derive(SqlNewtype, Debug, Clone, PartialEq)]
pub struct Handle {
    pub text: String,
}

/// A custom SQL type: a PostgreSQL domain over text, TEXT on SQLite.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Version(u16, u16);

impl SqlValue for Version {
    type SqlType = sql_types::VersionText;
    fn encode(&self) -> Value<'_> {
        Value::OwnedText(format!("{}.{}", self.0, self.1))
    }
    fn decode(raw: SqlRaw<'_>) -> Option<Self> {
        let (major, minor) = raw.as_text()?.split_once('.')?;
        Some(Version(major.parse().ok()?, minor.parse().ok()?))
    }
}
quarry::impl_sql_value!(Version);

quarry::table! {
    people (id) {
        id -> Integer,
        handle -> Text,
        mood -> crate::Mood,
        old_mood -> Nullable<crate::Mood>,
        level -> Integer,
        app -> crate::sql_types::VersionText,
    }
    notes (id) {
        id -> Integer,
        author_id -> Integer references people(id),
        body -> Text,
    }
}

const SQLITE: &str = "
CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    handle TEXT NOT NULL,
    mood TEXT NOT NULL CHECK (mood IN ('happy', 'so-so', 'very_sad')),
    old_mood TEXT CHECK (old_mood IN ('happy', 'so-so', 'very_sad')),
    level INTEGER NOT NULL,
    app TEXT NOT NULL
);
CREATE TABLE notes (id INTEGER PRIMARY KEY, author_id INTEGER NOT NULL REFERENCES people(id), body TEXT NOT NULL);
";

const PG: &str = "
CREATE TYPE mood AS ENUM ('happy', 'so-so', 'very_sad');
CREATE DOMAIN version_text AS TEXT CHECK (VALUE ~ '^[0-9]+\\.[0-9]+$');
CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    handle TEXT NOT NULL,
    mood mood NOT NULL,
    old_mood mood,
    level INTEGER NOT NULL,
    app version_text NOT NULL
);
CREATE TABLE notes (id INTEGER PRIMARY KEY, author_id INTEGER NOT NULL REFERENCES people(id), body TEXT NOT NULL);
";

#[derive(Insertable, Queryable, Debug, Clone, PartialEq)]
#[quarry(table = people)]
struct Person {
    id: UserId,
    handle: Handle,
    mood: Mood,
    old_mood: Option<Mood>,
    level: Level,
    app: Version,
}

fn people_rows() -> Vec<Person> {
    vec![
        Person {
            id: UserId(1),
            handle: Handle { text: "ann".into() },
            mood: Mood::Happy,
            old_mood: None,
            level: Level::High,
            app: Version(1, 2),
        },
        Person {
            id: UserId(2),
            handle: Handle { text: "bo".into() },
            mood: Mood::SoSo,
            old_mood: Some(Mood::VerySad),
            level: Level::Low,
            app: Version(10, 0),
        },
    ]
}

async fn seed(db: &mut common::Db) -> Result<(), quarry::Error> {
    db.batch(SQLITE, PG).await?;
    for person in &people_rows() {
        db.run(quarry::insert_into(people::table).values(person))
            .await?;
    }
    db.run(quarry::insert_into(notes::table).values((
        notes::id.eq(1),
        notes::author_id.eq(UserId(2)),
        notes::body.eq("hi"),
    )))
    .await?;
    Ok(())
}

skip_mysql! {
    reason = "the schema is PostgreSQL enum types and domains (CREATE TYPE, CREATE DOMAIN), which MariaDB writes as column ENUMs";
    async fn rows_round_trip(db) {
        seed(db).await?;
        let back: Vec<Person> = db.load(people::table.order(people::id)).await?;
        assert_eq!(back, people_rows(), "on {}", db.backend());
        Ok(())
    }

    async fn enum_filters_and_updates(db) {
        seed(db).await?;
        // The renamed variant as a bind, in a filter.
        let ids: Vec<UserId> = db
            .load(people::table.filter(people::mood.eq(Mood::SoSo)).select(people::id))
            .await?;
        assert_eq!(ids, [UserId(2)]);
        let ids: Vec<UserId> = db
            .load(people::table.filter(people::old_mood.eq(Some(Mood::VerySad))).select(people::id))
            .await?;
        assert_eq!(ids, [UserId(2)]);
        // In an update.
        db.run(
            quarry::update(people::table)
                .filter(people::id.eq(UserId(1)))
                .set(people::mood.eq(Mood::VerySad)),
        )
        .await?;
        let moods: Vec<Mood> = db
            .load(people::table.select(people::mood).order(people::id))
            .await?;
        assert_eq!(moods, [Mood::VerySad, Mood::SoSo]);
        // A list of enum values.
        let ids: Vec<i32> = db
            .load(
                people::table
                    .filter(people::mood.eq_any(vec![Mood::SoSo, Mood::Happy]))
                    .select(people::id),
            )
            .await?;
        assert_eq!(ids, [2]);
        // The integer representation.
        let levels: Vec<Level> = db
            .load(people::table.filter(people::level.eq(Level::High)).select(people::level))
            .await?;
        assert_eq!(levels, [Level::High]);
        assert_eq!(Mood::VARIANTS, ["happy", "so-so", "very_sad"]);
        Ok(())
    }

    async fn enum_label_it_does_not_know_is_a_decode_error(db) {
        seed(db).await?;
        // A label added to the database but not to the Rust enum.
        db.batch("PRAGMA ignore_check_constraints = ON", "ALTER TYPE mood ADD VALUE 'angry'")
            .await?;
        db.batch(
            "UPDATE people SET mood = 'angry' WHERE id = 1",
            "UPDATE people SET mood = 'angry' WHERE id = 1",
        )
        .await?;
        let err = db
            .load::<_, Mood>(people::table.select(people::mood).filter(people::id.eq(UserId(1))))
            .await
            .unwrap_err();
        match err {
            quarry::Error::Decode { column, found, .. } => {
                assert_eq!(column, "mood");
                assert!(!found.contains("angry"), "the value stays out of errors: {found}");
            }
            other => panic!("{other:?}"),
        }
        Ok(())
    }

    async fn newtype_key_with_find_and_joins(db) {
        seed(db).await?;
        let person: Person = db.first(people::table.find(UserId(2))).await?;
        assert_eq!(person.handle, Handle { text: "bo".into() });
        let rows: Vec<(UserId, Handle, String)> = db
            .load(
                notes::table
                    .inner_join(people::table)
                    .filter(people::id.eq(UserId(2)))
                    .select((people::id, people::handle, notes::body)),
            )
            .await?;
        assert_eq!(rows, [(UserId(2), Handle { text: "bo".into() }, "hi".to_owned())]);
        let handles: Vec<Handle> = db
            .load(people::table.filter(people::handle.eq(Handle { text: "ann".into() })).select(people::handle))
            .await?;
        assert_eq!(handles.len(), 1);
        Ok(())
    }

    async fn custom_type_filters_and_loads(db) {
        seed(db).await?;
        let found: Vec<(UserId, Version)> = db
            .load(people::table.filter(people::app.eq(Version(10, 0))).select((people::id, people::app)))
            .await?;
        assert_eq!(found, [(UserId(2), Version(10, 0))]);
        // A bind in the select list keeps its type on PostgreSQL.
        let echoed: Vec<Version> = db
            .load(people::table.filter(people::id.eq(1)).select(people::app))
            .await?;
        assert_eq!(echoed, [Version(1, 2)]);
        Ok(())
    }
}
