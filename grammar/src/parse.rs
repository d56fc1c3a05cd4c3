//! Parsing `table!` input into the [`ast`](crate::ast) tree.
//!
//! Broken structure (a missing `->`, an unclosed `<`) stops the parse at the
//! first such token, as `syn` does. Everything that leaves the structure
//! intact — a bad attribute, a Rust type where an SQL type belongs, a
//! composite `foreign key` without `as name` — is recorded and parsing goes
//! on, so one compile shows all of them.

use proc_macro2::{Delimiter, Punct, Spacing, Span, TokenStream, TokenTree};
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream};
use syn::{
    Attribute, Error, Expr, ExprLit, Ident, Lit, LitStr, Meta, Result, Token, braced,
    parenthesized, token,
};

use crate::ast::{Column, ForeignKey, Reference, Schema, SqlType, Table};
use crate::validate::{default_reference_name, suggest_sql_type, unknown_type_message};

/// Errors gathered while going on, reported together.
#[derive(Default)]
pub(crate) struct Errors(Option<Error>);

impl Errors {
    pub(crate) fn push(&mut self, error: Error) {
        match &mut self.0 {
            Some(errors) => errors.combine(error),
            None => self.0 = Some(error),
        }
    }

    /// The errors so far followed by `error`, which ended the parse.
    fn fail(mut self, error: Error) -> Error {
        self.push(error);
        self.0.expect("just pushed")
    }

    pub(crate) fn finish<T>(self, value: T) -> Result<T> {
        match self.0 {
            Some(errors) => Err(errors),
            None => Ok(value),
        }
    }
}

/// Tokens whose first span is `start` and last is `end`, for
/// `Error::new_spanned` to underline everything between them.
pub(crate) fn span_range(start: Span, end: Span) -> TokenStream {
    [start, end]
        .into_iter()
        .map(|span| {
            let mut punct = Punct::new('#', Spacing::Alone);
            punct.set_span(span);
            TokenTree::Punct(punct)
        })
        .collect()
}

/// Tokens as the user would write them: `Vec<u8>`, not `Vec < u8 >`.
pub fn render(tokens: &impl ToTokens) -> String {
    let spaced = tokens.to_token_stream().to_string();
    let word = |c: char| c.is_alphanumeric() || c == '_' || c == '\'' || c == '"';
    let chars: Vec<char> = spaced.chars().collect();
    let mut out = String::with_capacity(spaced.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            let before = out.chars().last();
            let after = chars.get(i + 1).is_some_and(|&c| word(c));
            if !(before == Some(',') || before.is_some_and(word) && after) {
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// A SQL type written on its own, as in `--map-type citext=Text`: parsed
/// and checked as a column's type would be.
pub fn parse_sql_type(src: &str) -> Result<SqlType> {
    let parser = |input: ParseStream| {
        let mut errors = Errors::default();
        let column = Ident::new("column", Span::call_site());
        let ty = parse_type(input, &column, &mut errors)?;
        if !input.is_empty() {
            return Err(errors.fail(input.error(format!(
                "expected one SQL type, like `Text` or `Array<Integer>`{}",
                found(input)
            ))));
        }
        crate::validate::check_sql_type(&ty, &mut errors);
        errors.finish(ty)
    };
    syn::parse::Parser::parse_str(parser, src)
}

/// Every `table!` call at the top level of a Rust file (`quarry::table!`
/// or a bare `table!`), as one schema: how a printed file reads back.
pub fn parse_file(src: &str) -> Result<Schema> {
    let file = syn::parse_file(src)?;
    let mut tables = Vec::new();
    for item in file.items {
        if let syn::Item::Macro(item) = item
            && item
                .mac
                .path
                .segments
                .last()
                .is_some_and(|s| s.ident == "table")
        {
            tables.extend(syn::parse2::<Schema>(item.mac.tokens)?.tables);
        }
    }
    Ok(Schema { tables })
}

impl Parse for Schema {
    fn parse(input: ParseStream) -> Result<Self> {
        let mut errors = Errors::default();
        let mut tables = Vec::new();
        while !input.is_empty() {
            match parse_table(input, &mut errors) {
                Ok(table) => tables.push(table),
                Err(error) => return Err(errors.fail(error)),
            }
        }
        if tables.is_empty() {
            errors.push(Error::new(
                Span::call_site(),
                "`table!` needs at least one table, like `users (id) { id -> Integer, }`",
            ));
        }
        errors.finish(Schema { tables })
    }
}

fn parse_table(input: ParseStream, errors: &mut Errors) -> Result<Table> {
    let attrs = input.call(Attribute::parse_outer)?;
    let name = parse_name(input, "a table name, like `users (id) { ... }`")?;
    let (docs, sql_name) = parse_attrs(attrs, &format!("table `{name}`"), errors);

    let mut primary_key = Vec::new();
    if input.peek(token::Paren) {
        let content;
        let paren = parenthesized!(content in input);
        primary_key = parse_name_list(&content, "a primary key column")?;
        if primary_key.is_empty() {
            errors.push(Error::new(
                paren.span.join(),
                format!(
                    "empty primary key list; write `{name} {{ ... }}` for a table without a \
                     primary key"
                ),
            ));
        }
    }

    if !input.peek(token::Brace) {
        return Err(input.error(format!(
            "expected `{{` and the columns of table `{name}`, like `{name} (id) {{ id -> Integer, }}`"
        )));
    }
    let body;
    braced!(body in input);

    let mut columns = Vec::new();
    let mut foreign_keys = Vec::new();
    while !body.is_empty() {
        let attrs = body.call(Attribute::parse_outer)?;
        let item = if peek_foreign_key(&body) {
            let fk = parse_foreign_key(&body, attrs, errors)?;
            foreign_keys.push(fk);
            "the `foreign key` line".to_owned()
        } else {
            let column = parse_column(&body, attrs, errors)?;
            let item = format!("column `{}`", column.name);
            if column.references.is_none() && body.peek(Ident::peek_any) {
                return Err(body.error(format!(
                    "expected `,` or `references table(column)` after the type of {item}{}",
                    found(&body)
                )));
            }
            columns.push(column);
            item
        };
        if body.is_empty() {
            break;
        }
        if !body.peek(Token![,]) {
            return Err(body.error(format!("expected `,` after {item}{}", found(&body))));
        }
        body.parse::<Token![,]>()?;
    }

    Ok(Table {
        docs,
        sql_name,
        name,
        primary_key,
        columns,
        foreign_keys,
    })
}

fn parse_column(input: ParseStream, attrs: Vec<Attribute>, errors: &mut Errors) -> Result<Column> {
    let name = parse_name(
        input,
        "a column name or `foreign key (...) references table(...)`",
    )?;
    let (docs, sql_name) = parse_attrs(attrs, &format!("column `{name}`"), errors);

    if !input.peek(Token![->]) {
        let message = format!("expected `->` between column `{name}` and its SQL type");
        return Err(if input.is_empty() {
            Error::new(name.span(), message)
        } else {
            input.error(message)
        });
    }
    input.parse::<Token![->]>()?;
    let ty = parse_type(input, &name, errors)?;

    let references = if peek_word(input, "references") {
        Some(parse_reference(input, errors)?)
    } else {
        None
    };

    Ok(Column {
        docs,
        sql_name,
        name,
        ty,
        references,
    })
}

/// `Integer`, `Nullable<T>`, `Array<T>`, `my_types::Citext`.
fn parse_type(input: ParseStream, column: &Ident, errors: &mut Errors) -> Result<SqlType> {
    if input.peek(Ident) && input.peek2(Token![<]) {
        let wrapper = input.fork().parse::<Ident>()?;
        if wrapper == "Nullable" || wrapper == "Array" {
            input.parse::<Ident>()?;
            input.parse::<Token![<]>()?;
            let inner = Box::new(parse_type(input, column, errors)?);
            if !input.peek(Token![>]) {
                return Err(input.error(format!(
                    "expected `>` to close `{wrapper}<` in the type of column `{column}`"
                )));
            }
            input.parse::<Token![>]>()?;
            let span = wrapper.span();
            return Ok(if wrapper == "Nullable" {
                SqlType::Nullable { span, inner }
            } else {
                SqlType::Array { span, inner }
            });
        }
    }

    let starts_path = input.peek(Ident)
        || input.peek(Token![::])
        || input.peek(Token![crate])
        || input.peek(Token![self])
        || input.peek(Token![super])
        || input.peek(Token![Self]);
    if starts_path {
        let path: syn::Path = input.parse()?;
        let single = path.leading_colon.is_none() && path.segments.len() == 1;
        if !single {
            return Ok(SqlType::Custom(path));
        }
        let segment = &path.segments[0];
        if segment.arguments.is_none() {
            return Ok(SqlType::Builtin(segment.ident.clone()));
        }
        // `Vec<u8>`, `Option<Text>`: Rust types, or a misspelled wrapper.
        let placeholder = segment.ident.clone();
        let ty = syn::Type::Path(syn::TypePath { qself: None, path });
        let suggestion = suggest_sql_type(&ty);
        errors.push(Error::new_spanned(
            &ty,
            unknown_type_message(&render(&ty), suggestion.as_deref()),
        ));
        return Ok(SqlType::Builtin(placeholder));
    }

    if input.peek(Token![&]) || input.peek(token::Bracket) || input.peek(token::Paren) {
        // `&str`, `[u8]`, `(i32, i32)`: Rust types.
        let ty: syn::Type = input.parse()?;
        let suggestion = suggest_sql_type(&ty);
        errors.push(Error::new_spanned(
            &ty,
            unknown_type_message(&render(&ty), suggestion.as_deref()),
        ));
        return Ok(SqlType::Builtin(column.clone()));
    }

    Err(input.error(format!(
        "expected the SQL type of column `{column}`, like `Integer` or `Nullable<Text>`{}",
        found(input)
    )))
}

/// `references people(id) [as author]`, after a column's type.
fn parse_reference(input: ParseStream, errors: &mut Errors) -> Result<Reference> {
    input.call(Ident::parse_any)?; // `references`
    let table = parse_name(
        input,
        "the referenced table's name, like `references users(id)`",
    )?;
    if !input.peek(token::Paren) {
        return Err(input.error(format!(
            "expected the referenced column in parentheses: `references {table}(id)`"
        )));
    }
    let content;
    let paren = parenthesized!(content in input);
    let columns = parse_name_list(&content, &format!("a column of `{table}`"))?;
    let column = match <[Ident; 1]>::try_from(columns) {
        Ok([column]) => column,
        Err(columns) => {
            errors.push(Error::new(
                paren.span.join(),
                if columns.is_empty() {
                    format!("expected the referenced column: `references {table}(id)`")
                } else {
                    "a column's `references` names one column; declare a composite key with a \
                     line of its own: `foreign key (a, b) references table(x, y) as name,`"
                        .to_owned()
                },
            ));
            columns.into_iter().next().unwrap_or_else(|| table.clone())
        }
    };
    let name = if input.peek(Token![as]) {
        input.parse::<Token![as]>()?;
        Some(parse_name(input, "a name for the reference after `as`")?)
    } else {
        None
    };
    Ok(Reference {
        table,
        column,
        name,
    })
}

/// `foreign key (a, b) references other(x, y) [as name]`.
fn parse_foreign_key(
    input: ParseStream,
    attrs: Vec<Attribute>,
    errors: &mut Errors,
) -> Result<ForeignKey> {
    let foreign = input.call(Ident::parse_any)?;
    input.call(Ident::parse_any)?; // `key`
    let content;
    parenthesized!(content in input);
    let columns = parse_name_list(&content, "a column of this table")?;

    // The AST has no room for docs here; they are accepted and dropped.
    for attr in attrs.iter().filter(|attr| !attr.path().is_ident("doc")) {
        errors.push(Error::new_spanned(
            attr,
            format!(
                "unknown attribute `#[{}]` on a `foreign key` line; it takes no attributes",
                render(attr.path())
            ),
        ));
    }

    if !peek_word(input, "references") {
        return Err(input.error(format!(
            "expected `references table(...)` after `foreign key ({})`{}",
            render(&columns_tokens(&columns)),
            found(input)
        )));
    }
    input.call(Ident::parse_any)?;
    let table = parse_name(input, "the referenced table's name")?;
    if !input.peek(token::Paren) {
        return Err(input.error(format!(
            "expected the referenced columns in parentheses: `references {table}(...)`"
        )));
    }
    let content;
    let paren = parenthesized!(content in input);
    let target_columns = parse_name_list(&content, &format!("a column of `{table}`"))?;

    let name = if input.peek(Token![as]) {
        input.parse::<Token![as]>()?;
        parse_name(input, "a name for the foreign key after `as`")?
    } else if let [column] = columns.as_slice() {
        default_reference_name(column)
    } else {
        errors.push(Error::new_spanned(
            span_range(foreign.span(), paren.span.close()),
            format!(
                "a composite foreign key needs a name: add `as name` after `references \
                 {table}({})`",
                render(&columns_tokens(&target_columns))
            ),
        ));
        foreign.clone()
    };

    Ok(ForeignKey {
        span: foreign.span(),
        columns,
        table,
        target_columns,
        name,
    })
}

fn columns_tokens(columns: &[Ident]) -> TokenStream {
    let mut tokens = TokenStream::new();
    for (i, column) in columns.iter().enumerate() {
        if i > 0 {
            <Token![,]>::default().to_tokens(&mut tokens);
        }
        column.to_tokens(&mut tokens);
    }
    tokens
}

/// Splits `#[doc]` from `#[sql_name = "..."]`; anything else is an error
/// naming it. `item` is what the attributes are on: "column `email`".
fn parse_attrs(
    attrs: Vec<Attribute>,
    item: &str,
    errors: &mut Errors,
) -> (Vec<Attribute>, Option<LitStr>) {
    let mut docs = Vec::new();
    let mut sql_name: Option<LitStr> = None;
    for attr in attrs {
        if attr.path().is_ident("doc") {
            docs.push(attr);
        } else if attr.path().is_ident("sql_name") {
            let lit = match &attr.meta {
                Meta::NameValue(nv) => match &nv.value {
                    Expr::Lit(ExprLit {
                        lit: Lit::Str(lit), ..
                    }) => Some(lit.clone()),
                    other => {
                        errors.push(Error::new_spanned(
                            other,
                            format!(
                                "`#[sql_name]` takes a string literal: `#[sql_name = \"...\"]`, \
                                 not `{}`",
                                render(other)
                            ),
                        ));
                        None
                    }
                },
                _ => {
                    errors.push(Error::new_spanned(
                        &attr,
                        "`#[sql_name]` takes a string literal: `#[sql_name = \"...\"]`",
                    ));
                    None
                }
            };
            let Some(lit) = lit else { continue };
            if lit.value().is_empty() {
                errors.push(Error::new_spanned(
                    &lit,
                    format!("`#[sql_name]` of {item} is empty; give the SQL name"),
                ));
            } else if sql_name.is_some() {
                errors.push(Error::new_spanned(
                    &attr,
                    format!("duplicate `#[sql_name]` on {item}"),
                ));
            } else {
                sql_name = Some(lit);
            }
        } else {
            errors.push(Error::new_spanned(
                &attr,
                format!(
                    "unknown attribute `#[{}]` on {item}; `table!` accepts only doc comments \
                     and `#[sql_name = \"...\"]`",
                    render(attr.path())
                ),
            ));
        }
    }
    (docs, sql_name)
}

/// An identifier, raw or not; a keyword gets a message saying how to use it.
fn parse_name(input: ParseStream, expected: &str) -> Result<Ident> {
    if input.peek(Ident) {
        return input.parse();
    }
    if input.peek(Ident::peek_any) {
        let keyword = input.call(Ident::parse_any)?;
        let how = match keyword.to_string().as_str() {
            "self" | "Self" | "super" | "crate" | "_" => "choose another name".to_owned(),
            word => format!("write `r#{word}` to use it as a name"),
        };
        return Err(Error::new(
            keyword.span(),
            format!("expected {expected}, found keyword `{keyword}`; {how}"),
        ));
    }
    Err(input.error(format!("expected {expected}{}", found(input))))
}

/// `a, b, c` with an optional trailing comma: the rest of a parenthesised group.
fn parse_name_list(content: ParseStream, expected: &str) -> Result<Vec<Ident>> {
    let mut names = Vec::new();
    while !content.is_empty() {
        names.push(parse_name(content, expected)?);
        if content.is_empty() {
            break;
        }
        if !content.peek(Token![,]) {
            return Err(content.error(format!("expected `,` or `)`{}", found(content))));
        }
        content.parse::<Token![,]>()?;
    }
    Ok(names)
}

/// `foreign key (`: only then is `foreign` not a column's name.
fn peek_foreign_key(input: ParseStream) -> bool {
    let cursor = input.cursor();
    let Some((foreign, rest)) = cursor.ident() else {
        return false;
    };
    let Some((key, rest)) = rest.ident() else {
        return false;
    };
    foreign == "foreign" && key == "key" && rest.group(Delimiter::Parenthesis).is_some()
}

/// Whether the next token is the (non-keyword) identifier `word`.
fn peek_word(input: ParseStream, word: &str) -> bool {
    input
        .cursor()
        .ident()
        .is_some_and(|(ident, _)| ident == word)
}

/// ", found `x`" for a short next token, to say what stood where.
fn found(input: ParseStream) -> String {
    match input.cursor().token_tree() {
        Some((TokenTree::Group(_), _)) | None => String::new(),
        Some((token, _)) => format!(", found `{token}`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(src: &str) -> Result<Schema> {
        syn::parse_str(src)
    }

    /// Every message of a failed parse, in order.
    fn messages(src: &str) -> Vec<String> {
        match parse(src) {
            Ok(_) => panic!("expected errors for {src}"),
            Err(errors) => errors.into_iter().map(|e| e.to_string()).collect(),
        }
    }

    /// The source text each error points at, when proc-macro2 tracks
    /// locations (its `span-locations` feature); `None` entries otherwise.
    fn spans(src: &str) -> Vec<Option<String>> {
        parse(src)
            .expect_err("expected errors")
            .into_iter()
            .map(|e| e.span().source_text())
            .collect()
    }

    fn assert_spans(src: &str, expected: &[&str]) {
        let spans = spans(src);
        assert_eq!(spans.len(), expected.len(), "{spans:?}");
        for (span, expected) in spans.iter().zip(expected) {
            if let Some(span) = span {
                assert_eq!(span, expected);
            }
        }
    }

    fn single(src: &str) -> String {
        let messages = messages(src);
        assert_eq!(messages.len(), 1, "{messages:?}");
        messages.into_iter().next().unwrap()
    }

    fn type_name(ty: &SqlType) -> String {
        match ty {
            SqlType::Nullable { inner, .. } => format!("Nullable<{}>", type_name(inner)),
            SqlType::Array { inner, .. } => format!("Array<{}>", type_name(inner)),
            SqlType::Builtin(ident) => format!("builtin {ident}"),
            SqlType::Custom(path) => format!("custom {}", render(path)),
        }
    }

    #[test]
    fn full_grammar() {
        let schema: Schema = syn::parse2(quote::quote! {
            /// Docs pass through.
            #[sql_name = "app_users"]
            users (id) {
                /// column docs
                id -> Integer,
                #[sql_name = "e_mail"]
                email -> Nullable<Text>,
                tags -> Array<Text>,
                kind -> my_types::Citext,
                author_id -> Integer references people(id),
                editor_id -> Nullable<Integer> references people(id) as editor_ref,
                foreign key (org_id, team_id) references teams(org_id, id) as team,
            }
            tags { label -> Text, }
            memberships (user_id, group_id) { user_id -> Integer, group_id -> Integer }
        })
        .unwrap();

        assert_eq!(schema.tables.len(), 3);
        let users = &schema.tables[0];
        assert_eq!(users.name, "users");
        assert_eq!(users.docs.len(), 1);
        assert_eq!(users.sql_name.as_ref().unwrap().value(), "app_users");
        assert_eq!(users.primary_key, ["id"]);

        let names: Vec<_> = users.columns.iter().map(|c| c.name.to_string()).collect();
        assert_eq!(
            names,
            ["id", "email", "tags", "kind", "author_id", "editor_id"]
        );
        let types: Vec<_> = users.columns.iter().map(|c| type_name(&c.ty)).collect();
        assert_eq!(
            types,
            [
                "builtin Integer",
                "Nullable<builtin Text>",
                "Array<builtin Text>",
                "custom my_types::Citext",
                "builtin Integer",
                "Nullable<builtin Integer>",
            ]
        );
        assert_eq!(users.columns[0].docs.len(), 1);
        assert_eq!(
            users.columns[1].sql_name.as_ref().unwrap().value(),
            "e_mail"
        );

        let author = users.columns[4].references.as_ref().unwrap();
        assert_eq!(author.table, "people");
        assert_eq!(author.column, "id");
        assert!(author.name.is_none());
        let editor = users.columns[5].references.as_ref().unwrap();
        assert_eq!(editor.name.as_ref().unwrap(), "editor_ref");
        assert!(users.columns[0].references.is_none());

        let [fk] = users.foreign_keys.as_slice() else {
            panic!("one foreign key")
        };
        assert_eq!(fk.columns, ["org_id", "team_id"]);
        assert_eq!(fk.table, "teams");
        assert_eq!(fk.target_columns, ["org_id", "id"]);
        assert_eq!(fk.name, "team");

        assert!(schema.tables[1].primary_key.is_empty());
        assert_eq!(schema.tables[2].primary_key, ["user_id", "group_id"]);
        assert_eq!(schema.tables[2].columns.len(), 2);
    }

    #[test]
    fn nested_wrappers_and_paths() {
        let schema = parse(
            "t { a -> Nullable<Array<Nullable<Text>>>, b -> ::x::Y, c -> crate::types::Z, \
             d -> Nullable<my::Ty>, }",
        )
        .unwrap();
        let types: Vec<_> = schema.tables[0]
            .columns
            .iter()
            .map(|c| type_name(&c.ty))
            .collect();
        assert_eq!(
            types,
            [
                "Nullable<Array<Nullable<builtin Text>>>",
                "custom ::x::Y",
                "custom crate::types::Z",
                "Nullable<custom my::Ty>",
            ]
        );
    }

    #[test]
    fn column_named_foreign_and_key() {
        let schema =
            parse("t { foreign -> Integer, key -> Text, foreign_key -> Integer }").unwrap();
        assert_eq!(schema.tables[0].columns.len(), 3);
        assert!(schema.tables[0].foreign_keys.is_empty());
    }

    #[test]
    fn raw_identifiers() {
        let schema = parse("r#type (r#type) { r#type -> Text }").unwrap();
        assert_eq!(schema.tables[0].name, "r#type");
        assert_eq!(schema.tables[0].columns[0].name, "r#type");
    }

    #[test]
    fn single_column_foreign_key_gets_default_name() {
        let schema =
            parse("t { author_id -> Integer, foreign key (author_id) references people(id) }")
                .unwrap();
        assert_eq!(schema.tables[0].foreign_keys[0].name, "author");
    }

    #[test]
    fn docs_on_foreign_key_are_accepted() {
        let schema =
            parse("t { a -> Integer, /// why\n foreign key (a) references o(id) as o_ref, }")
                .unwrap();
        assert_eq!(schema.tables[0].foreign_keys.len(), 1);
    }

    #[test]
    fn empty_input() {
        assert_eq!(
            single(""),
            "`table!` needs at least one table, like `users (id) { id -> Integer, }`"
        );
    }

    #[test]
    fn missing_arrow() {
        let src = "posts { title Text }";
        assert_eq!(
            single(src),
            "expected `->` between column `title` and its SQL type"
        );
        assert_spans(src, &["Text"]);

        let src = "posts { title }";
        assert_eq!(
            single(src),
            "expected `->` between column `title` and its SQL type"
        );
        assert_spans(src, &["title"]);

        assert_eq!(
            single("posts { title: Text }"),
            "expected `->` between column `title` and its SQL type"
        );
    }

    #[test]
    fn missing_comma() {
        let src = "posts { id -> Integer title -> Text }";
        assert_eq!(
            single(src),
            "expected `,` or `references table(column)` after the type of column `id`, found \
             `title`"
        );
        assert_spans(src, &["title"]);

        assert_eq!(
            single("posts { id -> Integer references u(id) title -> Text }"),
            "expected `,` after column `id`, found `title`"
        );
        assert_eq!(
            single("posts { id -> Integer; }"),
            "expected `,` after column `id`, found `;`"
        );
        assert_eq!(
            single("posts { a -> Integer, foreign key (a) references o(id) b -> Text }"),
            "expected `,` after the `foreign key` line, found `b`"
        );
    }

    #[test]
    fn missing_type() {
        assert_eq!(
            single("posts { title -> , }"),
            "expected the SQL type of column `title`, like `Integer` or `Nullable<Text>`, found `,`"
        );
        assert_eq!(
            single("posts { title -> Nullable<Text }"),
            "unexpected end of input, expected `>` to close `Nullable<` in the type of column `title`"
        );
    }

    #[test]
    fn missing_body() {
        assert_eq!(
            single("posts (id)"),
            "unexpected end of input, expected `{` and the columns of table `posts`, like `posts \
             (id) { id -> Integer, }`"
        );
        assert_eq!(
            single("\"posts\" { }"),
            "expected a table name, like `users (id) { ... }`, found `\"posts\"`"
        );
    }

    #[test]
    fn keywords_as_names() {
        let src = "posts { type -> Text }";
        assert_eq!(
            single(src),
            "expected a column name or `foreign key (...) references table(...)`, found keyword \
             `type`; write `r#type` to use it as a name"
        );
        assert_spans(src, &["type"]);
        assert_eq!(
            single("self { a -> Text }"),
            "expected a table name, like `users (id) { ... }`, found keyword `self`; choose \
             another name"
        );
    }

    #[test]
    fn empty_primary_key_list() {
        let src = "posts () { id -> Integer }";
        assert_eq!(
            single(src),
            "empty primary key list; write `posts { ... }` for a table without a primary key"
        );
        assert_spans(src, &["()"]);
    }

    #[test]
    fn bad_primary_key_list() {
        assert_eq!(
            single("posts (id; x) { id -> Integer }"),
            "expected `,` or `)`, found `;`"
        );
        assert_eq!(
            single("posts (\"id\") { id -> Integer }"),
            "expected a primary key column, found `\"id\"`"
        );
    }

    #[test]
    fn attributes() {
        let src = r#"
            #[serde(rename = "x")]
            #[sql_name = "a"]
            posts {
                #[sql_name(b)]
                a -> Integer,
                #[sql_name = 5]
                b -> Integer,
                #[sql_name = ""]
                c -> Integer,
                #[sql_name = "x"]
                #[sql_name = "y"]
                d -> Integer,
                #[sql_name]
                e -> Integer,
                #[allow(dead_code)]
                f -> Integer,
            }
        "#;
        assert_eq!(
            messages(src),
            [
                "unknown attribute `#[serde]` on table `posts`; `table!` accepts only doc \
                 comments and `#[sql_name = \"...\"]`",
                "`#[sql_name]` takes a string literal: `#[sql_name = \"...\"]`",
                "`#[sql_name]` takes a string literal: `#[sql_name = \"...\"]`, not `5`",
                "`#[sql_name]` of column `c` is empty; give the SQL name",
                "duplicate `#[sql_name]` on column `d`",
                "`#[sql_name]` takes a string literal: `#[sql_name = \"...\"]`",
                "unknown attribute `#[allow]` on column `f`; `table!` accepts only doc comments \
                 and `#[sql_name = \"...\"]`",
            ]
        );
        assert_spans(
            src,
            &[
                "#[serde(rename = \"x\")]",
                "#[sql_name(b)]",
                "5",
                "\"\"",
                "#[sql_name = \"y\"]",
                "#[sql_name]",
                "#[allow(dead_code)]",
            ],
        );
    }

    #[test]
    fn attribute_errors_come_with_a_later_syntax_error() {
        assert_eq!(
            messages("posts { #[serde] a -> Integer, b Text }"),
            [
                "unknown attribute `#[serde]` on column `a`; `table!` accepts only doc comments \
                 and `#[sql_name = \"...\"]`",
                "expected `->` between column `b` and its SQL type",
            ]
        );
    }

    #[test]
    fn rust_types_get_hints() {
        let src = "posts { a -> Vec<u8>, b -> Option<String>, c -> &str, d -> Vec<i64>, e -> \
                   Nulable<Text>, f -> HashMap<K, V>, g -> [u8] }";
        let expected = "expected one of SmallInt, Integer, BigInt, Float, Double, Numeric, Text, \
                        Bool, Binary, Date, Time, Timestamp, Timestamptz, Uuid, Json, \
                        `Nullable<T>`, `Array<T>`, or a path to a custom type like \
                        `my_types::Citext`";
        assert_eq!(
            messages(src),
            [
                format!("unknown SQL type `Vec<u8>`; did you mean `Binary`? {expected}"),
                format!(
                    "unknown SQL type `Option<String>`; did you mean `Nullable<Text>`? {expected}"
                ),
                format!("unknown SQL type `&str`; did you mean `Text`? {expected}"),
                format!("unknown SQL type `Vec<i64>`; did you mean `Array<BigInt>`? {expected}"),
                format!(
                    "unknown SQL type `Nulable<Text>`; did you mean `Nullable<Text>`? {expected}"
                ),
                format!("unknown SQL type `HashMap<K, V>`; {expected}"),
                format!("unknown SQL type `[u8]`; did you mean `Binary`? {expected}"),
            ]
        );
        assert_spans(
            src,
            &[
                "Vec<u8>",
                "Option<String>",
                "&str",
                "Vec<i64>",
                "Nulable<Text>",
                "HashMap<K, V>",
                "[u8]",
            ],
        );
    }

    #[test]
    fn column_references() {
        assert_eq!(
            single("posts { a -> Integer references people }"),
            "unexpected end of input, expected the referenced column in parentheses: `references people(id)`"
        );
        let src =
            "posts { a -> Integer references people(x, y), b -> Integer references people() }";
        assert_eq!(
            messages(src),
            [
                "a column's `references` names one column; declare a composite key with a line \
                 of its own: `foreign key (a, b) references table(x, y) as name,`",
                "expected the referenced column: `references people(id)`",
            ]
        );
        assert_spans(src, &["(x, y)", "()"]);
        assert_eq!(
            single("posts { a -> Integer references people(id) as }"),
            "unexpected end of input, expected a name for the reference after `as`"
        );
    }

    #[test]
    fn foreign_keys() {
        let src = "posts { a -> Integer, b -> Integer, foreign key (a, b) references o(x, y), }";
        assert_eq!(
            single(src),
            "a composite foreign key needs a name: add `as name` after `references o(x, y)`"
        );
        assert_spans(src, &["foreign key (a, b) references o(x, y)"]);

        assert_eq!(
            single("posts { a -> Integer, foreign key (a) o(x) }"),
            "expected `references table(...)` after `foreign key (a)`, found `o`"
        );
        assert_eq!(
            single("posts { a -> Integer, foreign key (a) references o }"),
            "unexpected end of input, expected the referenced columns in parentheses: `references o(...)`"
        );
        let src = "posts { a -> Integer, #[serde] foreign key (a) references o(x) }";
        assert_eq!(
            single(src),
            "unknown attribute `#[serde]` on a `foreign key` line; it takes no attributes"
        );
        assert_spans(src, &["#[serde]"]);
    }

    #[test]
    fn render_tokens() {
        assert_eq!(render(&quote::quote!(Vec<u8>)), "Vec<u8>");
        assert_eq!(render(&quote::quote!(my::Ty<A, B>)), "my::Ty<A, B>");
        assert_eq!(render(&quote::quote!(&'a str)), "&'a str");
    }
}
