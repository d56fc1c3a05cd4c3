//! print-schema on a real SQLite database: the snapshot, agreement with
//! `--from-sql`, stable bytes, rustfmt, filters and unknown types.

mod common;

use common::{assert_snapshot, fixture, sqlite_db};
use quarry_schema::{Dialect, Error, Options, Source, print_schema};

fn live(path: &std::path::Path) -> Options {
    Options::new(Source::Url(format!("sqlite://{}", path.display())))
}

#[test]
fn the_live_database_prints_the_snapshot_every_time() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite_db(dir.path());
    let first = print_schema(&live(&db)).unwrap();
    assert_snapshot("sqlite.rs", &first);
    let second = print_schema(&live(&db)).unwrap();
    assert_eq!(first, second, "a second run printed different bytes");
    // A plain path works as well as a URL.
    let plain = Options::new(Source::Url(db.display().to_string()));
    assert_eq!(print_schema(&plain).unwrap(), first);
}

#[test]
fn ddl_prints_what_the_live_database_prints() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite_db(dir.path());
    let from_ddl = print_schema(&Options::new(Source::Ddl {
        path: fixture("sqlite.sql"),
        dialect: Dialect::Sqlite,
    }))
    .unwrap();
    assert_eq!(from_ddl, print_schema(&live(&db)).unwrap());
}

#[test]
fn the_output_reads_back_with_the_macro_grammar() {
    let printed = std::fs::read_to_string(common::snapshot_path("sqlite.rs")).unwrap();
    let schema = quarry_grammar::parse_file(&printed).unwrap();
    quarry_grammar::validate::validate(&schema).unwrap();
    let body = quarry_grammar::print::print(&schema);
    assert!(printed.ends_with(&body), "{printed}\n---\n{body}");
    assert_eq!(schema.tables.len(), 14);
}

#[test]
fn the_output_is_rustfmt_clean() {
    for name in ["sqlite.rs", "postgres.rs"] {
        let path = common::snapshot_path(name);
        let status = std::process::Command::new("rustfmt")
            .args(["--check", "--edition", "2024"])
            .arg(&path)
            .status();
        match status {
            Ok(status) => assert!(status.success(), "rustfmt would change {}", path.display()),
            Err(e) => println!("skipped: rustfmt is not available ({e})"),
        }
    }
}

#[test]
fn filters_match_whole_table_names() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite_db(dir.path());
    let names = |only: &[&str], except: &[&str]| {
        let mut options = live(&db);
        options.only_tables = only.iter().map(|s| s.to_string()).collect();
        options.except_tables = except.iter().map(|s| s.to_string()).collect();
        let printed = print_schema(&options).unwrap();
        let schema = quarry_grammar::parse_file(&printed).unwrap();
        schema
            .tables
            .iter()
            .map(|t| t.name.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&["posts"], &[]), ["posts"]);
    assert_eq!(names(&["post.*"], &["post_tags"]), ["posts"]);
    assert_eq!(
        names(&["users", "tags"], &[]),
        ["tags", "users"],
        "several patterns, sorted output"
    );
    assert_eq!(names(&["order.*"], &[]), ["order_lines", "orders"]);

    // A reference to a table left out is dropped, with a note.
    let mut options = live(&db);
    options.only_tables = vec!["posts".into()];
    let printed = print_schema(&options).unwrap();
    assert!(printed.contains("author_id -> Integer,"), "{printed}");
    assert!(
        printed.contains(
            "/// `author_id` references `users`, which is not printed here, so no join follows it."
        ),
        "{printed}"
    );

    options.only_tables = vec!["nothing".into()];
    let error = print_schema(&options).unwrap_err();
    assert!(matches!(error, Error::NoTables(_)), "{error}");
    options.only_tables = vec!["(".into()];
    let error = print_schema(&options).unwrap_err();
    assert!(matches!(error, Error::BadPattern { .. }), "{error}");
}

#[test]
fn migration_bookkeeping_is_not_printed_unless_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite_db(dir.path());
    let before = print_schema(&live(&db)).unwrap();
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(
        "CREATE TABLE __quarry_migrations (version TEXT PRIMARY KEY, run_on TEXT NOT NULL);
         CREATE TABLE __diesel_schema_migrations (version TEXT PRIMARY KEY);",
    )
    .unwrap();
    drop(conn);
    assert_eq!(print_schema(&live(&db)).unwrap(), before);
    // Named in `--only-tables`, it is printed.
    let mut options = live(&db);
    options.only_tables = vec!["__quarry_migrations".into()];
    let printed = print_schema(&options).unwrap();
    assert!(printed.contains("__quarry_migrations"), "{printed}");
}

#[test]
fn an_unknown_type_stops_the_run_with_the_flag_that_fixes_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("odd.db");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "CREATE TABLE events (id INTEGER PRIMARY KEY, mood MOOD_T NOT NULL, spot POINT);
         CREATE VIEW counts AS SELECT count(*) AS n FROM events;",
    )
    .unwrap();
    drop(conn);

    let error = print_schema(&live(&path)).unwrap_err();
    let Error::UnknownTypes(unknown) = &error else {
        panic!("{error}")
    };
    assert_eq!(unknown.len(), 3, "every unknown column at once: {error}");
    let message = error.to_string();
    assert!(
        message.contains(
            "table `counts`, column `n` has no declared type; give it one, or map it with \
             `--map-type counts.n=Text`"
        ),
        "{message}"
    );
    assert!(
        message.contains(
            "table `events`, column `mood` has type `mood_t`, which quarry does not know; map it \
             with `--map-type mood_t=Text`"
        ),
        "{message}"
    );
    assert!(
        message.contains("column `spot` has type `point`"),
        "{message}"
    );

    let mut options = live(&path);
    options.map_types = vec![
        "mood_t=crate::types::Mood".into(),
        "point=Binary".into(),
        "counts.n=BigInt".into(),
    ];
    let printed = print_schema(&options).unwrap();
    assert!(printed.contains("mood -> crate::types::Mood,"), "{printed}");
    assert!(printed.contains("spot -> Nullable<Binary>,"), "{printed}");
    assert!(printed.contains("n -> Nullable<BigInt>,"), "{printed}");
}

#[test]
fn a_missing_file_is_an_error_and_is_not_created() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("missing.db");
    let error = print_schema(&live(&path)).unwrap_err();
    assert!(matches!(error, Error::MissingSqliteFile { .. }), "{error}");
    assert!(!path.exists());
}

#[test]
fn names_that_are_not_rust_names_get_sql_names() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("names.db");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        r#"CREATE TABLE "Order Items" (
               "itemId" INTEGER PRIMARY KEY,
               "self" TEXT,
               "table" TEXT,
               "2fa" BOOLEAN,
               "match" TEXT,
               "order_id" INTEGER REFERENCES "Order Items",
               "order" TEXT
           );"#,
    )
    .unwrap();
    drop(conn);
    let printed = print_schema(&live(&path)).unwrap();
    let expected = r#"quarry::table! {
    #[sql_name = "Order Items"]
    order_items (item_id) {
        /// Default: a new rowid, chosen by SQLite.
        #[sql_name = "itemId"]
        item_id -> Integer,
        #[sql_name = "self"]
        self_ -> Nullable<Text>,
        #[sql_name = "table"]
        table_ -> Nullable<Text>,
        #[sql_name = "2fa"]
        _2fa -> Nullable<Bool>,
        r#match -> Nullable<Text>,
        order_id -> Nullable<Integer> references order_items(item_id) as order_ref,
        order -> Nullable<Text>,
    }
}
"#;
    assert!(printed.ends_with(expected), "{printed}");
}

#[test]
fn the_readme_shows_real_output() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap();
    let printed = std::fs::read_to_string(common::snapshot_path("sqlite.rs")).unwrap();
    let block = |name: &str| {
        let start = printed.find(&format!("    {name} (")).unwrap();
        let end = start + printed[start..].find("\n    }\n").unwrap() + 7;
        printed[start..end].to_owned()
    };
    assert!(
        readme.contains(quarry_schema::HEADER),
        "the README's header is stale"
    );
    for table in ["order_lines", "posts"] {
        assert!(
            readme.contains(&block(table)),
            "the README's `{table}` is not what print-schema prints:\n{}",
            block(table)
        );
    }
}
