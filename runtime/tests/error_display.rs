//! The `Display` of the error variants that need no database; the others
//! are asserted against real servers in `pg_errors.rs`, `pg_faults.rs`,
//! `sqlite_errors.rs` and `sqlite_contention.rs`.

use std::time::Duration;

use quarry_runtime::Error;

#[test]
fn variants_without_a_database() {
    let cases = [
        (
            Error::Timeout {
                setting: "statement_timeout",
                after: Duration::from_secs(2),
            },
            "the statement did not finish within `statement_timeout` (2s)",
        ),
        (
            Error::Timeout {
                setting: "connect_timeout",
                after: Duration::from_millis(300),
            },
            "no connection was opened within `connect_timeout` (300ms)",
        ),
        (
            Error::PoolTimeout {
                setting: "wait_timeout",
                waited: Duration::from_millis(50),
            },
            "no connection available after waiting 50ms: the pool's `wait_timeout` elapsed",
        ),
        (
            Error::Decode {
                column: "age".into(),
                index: 2,
                expected: "Integer as i32",
                found: "TEXT".into(),
            },
            "column `age` (index 2): cannot read SQL TEXT as Integer as i32",
        ),
        (Error::NotFound, "the query returned no rows"),
        (
            Error::Bind {
                index: 1,
                message: "a list cannot hold bytes".into(),
            },
            "bind parameter 1: a list cannot hold bytes",
        ),
        (
            Error::Config("bad URL".into()),
            "invalid configuration: bad URL",
        ),
    ];
    for (error, text) in cases {
        assert_eq!(error.to_string(), text);
        assert!(!error.is_retryable());
    }
}
