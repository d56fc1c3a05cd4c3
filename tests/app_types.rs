//! Application types on every backend: a `#[derive(SqlEnum)]` (with a
//! renamed variant), a `#[derive(SqlNewtype)]` key used with `find` and
//! joins, and a custom SQL type through one `SqlValue` impl. Each is
//! written through the DSL, filtered on and read back equal.

mod common;

use common::both_backends;
use quarry::prelude::*;
use quarry::types::{SqlEnum, SqlRaw, SqlValue};

/// Its own SQL type: a PostgreSQL enum `mood`, TEXT on SQLite, a column
/// `ENUM` on MariaDB.
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

/// A custom SQL type: a PostgreSQL domain over text, TEXT on SQLite, a
/// VARCHAR with a CHECK on MariaDB.
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

/// MariaDB writes the enum as a column `ENUM` and the domain as a CHECK
/// on the column.
const MYSQL: &str = "
CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    handle LONGTEXT NOT NULL,
    mood ENUM('happy', 'so-so', 'very_sad') NOT NULL,
    old_mood ENUM('happy', 'so-so', 'very_sad'),
    level INTEGER NOT NULL,
    app VARCHAR(40) NOT NULL CHECK (app REGEXP '^[0-9]+[.][0-9]+$')
);
CREATE TABLE notes (id INTEGER PRIMARY KEY, author_id INTEGER NOT NULL REFERENCES people(id), body LONGTEXT NOT NULL);
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
    db.batch3(SQLITE, PG, MYSQL).await?;
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

both_backends! {
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
        db.batch3(
            "PRAGMA ignore_check_constraints = ON",
            "ALTER TYPE mood ADD VALUE 'angry'",
            "ALTER TABLE people MODIFY mood ENUM('happy', 'so-so', 'very_sad', 'angry') NOT NULL",
        )
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

// Computed expressions: declared once, used like a column.

quarry::computed! {
    /// A person's handle with `!`: text over one column and a value.
    pub fn shout(people) -> quarry::sql_types::Text {
        people::handle.concat("!")
    }

    /// Ten times the level: arithmetic.
    pub fn score(people) -> quarry::sql_types::Integer {
        people::level * 10
    }
}

impl Person {
    /// `shout()` for a loaded row.
    fn shout(&self) -> String {
        format!("{}!", self.handle.text)
    }
}

#[test]
fn computed_sql_on_every_backend() {
    let q = || {
        people::table
            .filter(score().gt(20))
            .order(shout().desc())
            .select((people::id, shout(), score()))
    };
    assert_eq!(
        quarry::debug_query::<quarry::Sqlite, _>(q()).sql(),
        r#"SELECT "people"."id", "people"."handle" || ?, "people"."level" * ? FROM "people" WHERE "people"."level" * ? > ? ORDER BY "people"."handle" || ? DESC NULLS FIRST"#
    );
    assert_eq!(
        quarry::debug_query::<quarry::Pg, _>(q()).sql(),
        r#"SELECT "people"."id", "people"."handle" || $1, "people"."level" * $2 FROM "people" WHERE "people"."level" * $3 > $4 ORDER BY "people"."handle" || $5 DESC"#
    );
    #[cfg(feature = "mysql")]
    assert_eq!(
        quarry::debug_query::<quarry::Mysql, _>(q()).sql(),
        "SELECT `people`.`id`, CONCAT(`people`.`handle`, ?), `people`.`level` * ? FROM `people` WHERE `people`.`level` * ? > ? ORDER BY CONCAT(`people`.`handle`, ?) DESC"
    );
}

both_backends! {
    async fn computed_selects_filters_and_orders(db) {
        seed(db).await?;
        let rows: Vec<(UserId, String, i32)> = db
            .load(
                people::table
                    .filter(score().gt(20))
                    .order(shout().desc())
                    .select((people::id, shout(), score())),
            )
            .await?;
        assert_eq!(rows, [(UserId(1), "ann!".to_owned(), 50)]);
        // The same value computed in Rust from the loaded row.
        let people: Vec<Person> = db.load(people::table.order(people::id)).await?;
        let shouts: Vec<String> = db
            .load(people::table.order(people::id).select(shout()))
            .await?;
        assert_eq!(people.iter().map(Person::shout).collect::<Vec<_>>(), shouts);
        // Compared with a column, and nullable on the optional side of a join.
        let found: Vec<Option<String>> = db
            .load(
                notes::table
                    .left_join(people::table)
                    .filter(shout().ne(people::handle))
                    .select(shout()),
            )
            .await?;
        assert_eq!(found, [Some("bo!".to_owned())]);
        Ok(())
    }
}

// `interval`, `inet` and `cidr`: exact on PostgreSQL, their text on SQLite.

use quarry::types::{Interval, IpNetwork};

quarry::table! {
    sessions (id) {
        id -> Integer,
        idle -> quarry::sql_types::Interval,
        addr -> quarry::sql_types::Inet,
        net -> Nullable<quarry::sql_types::Cidr>,
    }
}

fn intervals() -> Vec<Interval> {
    vec![
        Interval {
            months: 14,
            days: -3,
            microseconds: 3_723_000_004,
        },
        Interval {
            months: 0,
            days: 0,
            microseconds: -1,
        },
        Interval {
            months: i32::MAX,
            days: i32::MIN,
            microseconds: i64::MAX,
        },
        // `i64::MIN` microseconds is PostgreSQL's own error: its input
        // of `-2562047788:00:54.775808` overflows.
        Interval {
            months: i32::MIN,
            days: i32::MAX,
            microseconds: i64::MIN + 1,
        },
    ]
}

both_backends! {
    /// MariaDB has no INTERVAL, INET or CIDR: there, as on SQLite, the
    /// columns hold the values' text.
    async fn interval_and_networks_round_trip(db) {
        db.batch3(
            "CREATE TABLE sessions (id INTEGER PRIMARY KEY, idle TEXT NOT NULL, addr TEXT NOT NULL, net TEXT)",
            "CREATE TABLE sessions (id INTEGER PRIMARY KEY, idle INTERVAL NOT NULL, addr INET NOT NULL, net CIDR)",
            "CREATE TABLE sessions (id INTEGER PRIMARY KEY, idle VARCHAR(100) NOT NULL, addr VARCHAR(50) NOT NULL, net VARCHAR(50))",
        )
        .await?;
        let addrs: [IpNetwork; 4] = [
            "192.168.0.1/24".parse().unwrap(),
            "::1".parse().unwrap(),
            "2001:db8::7/64".parse().unwrap(),
            "0.0.0.0/0".parse().unwrap(),
        ];
        let nets: [Option<IpNetwork>; 4] = [
            Some("10.0.0.0/8".parse().unwrap()),
            None,
            Some("2001:db8::/32".parse().unwrap()),
            Some("255.255.255.255/32".parse().unwrap()),
        ];
        for (i, idle) in intervals().into_iter().enumerate() {
            db.run(quarry::insert_into(sessions::table).values((
                sessions::id.eq(i as i32),
                sessions::idle.eq(idle),
                sessions::addr.eq(addrs[i]),
                sessions::net.eq(nets[i]),
            )))
            .await?;
        }
        let back: Vec<(Interval, IpNetwork, Option<IpNetwork>)> = db
            .load(sessions::table.order(sessions::id).select((sessions::idle, sessions::addr, sessions::net)))
            .await?;
        let expected: Vec<_> = (0..4).map(|i| (intervals()[i], addrs[i], nets[i])).collect();
        assert_eq!(back, expected, "on {}", db.backend());
        // Filters by each type.
        let ids: Vec<i32> = db
            .load(
                sessions::table
                    .filter(sessions::idle.eq(intervals()[1]))
                    .filter(sessions::addr.eq(addrs[1]))
                    .select(sessions::id),
            )
            .await?;
        assert_eq!(ids, [1]);
        let ids: Vec<i32> = db
            .load(sessions::table.filter(sessions::net.eq(nets[2])).select(sessions::id))
            .await?;
        assert_eq!(ids, [2]);
        Ok(())
    }
}

#[cfg(feature = "postgres")]
#[tokio::test]
async fn a_cidr_with_host_bits_is_the_servers_error() {
    common::db::run_pg("cidr_host_bits", async |db| {
        db.batch("", "CREATE TABLE sessions (id INTEGER PRIMARY KEY, idle INTERVAL NOT NULL, addr INET NOT NULL, net CIDR)")
            .await?;
        let err = db
            .run(quarry::insert_into(sessions::table).values((
                sessions::id.eq(1),
                sessions::idle.eq(Interval::default()),
                sessions::addr.eq("10.0.0.1".parse::<IpNetwork>().unwrap()),
                sessions::net.eq(Some("10.0.0.1/8".parse::<IpNetwork>().unwrap())),
            )))
            .await
            .unwrap_err();
        // The server's own message names the type (and, as PostgreSQL's
        // input functions do, quotes the text it could not read).
        assert!(err.to_string().contains("invalid cidr value"), "{err}");
        Ok(())
    })
    .await;
}

// Array operators, PostgreSQL only.

use quarry::pg::{AnyElementMethods, PgArrayExpressionMethods};

quarry::table! {
    articles (id) {
        id -> Integer,
        title -> Text,
        tags -> Array<Nullable<Text>>,
        scores -> Nullable<Array<Integer>>,
    }
}

#[test]
fn array_operator_sql() {
    let q = || {
        articles::table
            .filter(articles::tags.contains(vec!["rust"]))
            .filter(articles::tags.is_contained_by(vec!["rust", "sql"]))
            .filter(articles::tags.overlaps_with(articles::tags))
            .filter(articles::tags.has_element("rust"))
            .filter(articles::title.is_in_array(articles::tags))
            .select(articles::scores.array_length(1))
    };
    assert_eq!(
        quarry::debug_query::<quarry::Pg, _>(q()).sql(),
        r#"SELECT array_length("articles"."scores", $1) FROM "articles" WHERE "articles"."tags" @> $2 AND "articles"."tags" <@ $3 AND "articles"."tags" && "articles"."tags" AND $4 = ANY("articles"."tags") AND "articles"."title" = ANY("articles"."tags")"#
    );
}

/// An article's id, tags and scores.
#[cfg(feature = "postgres")]
type ArticleRow = (i32, Vec<Option<String>>, Option<Vec<i32>>);

#[cfg(feature = "postgres")]
#[tokio::test]
async fn array_columns_round_trip_and_filter() {
    common::db::run_pg("array_operators", async |db| {
        db.batch(
            "",
            "CREATE TABLE articles (id INTEGER PRIMARY KEY, title TEXT NOT NULL, tags TEXT[] NOT NULL, scores INTEGER[]);
             INSERT INTO articles VALUES (1, 'rust', '{rust,sql}', '{1,2,3}'), (2, 'db', '{sql,NULL}', '{}'), (3, 'misc', '{}', NULL);",
        )
        .await?;
        let Some(conn) = db.pg() else { return Ok(()) };
        let rows: Vec<ArticleRow> = articles::table
            .order(articles::id)
            .select((articles::id, articles::tags, articles::scores))
            .load_async(conn)
            .await?;
        assert_eq!(rows[0], (1, vec![Some("rust".into()), Some("sql".into())], Some(vec![1, 2, 3])));
        assert_eq!(rows[1].1, [Some("sql".to_owned()), None]);
        assert_eq!(rows[2], (3, vec![], None));
        // Written back through the DSL, equal.
        quarry::insert_into(articles::table)
            .values((
                articles::id.eq(4),
                articles::title.eq("new"),
                articles::tags.eq(vec![Some("a"), None]),
                articles::scores.eq(Some(vec![i32::MIN, i32::MAX])),
            ))
            .execute_async(conn)
            .await?;
        let contains: Vec<i32> = articles::table
            .filter(articles::tags.contains(vec!["sql"]))
            .select(articles::id)
            .order(articles::id)
            .load_async(conn)
            .await?;
        assert_eq!(contains, [1, 2]);
        let contained: Vec<i32> = articles::table
            .filter(articles::tags.is_contained_by(vec!["rust", "sql"]))
            .select(articles::id)
            .order(articles::id)
            .load_async(conn)
            .await?;
        // A NULL element is in no array; the empty array is in every one.
        assert_eq!(contained, [1, 3]);
        let overlaps: Vec<i32> = articles::table
            .filter(articles::tags.overlaps_with(vec!["rust", "x"]))
            .select(articles::id)
            .load_async(conn)
            .await?;
        assert_eq!(overlaps, [1]);
        let any: Vec<(i32, Option<bool>)> = articles::table
            .order(articles::id)
            .select((articles::id, articles::tags.has_element("rust")))
            .load_async(conn)
            .await?;
        // `'rust' = ANY('{sql,NULL}')` is NULL, not false.
        assert_eq!(any, [(1, Some(true)), (2, None), (3, Some(false)), (4, None)]);
        let own_title: Vec<i32> = articles::table
            .filter(articles::title.is_in_array(articles::tags))
            .select(articles::id)
            .load_async(conn)
            .await?;
        assert_eq!(own_title, [1]);
        let lengths: Vec<Option<i32>> = articles::table
            .order(articles::id)
            .select(articles::scores.array_length(1))
            .load_async(conn)
            .await?;
        assert_eq!(lengths, [Some(3), None, None, Some(2)]);
        let scores: Vec<Option<Vec<i32>>> = articles::table
            .filter(articles::id.eq(4))
            .select(articles::scores)
            .load_async(conn)
            .await?;
        assert_eq!(scores, [Some(vec![i32::MIN, i32::MAX])]);
        Ok(())
    })
    .await;
}
