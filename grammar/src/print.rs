//! Printing a [`Schema`] as `table!` source: the inverse of parsing, so a
//! printed schema parses back into the same tree.
//!
//! The output is what `rustfmt` leaves alone: a brace-delimited macro call
//! at the top level, four spaces per level, one column per line, a blank
//! line between tables, and a final newline.

use std::fmt::Write;

use quote::ToTokens;
use syn::ext::IdentExt;
use syn::{Attribute, Expr, ExprLit, Lit, Meta};

use crate::ast::{Column, ForeignKey, Reference, Schema, SqlType, Table};
use crate::parse::render;
use crate::validate::default_reference_name;

const INDENT: &str = "    ";

/// The schema as one `quarry::table! { ... }` call, ending in a newline.
pub fn print(schema: &Schema) -> String {
    let mut out = String::from("quarry::table! {\n");
    for (i, table) in schema.tables.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        print_table(&mut out, table);
    }
    out.push_str("}\n");
    out
}

fn print_table(out: &mut String, table: &Table) {
    let pad = INDENT;
    print_docs(out, pad, &table.docs);
    print_sql_name(out, pad, table.sql_name.as_ref());
    out.push_str(pad);
    out.push_str(&table.name.to_string());
    if !table.primary_key.is_empty() {
        let _ = write!(out, " ({})", list(&table.primary_key));
    }
    out.push_str(" {\n");
    for column in &table.columns {
        print_column(out, column);
    }
    for fk in &table.foreign_keys {
        print_foreign_key(out, fk);
    }
    out.push_str(pad);
    out.push_str("}\n");
}

fn print_column(out: &mut String, column: &Column) {
    let pad = &INDENT.repeat(2);
    print_docs(out, pad, &column.docs);
    print_sql_name(out, pad, column.sql_name.as_ref());
    let _ = write!(out, "{pad}{} -> {}", column.name, sql_type(&column.ty));
    if let Some(Reference {
        table,
        column,
        name,
    }) = &column.references
    {
        let _ = write!(out, " references {table}({column})");
        if let Some(name) = name {
            let _ = write!(out, " as {name}");
        }
    }
    out.push_str(",\n");
}

fn print_foreign_key(out: &mut String, fk: &ForeignKey) {
    let pad = INDENT.repeat(2);
    let _ = write!(
        out,
        "{pad}foreign key ({}) references {}({})",
        list(&fk.columns),
        fk.table,
        list(&fk.target_columns)
    );
    // A single column's key is named after it when `as` is left out.
    let implied = match fk.columns.as_slice() {
        [column] => default_reference_name(column).unraw() == fk.name.unraw(),
        _ => false,
    };
    if !implied {
        let _ = write!(out, " as {}", fk.name);
    }
    out.push_str(",\n");
}

/// A SQL type as written in `table!`: `Nullable<Array<Text>>`, `my::Citext`.
pub fn sql_type(ty: &SqlType) -> String {
    match ty {
        SqlType::Nullable { inner, .. } => format!("Nullable<{}>", sql_type(inner)),
        SqlType::Array { inner, .. } => format!("Array<{}>", sql_type(inner)),
        SqlType::Builtin(ident) => ident.to_string(),
        SqlType::Custom(path) => render(path),
    }
}

fn print_sql_name(out: &mut String, pad: &str, sql_name: Option<&syn::LitStr>) {
    if let Some(lit) = sql_name {
        let _ = writeln!(out, "{pad}#[sql_name = {}]", lit.token());
    }
}

/// `/// line` per line of each `#[doc = "..."]`; a doc that a line comment
/// cannot carry as is (a line starting with `/`, a control character)
/// keeps its attribute form.
fn print_docs(out: &mut String, pad: &str, docs: &[Attribute]) {
    for attr in docs {
        match doc_text(attr) {
            Some(text) if fits_line_comments(&text) => {
                for line in text.split('\n') {
                    let _ = writeln!(out, "{pad}///{}", line.trim_end());
                }
            }
            _ => {
                let _ = writeln!(out, "{pad}{}", render_attribute(attr));
            }
        }
    }
}

fn doc_text(attr: &Attribute) -> Option<String> {
    match &attr.meta {
        Meta::NameValue(nv) => match &nv.value {
            Expr::Lit(ExprLit {
                lit: Lit::Str(lit), ..
            }) => Some(lit.value()),
            _ => None,
        },
        _ => None,
    }
}

fn fits_line_comments(text: &str) -> bool {
    !text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
        && !text.split('\n').any(|line| line.starts_with('/'))
}

fn render_attribute(attr: &Attribute) -> String {
    match &attr.meta {
        // A literal as written: `render` would squeeze the spaces in it.
        Meta::NameValue(nv) => match &nv.value {
            Expr::Lit(ExprLit { lit, .. }) => {
                format!("#[{} = {}]", render(&nv.path), lit.to_token_stream())
            }
            value => format!("#[{} = {}]", render(&nv.path), render(value)),
        },
        meta => format!("#[{}]", render(meta)),
    }
}

fn list(names: &[syn::Ident]) -> String {
    names
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(src: &str) -> Schema {
        syn::parse_str(src).unwrap_or_else(|e| panic!("parse failed: {e}"))
    }

    /// Printing, parsing the print and printing again changes nothing.
    fn round_trip(src: &str) -> String {
        let printed = print(&parse(src));
        let again = crate::parse_file(&printed).unwrap_or_else(|e| panic!("{e}: {printed}"));
        assert_eq!(print(&again), printed, "not stable:\n{printed}");
        printed
    }

    #[test]
    fn the_whole_grammar() {
        let printed = round_trip(
            r#"
            /// Docs pass through.
            ///
            /// Two paragraphs.
            #[sql_name = "app_users"]
            users (id) {
                /// column docs
                id -> Integer,
                #[sql_name = "e-mail \"work\""]
                email -> Nullable<Text>,
                tags -> Array<Nullable<Text>>,
                kind -> ::my_types::Citext,
                author_id -> Integer references people(id),
                editor_id -> Nullable<Integer> references people(id) as editor_ref,
                r#type -> Text,
                org_id -> Integer,
                team_id -> Integer,
                foreign key (org_id, team_id) references teams(org_id, id) as team,
                foreign key (author_id) references authors(id),
                foreign key (editor_id) references authors(id) as editing,
            }
            tags { label -> Text }
            memberships (user_id, group_id) { user_id -> Integer, group_id -> Integer }
            "#,
        );
        assert_eq!(
            printed,
            r#"quarry::table! {
    /// Docs pass through.
    ///
    /// Two paragraphs.
    #[sql_name = "app_users"]
    users (id) {
        /// column docs
        id -> Integer,
        #[sql_name = "e-mail \"work\""]
        email -> Nullable<Text>,
        tags -> Array<Nullable<Text>>,
        kind -> ::my_types::Citext,
        author_id -> Integer references people(id),
        editor_id -> Nullable<Integer> references people(id) as editor_ref,
        r#type -> Text,
        org_id -> Integer,
        team_id -> Integer,
        foreign key (org_id, team_id) references teams(org_id, id) as team,
        foreign key (author_id) references authors(id),
        foreign key (editor_id) references authors(id) as editing,
    }

    tags {
        label -> Text,
    }

    memberships (user_id, group_id) {
        user_id -> Integer,
        group_id -> Integer,
    }
}
"#
        );
    }

    #[test]
    fn made_docs_print_as_line_comments() {
        let mut schema = parse("t { a -> Integer }");
        schema.tables[0].docs = vec![crate::ast::doc_attribute(" one\n two  \n")];
        schema.tables[0].columns[0].docs = vec![
            crate::ast::doc_attribute("/ starts with a slash"),
            crate::ast::doc_attribute(" bell \u{7}"),
        ];
        let printed = print(&schema);
        assert_eq!(
            printed,
            "quarry::table! {\n    /// one\n    /// two\n    ///\n    t {\n        #[doc = \"/ \
             starts with a slash\"]\n        #[doc = \" bell \\u{7}\"]\n        a -> Integer,\n    \
             }\n}\n"
        );
        assert_eq!(print(&crate::parse_file(&printed).unwrap()), printed);
    }

    #[test]
    fn idents_helper() {
        assert_eq!(crate::ast::ident("users").unwrap(), "users");
        assert_eq!(crate::ast::ident("r#type").unwrap(), "r#type");
        assert!(crate::ast::ident("type").is_none());
        assert!(crate::ast::ident("r#self").is_none());
        assert!(crate::ast::ident("two words").is_none());
        assert!(crate::ast::ident("").is_none());
        assert!(crate::ast::ident("1st").is_none());
    }
}
