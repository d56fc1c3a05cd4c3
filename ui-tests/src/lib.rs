//! Compile-fail cases live in `cases/`, one invariant per file, grouped by
//! topic; `tests/ui.rs` runs them with trybuild.
