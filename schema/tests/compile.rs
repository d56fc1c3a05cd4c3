//! What print-schema prints compiles in a crate of its own that depends on
//! quarry, as a user's crate would, without warnings.
//!
//! The crate is written to a temporary folder and checked with
//! `cargo check --offline`, its build files in `target/schema-scratch` so
//! that later runs reuse them. Its Cargo.lock is the workspace's, so it
//! builds the same dependency versions without the network.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use quarry_schema::{Dialect, Options, Source, print_schema};

fn printed(fixture: &str, dialect: Dialect) -> String {
    print_schema(&Options::new(Source::Ddl {
        path: common::fixture(fixture),
        dialect,
    }))
    .unwrap()
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the schema crate sits in the workspace")
        .to_owned()
}

const LIB: &str = r#"#![deny(warnings)]
//! The printed schemas, and queries through their references.

pub mod sqlite {
    include!("sqlite_schema.rs");
}

pub mod postgres {
    include!("postgres_schema.rs");
}

/// What print-schema printed from MariaDB (tests/mariadb.rs checks that
/// the live database prints this snapshot).
pub mod mariadb {
    include!("mariadb_schema.rs");
}

pub fn queries() {
    use quarry::prelude::*;
    use sqlite::*;
    let _ = posts::table
        .inner_join(posts::author)
        .select((posts::title, users::name));
    let _ = comments::table.inner_join(posts::table).select(comments::body);
    let _ = order_lines::table
        .inner_join(order_lines::product_variant)
        .inner_join(products::table)
        .select((order_lines::quantity, products::name));
    let _ = post_tags::table.find((1, 2));
    let _ = postgres::posts::table
        .left_join(postgres::posts::editor)
        .select((postgres::posts::title, postgres::users::name));
    let _ = mariadb::tag_votes::table
        .inner_join(mariadb::tag_votes::post_tag)
        .select((mariadb::tag_votes::id, mariadb::tags::tag));
    let _ = mariadb::posts::table
        .left_join(mariadb::posts::editor)
        .select((mariadb::posts::title, mariadb::users::status));
}
"#;

#[test]
fn printed_schemas_compile_in_a_crate_of_their_own() {
    let root = workspace_root();
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    std::fs::create_dir(&src).unwrap();
    std::fs::write(
        dir.path().join("Cargo.toml"),
        format!(
            "[package]\nname = \"printed-schema\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\
             publish = false\n\n[dependencies]\nquarry = {{ path = {:?} }}\n\n[workspace]\n",
            root.display().to_string()
        ),
    )
    .unwrap();
    std::fs::copy(root.join("Cargo.lock"), dir.path().join("Cargo.lock")).unwrap();
    std::fs::write(src.join("lib.rs"), LIB).unwrap();
    std::fs::write(
        src.join("sqlite_schema.rs"),
        printed("sqlite.sql", Dialect::Sqlite),
    )
    .unwrap();
    std::fs::write(
        src.join("postgres_schema.rs"),
        printed("postgres.sql", Dialect::Postgres),
    )
    .unwrap();
    std::fs::copy(
        common::snapshot_path("mariadb.rs"),
        src.join("mariadb_schema.rs"),
    )
    .unwrap();

    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
        .join("schema-scratch");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(["check", "--offline", "--quiet", "--message-format", "short"])
        .current_dir(dir.path())
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .expect("run cargo");
    assert!(
        output.status.success(),
        "the printed schemas do not compile:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
