//! quarry's procedural macros: `table!`, `#[derive(Queryable)]`,
//! `#[derive(Selectable)]`, and for writes `#[derive(Insertable)]`,
//! `#[derive(AsChangeset)]` and `#[derive(Identifiable)]`. Use them through
//! the `quarry` crate.

mod attr;
mod chunks;
mod derive_as_changeset;
mod derive_insertable;
mod derive_queryable;
mod derive_selectable;
mod derive_sql_enum;
mod derive_sql_newtype;
mod derive_sql_type;
mod embed_migrations;
mod expand;
mod relations;
mod sql;

use proc_macro::TokenStream;
// The grammar (syntax tree, parser, checks) is shared with the schema printer.
use quarry_grammar::{ast, validate};

/// `table!` is used through the `quarry` crate, as `quarry::table!`.
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

/// Inserts a struct's fields into the columns of the same names:
/// `insert_into(users::table).values(&row)`, or `&rows` for many. Needs
/// `#[quarry(table = users)]`; `#[quarry(default)]` on a field leaves its
/// column to the database's default.
#[proc_macro_derive(Insertable, attributes(quarry))]
pub fn derive_insertable(input: TokenStream) -> TokenStream {
    syn::parse2(input.into())
        .and_then(derive_insertable::expand)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Sets a struct's fields in the columns of the same names:
/// `update(users::table).set(&changes)`. Needs `#[quarry(table = users)]`.
/// An `Option<T>` field is skipped when `None`; `Option<Option<T>>` sets
/// NULL with `Some(None)`. Primary-key fields are never set.
#[proc_macro_derive(AsChangeset, attributes(quarry))]
pub fn derive_as_changeset(input: TokenStream) -> TokenStream {
    syn::parse2(input.into())
        .and_then(derive_as_changeset::expand_as_changeset)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// A struct that knows its row's primary key: `update(&row)` and
/// `delete(&row)` write that row. The key is the field `id`, or the fields
/// listed in `#[quarry(primary_key(a, b))]`, in the table's key order.
#[proc_macro_derive(Identifiable, attributes(quarry))]
pub fn derive_identifiable(input: TokenStream) -> TokenStream {
    syn::parse2(input.into())
        .and_then(derive_as_changeset::expand_identifiable)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// A row struct that takes part in relations: `Post::belonging_to(&users)`,
/// `posts.grouped_by(&users)` and eager loads read parents' keys and
/// children's foreign keys from its fields. Needs `#[quarry(table = posts)]`;
/// each field holds the column of its name (or `#[quarry(column = name)]`).
#[proc_macro_derive(Related, attributes(quarry))]
pub fn derive_related(input: TokenStream) -> TokenStream {
    syn::parse2(input.into())
        .and_then(relations::expand)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Compiles a migrations folder into the binary: see
/// `quarry::embed_migrations!`'s documentation in the `quarry` crate.
#[proc_macro]
pub fn embed_migrations(input: TokenStream) -> TokenStream {
    syn::parse2(input.into())
        .and_then(embed_migrations::expand)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// A Rust enum of unit variants as a SQL enum: a PostgreSQL enum type, TEXT
/// on SQLite (or an `Integer` with `#[sql(repr = "integer")]`). See
/// `quarry::SqlEnum`'s documentation in the `quarry` crate.
#[proc_macro_derive(SqlEnum, attributes(sql))]
pub fn derive_sql_enum(input: TokenStream) -> TokenStream {
    syn::parse2(input.into())
        .and_then(derive_sql_enum::expand)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// A struct of one field that is its field as a SQL value, everywhere.
#[proc_macro_derive(SqlNewtype)]
pub fn derive_sql_newtype(input: TokenStream) -> TokenStream {
    syn::parse2(input.into())
        .and_then(derive_sql_newtype::expand)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// A marker for a SQL type quarry does not know:
/// `#[sql(postgres_type = "mood")] pub struct Mood;`.
#[proc_macro_derive(SqlType, attributes(sql))]
pub fn derive_sql_type(input: TokenStream) -> TokenStream {
    syn::parse2(input.into())
        .and_then(derive_sql_type::expand)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// SQL text checked by the compiler: see `quarry::sql!`'s documentation in
/// the `quarry` crate.
#[proc_macro]
pub fn sql(input: TokenStream) -> TokenStream {
    sql::sql(input.into()).into()
}

/// The error for a column a table does not have; called by the checker
/// `table!` emits for `sql!`. Not part of the public API.
#[doc(hidden)]
#[proc_macro]
pub fn sql_unknown_column(input: TokenStream) -> TokenStream {
    sql::unknown_column(input.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}
