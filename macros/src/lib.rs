//! quarry's procedural macros: `table!`, `#[derive(Queryable)]` and
//! `#[derive(Selectable)]`. Use them through the `quarry` crate.

mod chunks;
mod derive_queryable;
mod derive_selectable;
mod expand;

use proc_macro::TokenStream;
// The grammar (syntax tree, parser, checks) is shared with the schema printer.
use quarry_grammar::{ast, validate};

/// Declares tables: see `quarry::table!`'s documentation in the `quarry` crate.
#[proc_macro]
pub fn table(input: TokenStream) -> TokenStream {
    expand::table(input.into()).into()
}

/// Loads a row into a struct by position: the first selected column into
/// the first field, and so on.
#[proc_macro_derive(Queryable, attributes(quarry))]
pub fn derive_queryable(input: TokenStream) -> TokenStream {
    syn::parse2(input.into())
        .and_then(derive_queryable::expand)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Selects a struct's columns by field name: `.select(Post::as_select())`.
/// Needs `#[quarry(table = posts)]`.
#[proc_macro_derive(Selectable, attributes(quarry))]
pub fn derive_selectable(input: TokenStream) -> TokenStream {
    syn::parse2(input.into())
        .and_then(derive_selectable::expand)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}
