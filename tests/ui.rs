//! Every compile error quarry promises, with its exact message: the cases
//! in `ui-tests/cases/<topic>/<invariant>.rs`, one invariant per file, each
//! with its `.stderr`.
//!
//! Set `TRYBUILD=overwrite` to rewrite the `.stderr` files, then review the
//! diff like code: a message that got longer or vaguer is a regression.
//! Set `QUARRY_UI_ONLY=<text>` to build only the cases whose path contains
//! the text (`QUARRY_UI_ONLY=joins/`), while working on one message.

#[test]
fn compile_fail() {
    let t = trybuild::TestCases::new();
    // The MariaDB cases (`*_on_mariadb.rs`) name `quarry::mysql`, which
    // exists with the `mysql` feature only.
    let mut cases: Vec<_> = std::fs::read_dir("ui-tests/cases")
        .expect("ui-tests/cases")
        .flat_map(|topic| std::fs::read_dir(topic.expect("a topic").path()).expect("a topic"))
        .map(|case| case.expect("a case").path())
        .filter(|path| path.extension().is_some_and(|e| e == "rs"))
        .filter(|path| {
            cfg!(feature = "mysql") || !path.to_string_lossy().ends_with("_on_mariadb.rs")
        })
        .filter(|path| {
            std::env::var("QUARRY_UI_ONLY")
                .map_or(true, |only| path.to_string_lossy().contains(only.as_str()))
        })
        .collect();
    cases.sort();
    for case in cases {
        t.compile_fail(case);
    }
}
