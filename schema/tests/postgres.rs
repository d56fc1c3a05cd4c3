//! print-schema on a real PostgreSQL server: the snapshot, agreement with
//! `--from-sql`, and what the fixture leaves out (arrays, enums, other
//! schemas). See `common` for the server and when these tests skip.

mod common;

use common::{assert_snapshot, fixture, with_pg_schema};
use quarry_schema::{Dialect, Error, Options, Source, print_schema};

fn live(schema: &common::PgSchema) -> Options {
    let mut options = Options::new(Source::Url(schema.url.clone()));
    options.schema = Some(schema.name.clone());
    options
}

#[test]
fn the_live_database_prints_the_snapshot_and_ddl_agrees() {
    with_pg_schema("snapshot", |schema| {
        schema.batch(&std::fs::read_to_string(fixture("postgres.sql")).unwrap());
        let first = print_schema(&live(schema)).unwrap();
        assert_snapshot("postgres.rs", &first);
        assert_eq!(
            print_schema(&live(schema)).unwrap(),
            first,
            "a second run differed"
        );

        let from_ddl = print_schema(&Options::new(Source::Ddl {
            path: fixture("postgres.sql"),
            dialect: Dialect::Postgres,
        }))
        .unwrap();
        assert_eq!(from_ddl, first);
    });
}

#[test]
fn arrays_enums_and_references_into_other_schemas() {
    with_pg_schema("extras", |schema| {
        let other = format!("{}_other", schema.name);
        schema.batch(&format!(
            "DROP SCHEMA IF EXISTS {other} CASCADE;
             CREATE SCHEMA {other};
             CREATE TABLE {other}.owners (id INTEGER PRIMARY KEY);
             CREATE TYPE mood AS ENUM ('happy', 'sad');
             CREATE TABLE things (
                 id INTEGER PRIMARY KEY,
                 labels TEXT[] NOT NULL,
                 scores INTEGER[],
                 feeling mood,
                 owner_id INTEGER REFERENCES {other}.owners(id)
             );"
        ));
        let unmapped = print_schema(&live(schema));
        let mut options = live(schema);
        options.map_types = vec!["mood=crate::Mood".into(), "_int4=Array<Integer>".into()];
        let mapped = print_schema(&options);
        schema.batch(&format!("DROP SCHEMA {other} CASCADE"));

        // An enum prints as a marker of its own, in `sql_types`.
        let unmapped = unmapped.unwrap();
        assert!(
            unmapped.contains("#[sql(postgres_type = \"mood\")]\n    pub struct Mood;")
                && unmapped.contains("feeling -> Nullable<sql_types::Mood>,"),
            "{unmapped}"
        );
        let printed = mapped.unwrap();
        let expected = format!(
            "    /// `owner_id` references `{other}.owners`, which is not printed here, so no join \
             follows it.
    things (id) {{
        id -> Integer,
        labels -> Array<Nullable<Text>>,
        scores -> Nullable<Array<Integer>>,
        feeling -> Nullable<crate::Mood>,
        owner_id -> Nullable<Integer>,
    }}
}}
"
        );
        assert!(printed.ends_with(&expected), "{printed}");
    });
}

#[test]
fn a_missing_schema_is_an_error() {
    with_pg_schema("missing", |schema| {
        let mut options = live(schema);
        options.schema = Some(format!("{}_nope", schema.name));
        let error = print_schema(&options).unwrap_err();
        assert!(matches!(error, Error::NoSuchSchema(_)), "{error}");
    });
}
