//! The `quarry` binary: output to a file, replaced in one step, and errors
//! as one line on stderr with exit status 1 (2 for usage errors).

mod common;

use std::path::Path;
use std::process::{Command, Output};

fn quarry(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_quarry"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run quarry")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Fails unless the run exited with 1 and said one line starting `error: `.
fn assert_one_line_error(output: &Output, contains: &str) {
    let text = stderr(output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(output.stdout.is_empty());
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.starts_with("error: "), "{text}");
    assert!(text.contains(contains), "{text}");
}

#[test]
fn prints_to_stdout_or_replaces_the_output_file() {
    let dir = tempfile::tempdir().unwrap();
    common::sqlite_db(dir.path());
    // `sqlite://app.db` is relative to the working directory.
    let printed = quarry(
        &["print-schema", "--database-url", "sqlite://app.db"],
        dir.path(),
    );
    assert!(printed.status.success(), "{}", stderr(&printed));
    let expected = std::fs::read_to_string(common::snapshot_path("sqlite.rs")).unwrap();
    assert_eq!(String::from_utf8(printed.stdout).unwrap(), expected);

    std::fs::create_dir(dir.path().join("src")).unwrap();
    std::fs::write(dir.path().join("src/schema.rs"), "old").unwrap();
    let written = quarry(
        &[
            "print-schema",
            "--database-url",
            "app.db",
            "-o",
            "src/schema.rs",
        ],
        dir.path(),
    );
    assert!(written.status.success(), "{}", stderr(&written));
    assert!(written.stdout.is_empty());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("src/schema.rs")).unwrap(),
        expected
    );
    // Nothing is left beside it.
    let entries: Vec<_> = std::fs::read_dir(dir.path().join("src"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(entries, ["schema.rs"]);
}

#[test]
fn a_failed_run_leaves_the_output_file_untouched() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("schema.rs"), "precious").unwrap();
    let output = quarry(
        &[
            "print-schema",
            "--database-url",
            "sqlite://missing.db",
            "-o",
            "schema.rs",
        ],
        dir.path(),
    );
    assert_one_line_error(
        &output,
        "SQLite database `missing.db` does not exist (quarry never creates one)",
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("schema.rs")).unwrap(),
        "precious"
    );
    assert!(!dir.path().join("missing.db").exists());
}

#[test]
fn bad_urls_and_unreachable_servers_are_one_line_errors() {
    let dir = tempfile::tempdir().unwrap();
    let run = |url: &str| quarry(&["print-schema", "--database-url", url], dir.path());
    assert_one_line_error(&run("mssql://localhost/app"), "bad database URL");
    assert_one_line_error(
        &run("postgres://me:secret@[::1/app"),
        "bad database URL `postgres://me:***@[::1/app`",
    );
    assert!(!stderr(&run("postgres://me:secret@[::1/app")).contains("secret"));
    // Port 1 on the loopback: nothing listens there.
    assert_one_line_error(
        &run("postgres://postgres@127.0.0.1:1/app"),
        "cannot connect to PostgreSQL at 127.0.0.1:1/app",
    );
    assert_one_line_error(
        &run("mysql://root:secret@127.0.0.1:1/app"),
        "cannot connect to MariaDB at 127.0.0.1:1/app",
    );
    assert!(!stderr(&run("mysql://root:secret@127.0.0.1:1/app")).contains("secret"));
    assert_one_line_error(&run("sqlite:///no/such/dir/app.db"), "does not exist");
    assert!(!Path::new("/no/such/dir/app.db").exists());

    // A file that is no database.
    std::fs::write(dir.path().join("notes.txt"), "not a database").unwrap();
    assert_one_line_error(&run("notes.txt"), "cannot read SQLite database `notes.txt`");
}

#[test]
fn usage_errors_exit_with_2() {
    let dir = tempfile::tempdir().unwrap();
    let missing_dialect = quarry(&["print-schema", "--from-sql", "schema.sql"], dir.path());
    assert_eq!(missing_dialect.status.code(), Some(2));
    assert!(stderr(&missing_dialect).contains("--dialect"));
    let nothing = quarry(&["print-schema"], dir.path());
    assert_eq!(nothing.status.code(), Some(2));
    assert!(stderr(&nothing).contains("--database-url"));

    let ddl = quarry(
        &[
            "print-schema",
            "--from-sql",
            "nope.sql",
            "--dialect",
            "sqlite",
        ],
        dir.path(),
    );
    assert_one_line_error(&ddl, "cannot read `nope.sql`");
    std::fs::write(dir.path().join("bad.sql"), "CREATE TABLE (").unwrap();
    let ddl = quarry(
        &[
            "print-schema",
            "--from-sql",
            "bad.sql",
            "--dialect",
            "postgres",
        ],
        dir.path(),
    );
    assert_one_line_error(&ddl, "cannot parse `bad.sql` as PostgreSQL DDL");
    std::fs::write(
        dir.path().join("good.sql"),
        "CREATE TABLE t (id INTEGER PRIMARY KEY);",
    )
    .unwrap();
    let map = quarry(
        &[
            "print-schema",
            "--from-sql",
            "good.sql",
            "--dialect",
            "sqlite",
            "--map-type",
            "x",
        ],
        dir.path(),
    );
    assert_eq!(map.status.code(), Some(2));
}

#[test]
fn from_sql_prints_what_the_database_prints() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = common::fixture("sqlite.sql");
    let output = quarry(
        &[
            "print-schema",
            "--from-sql",
            fixture.to_str().unwrap(),
            "--dialect",
            "sqlite",
        ],
        dir.path(),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let expected = std::fs::read_to_string(common::snapshot_path("sqlite.rs")).unwrap();
    assert_eq!(String::from_utf8(output.stdout).unwrap(), expected);
}
