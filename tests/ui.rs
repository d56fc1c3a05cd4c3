//! Every compile error quarry promises, with its exact message: the cases
//! in `ui-tests/cases/<topic>/<invariant>.rs`, one invariant per file, each
//! with its `.stderr`.
//!
//! Set `TRYBUILD=overwrite` to rewrite the `.stderr` files, then review the
//! diff like code: a message that got longer or vaguer is a regression.

#[test]
fn compile_fail() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui-tests/cases/*/*.rs");
}
