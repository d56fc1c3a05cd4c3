//! print-schema on a PostgreSQL database with an enum, `jsonb`, `json`,
//! `interval`, `inet` and arrays: each column prints (the enum and the
//! types quarry does not map as markers in `sql_types`), and the printed
//! file is the snapshot that quarry's own `tests/json.rs` compiles and
//! loads real rows through.

mod common;

use common::{assert_snapshot, fixture, with_pg_schema};
use quarry_schema::{Options, Source, print_schema};

#[test]
fn enums_json_interval_inet_and_arrays_print_as_types() {
    with_pg_schema("pg_types", |schema| {
        schema.batch(&std::fs::read_to_string(fixture("pg_types.sql")).unwrap());
        let mut options = Options::new(Source::Url(schema.url.clone()));
        options.schema = Some(schema.name.clone());
        let printed = print_schema(&options).unwrap();
        assert_snapshot("pg_types.rs", &printed);
    });
}
