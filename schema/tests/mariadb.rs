//! print-schema on a real MariaDB server through the `quarry` binary: the
//! snapshot (every type mapping, composite and named foreign keys, a view),
//! `DATABASE_URL`, unknown types and `--map-type`. Each test has a database
//! of its own on the server at `QUARRY_MYSQL_URL` (default
//! `mysql://root@127.0.0.1:3306/test`); when it is unreachable the tests
//! print "skipped", unless `CI` is set.
#![cfg(feature = "mysql")]

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{assert_snapshot, fixture, mysql_database};

fn quarry(args: &[&str], dir: &Path, env_url: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_quarry"));
    command
        .args(args)
        .current_dir(dir)
        .env_remove("DATABASE_URL");
    if let Some(url) = env_url {
        command.env("DATABASE_URL", url);
    }
    command.output().expect("run quarry")
}

fn stdout_of(output: Output) -> String {
    assert!(
        output.status.success(),
        "quarry failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn the_live_database_prints_the_snapshot() {
    let Some(mut db) = mysql_database("snapshot") else {
        return;
    };
    db.batch(&std::fs::read_to_string(fixture("mariadb.sql")).unwrap());
    let dir = tempfile::tempdir().unwrap();
    let printed = stdout_of(quarry(
        &["print-schema", "--database-url", &db.url],
        dir.path(),
        None,
    ));
    assert_snapshot("mariadb.rs", &printed);

    // The output is `table!` input that passes the macro's own checks.
    let parsed = quarry_grammar::parse_file(&printed).expect("printed source parses");
    quarry_grammar::validate::validate(&parsed).expect("printed schema validates");

    // `DATABASE_URL`, from the environment, prints the same.
    let from_env = stdout_of(quarry(&["print-schema"], dir.path(), Some(&db.url)));
    assert_eq!(from_env, printed);

    // `--schema` names the database to print on MariaDB; sequences are
    // not tables.
    db.batch("CREATE SEQUENCE ticket_numbers");
    let base = common::mysql_url();
    let other = stdout_of(quarry(
        &[
            "print-schema",
            "--database-url",
            &base,
            "--schema",
            &db.name,
        ],
        dir.path(),
        None,
    ));
    assert_eq!(other, printed);

    // `mariadb://` is the same URL.
    let mariadb_url = db.url.replacen("mysql://", "mariadb://", 1);
    let again = stdout_of(quarry(
        &["print-schema", "--database-url", &mariadb_url],
        dir.path(),
        None,
    ));
    assert_eq!(again, printed);
}

#[test]
fn unknown_types_say_how_to_map_them_and_the_hint_works() {
    let Some(mut db) = mysql_database("unknown") else {
        return;
    };
    db.batch(
        "CREATE TABLE odd (
             id INT PRIMARY KEY,
             born YEAR,
             mask BIT(8) NOT NULL,
             huge BIGINT UNSIGNED NOT NULL,
             address INET6,
             choices SET('a', 'b')
         );",
    );
    let dir = tempfile::tempdir().unwrap();
    let failed = quarry(
        &["print-schema", "--database-url", &db.url],
        dir.path(),
        None,
    );
    assert_eq!(failed.status.code(), Some(1));
    let said = String::from_utf8_lossy(&failed.stderr);
    assert!(
        said.contains("table `odd`, column `born` has type `year`")
            && said.contains("--map-type year=SmallInt")
            && said.contains("--map-type bit=Binary")
            && said.contains("--map-type inet6=Text")
            && said.contains("--map-type set=Text"),
        "{said}"
    );

    let printed = stdout_of(quarry(
        &[
            "print-schema",
            "--database-url",
            &db.url,
            "--map-type",
            "year=SmallInt",
            "--map-type",
            "bit=Binary",
            "--map-type",
            "inet6=Text",
            "--map-type",
            "odd.choices=Text",
        ],
        dir.path(),
        None,
    ));
    assert!(
        printed.contains("born -> Nullable<SmallInt>,") && printed.contains("mask -> Binary,"),
        "{printed}"
    );
    // BIGINT UNSIGNED is Numeric, and says why.
    assert!(
        printed.contains("/// `BIGINT UNSIGNED`: `Numeric`")
            && printed.contains("huge -> Numeric,"),
        "{printed}"
    );
}

#[test]
fn a_missing_database_and_a_bad_server_are_one_line_errors() {
    let Some(db) = mysql_database("missing") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let missing = format!("{}_nope", db.url);
    let out = quarry(
        &["print-schema", "--database-url", &missing],
        dir.path(),
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(said.lines().count(), 1, "{said}");
    assert!(
        said.contains("cannot connect to MariaDB") && said.contains("Unknown database"),
        "{said}"
    );

    let out = quarry(
        &[
            "print-schema",
            "--database-url",
            "mysql://nobody:secret@127.0.0.1:3306/test",
        ],
        dir.path(),
        None,
    );
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(
        said.contains("Access denied") && !said.contains("secret"),
        "{said}"
    );
}
