//! Every compile error quarry promises, with its exact message.
//!
//! Set `TRYBUILD=overwrite` to rewrite the `.stderr` files, then review the
//! diff like code: a message that got longer or vaguer is a regression.

#[test]
fn compile_fail() {
    let t = trybuild::TestCases::new();
    t.compile_fail("cases/*/*.rs");
}
