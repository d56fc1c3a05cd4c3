//! The grammar of quarry's `table!`, in one place: the syntax tree
//! ([`ast`]), its parser (`syn::parse2::<ast::Schema>`), the checks the
//! grammar cannot express ([`validate`]) and a printer back to source
//! ([`print`](mod@print)).
//!
//! quarry-macros parses and validates with it before expanding;
//! the `quarry print-schema` command builds a tree from a database,
//! validates it and prints it. Both use this crate, so what the command
//! prints is what the macro parses.

#![forbid(unsafe_code)]

pub mod ast;
mod parse;
pub mod print;
pub mod recover;
pub mod validate;

pub use parse::{parse_file, parse_sql_type, render};
