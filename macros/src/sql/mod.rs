//! `sql!`: SQL text, parsed with sqlparser at build time and expanded into
//! the typed DSL calls a user would write, so the DSL's traits do the
//! checking. Three stages, as in the derives:
//!
//! - [`parse`]: the literal and its `{param}`s into sqlparser's syntax tree;
//! - [`resolve`]: FROM scopes, aliases and column names, each error spanned
//!   on the literal and quoting the SQL word;
//! - [`expand`]: the DSL calls.
//!
//! `sql!` cannot see `table!` declarations, so every column goes through a
//! small `macro_rules!` checker that `table!` emits next to the table
//! ([`table_checker`]): a known column becomes its path, an unknown one a
//! `compile_error!` that names the table and suggests the nearest column
//! ([`unknown_column`]).

mod expand;
mod parse;
mod resolve;

use proc_macro2::TokenStream;
use quote::quote;
use syn::parse::{Parse, ParseStream};
use syn::{Ident, LitStr, Token};

use crate::ast::Table;

/// Expands one `sql!` invocation.
pub fn sql(input: TokenStream) -> TokenStream {
    let parsed = syn::parse2(input).and_then(|input| parse::parse(&input));
    match parsed {
        Ok(parsed) => expand::expand(&parsed),
        Err(e) => {
            let span = e.span();
            expand::errors(e.into_iter().collect(), span)
        }
    }
}

/// The column checker `table!` emits into each table's module:
/// ``users::__quarry_sql_column!([users] name "`u.name` (line 1, column 8)")``
/// is the column's path, `users::name`; a name that is not a column of
/// the table is a `compile_error!` on the SQL literal. A column whose `#[sql_name]` is an
/// identifier answers to that name too.
pub fn table_checker(table: &Table) -> TokenStream {
    let names: Vec<&Ident> = table.columns.iter().map(|c| &c.name).collect();
    let mut arms = Vec::new();
    for column in &table.columns {
        let name = &column.name;
        arms.push(quote! {
            ([$($m:tt)*] #name $w:literal) => { $($m)* :: #name };
        });
    }
    for column in &table.columns {
        let Some(sql_name) = &column.sql_name else {
            continue;
        };
        let Ok(sql_ident) = syn::parse_str::<Ident>(&sql_name.value()) else {
            continue;
        };
        if names.iter().any(|n| **n == sql_ident) {
            continue;
        }
        let name = &column.name;
        arms.push(quote! {
            ([$($m:tt)*] #sql_ident $w:literal) => { $($m)* :: #name };
        });
    }
    let table_name = table.name.to_string();
    quote! {
        #[doc(hidden)]
        #[allow(unused_macros)]
        macro_rules! __quarry_sql_column {
            #(#arms)*
            ([$($m:tt)*] $other:ident $w:literal) => {
                ::quarry::__private::sql_unknown_column!($other $w #table_name [#(#names)*])
            };
        }
        #[doc(hidden)]
        #[allow(unused_imports)]
        pub(crate) use __quarry_sql_column;
    }
}

/// ``sql_unknown_column!(nme "`u.nme` (line 1, column 8)" "users" [id name email])``: the
/// error for a column that `users` does not have, with the nearest name.
pub fn unknown_column(input: TokenStream) -> syn::Result<TokenStream> {
    let input: UnknownColumn = syn::parse2(input)?;
    let wanted = input.name.to_string();
    let mut message = format!(
        "column {} does not exist in `{}`",
        input.word.value(),
        input.table.value()
    );
    let known: Vec<String> = input.known.iter().map(|c| c.to_string()).collect();
    match nearest(&wanted, &known) {
        Some(near) => message.push_str(&format!("; did you mean `{near}`?")),
        None => {
            let list = known
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ");
            message.push_str(&format!("; its columns are {list}"));
        }
    }
    Ok(syn::Error::new(input.word.span(), message).into_compile_error())
}

struct UnknownColumn {
    name: Ident,
    word: LitStr,
    table: LitStr,
    known: Vec<Ident>,
}

impl Parse for UnknownColumn {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let name = input.call(syn::ext::IdentExt::parse_any)?;
        let word = input.parse()?;
        let table = input.parse()?;
        let content;
        syn::bracketed!(content in input);
        let mut known = Vec::new();
        while !content.is_empty() {
            known.push(content.call(syn::ext::IdentExt::parse_any)?);
        }
        let _: Option<Token![,]> = input.parse()?;
        Ok(UnknownColumn {
            name,
            word,
            table,
            known,
        })
    }
}

/// The known name nearest to `wanted`, when it is near enough to be a typo.
pub(crate) fn nearest<'a>(wanted: &str, known: &'a [String]) -> Option<&'a str> {
    let wanted = wanted.to_lowercase();
    known
        .iter()
        .map(|k| (edit_distance(&wanted, &k.to_lowercase()), k))
        .filter(|(d, k)| *d <= (k.chars().count().max(wanted.chars().count()) / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k.as_str())
}

/// Edit distance over chars, a swap of neighbours counting as one edit
/// (optimal string alignment): `veiws` is one edit from `views`.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The DSL calls one query becomes, a line per top-level statement.
    #[test]
    fn a_join_with_a_parameter_expands_into_dsl_calls() {
        let out = sql(quote! {
            "SELECT p.title, u.name FROM posts p LEFT JOIN users u ON u.id = p.author_id WHERE p.views > {min} ORDER BY p.id"
        });
        let text = out.to_string().replace("; ", ";\n");
        insta::assert_snapshot!(text);
    }

    #[test]
    fn typos_find_the_nearest_column() {
        let known = ["id", "name", "email"].map(String::from);
        assert_eq!(nearest("nme", &known), Some("name"));
        assert_eq!(nearest("emial", &known), Some("email"));
        assert_eq!(nearest("veiws", &["views".to_owned()]), Some("views"));
        assert_eq!(nearest("title", &known), None);
    }
}
