//! The literal and its parameters into sqlparser's syntax tree.
//!
//! `{expr}` in the text is a parameter, as in format strings: a captured
//! identifier, any Rust expression, or the name of an argument given after
//! the literal (`sql!("... {min}", min = 5)`). `{{` and `}}` are braces;
//! inside a quoted SQL string or name every brace is text.
//! Each parameter becomes a `$n` placeholder, padded with spaces to the
//! width of its braces so that sqlparser's line and column positions are
//! those of the user's text.

use proc_macro2::{Group, Span, TokenStream, TokenTree};
use sqlparser::ast::Statement;
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::{Parser, ParserError};
use syn::parse::{Parse, ParseStream};
use syn::{Expr, Ident, LitStr, Token};

/// `sql!("text", name = expr, ...)`.
pub struct Input {
    pub lit: LitStr,
    pub args: Vec<(Ident, Expr)>,
}

impl Parse for Input {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let lit: LitStr = input.parse()?;
        let mut args = Vec::new();
        while !input.is_empty() {
            let _: Token![,] = input.parse()?;
            if input.is_empty() {
                break;
            }
            let name: Ident = input.parse()?;
            let _: Token![=] = input.parse()?;
            let value: Expr = input.parse()?;
            args.push((name, value));
        }
        Ok(Input { lit, args })
    }
}

/// A parsed `sql!`: one statement, its parameters and the literal's span.
pub struct Parsed {
    pub statement: Statement,
    /// The Rust expression of placeholder `$n` at index `n - 1`.
    pub params: Vec<TokenStream>,
    /// The SQL literal: every generated token carries its span.
    pub span: Span,
}

/// Splits out the parameters and parses the text.
pub fn parse(input: &Input) -> syn::Result<Parsed> {
    let span = input.lit.span();
    let text = input.lit.value();
    let mut errors: Option<syn::Error> = None;
    let mut push = |e: syn::Error| match &mut errors {
        Some(all) => all.combine(e),
        None => errors = Some(e),
    };
    let mut sql = String::with_capacity(text.len());
    let mut params = Vec::new();
    let mut used = vec![false; input.args.len()];
    let chars: Vec<char> = text.chars().collect();
    let mut quote: Option<char> = None;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '{') if chars.get(i + 1) == Some(&'{') => {
                sql.push('{');
                i += 2;
                continue;
            }
            (None, '}') if chars.get(i + 1) == Some(&'}') => {
                sql.push('}');
                i += 2;
                continue;
            }
            (None, '{') => {
                let Some(len) = chars[i + 1..].iter().position(|&c| c == '}') else {
                    push(syn::Error::new(
                        span,
                        "`{` opens a parameter that is never closed; write `{{` for a brace",
                    ));
                    break;
                };
                let inner: String = chars[i + 1..i + 1 + len].iter().collect();
                match param(&inner, input, &mut used, span) {
                    Ok(tokens) => params.push(tokens),
                    Err(e) => push(e),
                }
                let placeholder = format!("${}", params.len().max(1));
                let width = len + 2;
                sql.push_str(&placeholder);
                for _ in placeholder.len()..width {
                    sql.push(' ');
                }
                i += width;
                continue;
            }
            (None, '}') => push(syn::Error::new(
                span,
                "`}` closes no parameter; write `}}` for a brace",
            )),
            (None, _) => {}
        }
        sql.push(c);
        i += 1;
    }
    for ((name, _), used) in input.args.iter().zip(used) {
        if !used {
            push(syn::Error::new_spanned(
                name,
                format!("argument `{name}` is never used in the SQL text"),
            ));
        }
    }
    if let Some(errors) = errors {
        return Err(errors);
    }
    let statements = Parser::parse_sql(&PostgreSqlDialect {}, &sql)
        .map_err(|e| syn::Error::new(span, syntax_error(&e, &text)))?;
    let statement = match <[Statement; 1]>::try_from(statements) {
        Ok([statement]) => statement,
        Err(statements) => {
            return Err(syn::Error::new(
                span,
                format!("`sql!` takes one SQL statement, found {}", statements.len()),
            ));
        }
    };
    Ok(Parsed {
        statement,
        params,
        span,
    })
}

/// The Rust expression of one `{...}`.
fn param(inner: &str, input: &Input, used: &mut [bool], span: Span) -> syn::Result<TokenStream> {
    let inner = inner.trim();
    if inner.is_empty() {
        return Err(syn::Error::new(
            span,
            "`{}` needs a Rust expression inside, such as `{min}`",
        ));
    }
    if let Some(index) = input.args.iter().position(|(name, _)| name == inner) {
        used[index] = true;
        let value = &input.args[index].1;
        return Ok(quote::quote!((#value)));
    }
    let expr: Expr = syn::parse_str(inner).map_err(|e| {
        syn::Error::new(span, format!("`{{{inner}}}` is not a Rust expression: {e}"))
    })?;
    Ok(respan(quote::quote!((#expr)), span))
}

/// The tokens with `span`: a captured name resolves where the literal was
/// written, as in `format!`, and errors about it point at the literal.
fn respan(tokens: TokenStream, span: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|tt| match tt {
            TokenTree::Group(g) => {
                let mut group = Group::new(g.delimiter(), respan(g.stream(), span));
                group.set_span(span);
                TokenTree::Group(group)
            }
            mut other => {
                other.set_span(span);
                other
            }
        })
        .collect()
}

/// sqlparser's message, with the line of the text it is about and a caret
/// under the column.
fn syntax_error(error: &ParserError, text: &str) -> String {
    let raw = match error {
        ParserError::TokenizerError(m) | ParserError::ParserError(m) => m.clone(),
        ParserError::RecursionLimitExceeded => "the query nests too deeply".to_owned(),
    };
    let mut message = format!("SQL syntax error: {raw}");
    let located = position(&raw)
        .and_then(|(line, column)| Some((text.lines().nth(line.checked_sub(1)?)?, column)));
    if let Some((source, column)) = located {
        let caret = " ".repeat(column.saturating_sub(1));
        message.push_str(&format!("\n  {source}\n  {caret}^"));
    }
    message
}

/// The `Line: l, Column: c` sqlparser puts at the end of its messages.
fn position(message: &str) -> Option<(usize, usize)> {
    let at = message.rfind("Line: ")?;
    let rest = &message[at + "Line: ".len()..];
    let (line, rest) = rest.split_once(", Column: ")?;
    let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some((line.trim().parse().ok()?, column.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(tokens: TokenStream) -> syn::Result<Parsed> {
        parse(&syn::parse2(tokens)?)
    }

    #[test]
    fn parameters_become_placeholders_of_the_same_width() {
        let p = parsed(quote::quote!(
            "SELECT a FROM t WHERE a > {min} AND b = {x.y}"
        ))
        .unwrap();
        assert_eq!(p.params.len(), 2);
        assert_eq!(
            p.statement.to_string(),
            "SELECT a FROM t WHERE a > $1 AND b = $2"
        );
    }

    #[test]
    fn doubled_braces_and_braces_in_strings_are_text() {
        let p = parsed(quote::quote!(
            "SELECT a FROM t WHERE b = '{not a param}' AND c = '{{'"
        ))
        .unwrap();
        assert!(p.params.is_empty());
        assert_eq!(
            p.statement.to_string(),
            "SELECT a FROM t WHERE b = '{not a param}' AND c = '{{'"
        );
    }

    #[test]
    fn named_arguments_are_used_and_unused_ones_reported() {
        let p = parsed(quote::quote!("SELECT a FROM t WHERE a = {n}", n = 1 + 1)).unwrap();
        assert_eq!(p.params[0].to_string(), "(1 + 1)");
        let err = parsed(quote::quote!("SELECT a FROM t", n = 1))
            .err()
            .unwrap();
        assert_eq!(
            err.to_string(),
            "argument `n` is never used in the SQL text"
        );
    }

    #[test]
    fn a_syntax_error_points_at_its_column() {
        let err = parsed(quote::quote!("SELECT a FORM t")).err().unwrap();
        let message = err.to_string();
        assert!(message.starts_with("SQL syntax error: "), "{message}");
        assert!(
            message.ends_with("\n  SELECT a FORM t\n                ^"),
            "{message:?}"
        );
    }
}
