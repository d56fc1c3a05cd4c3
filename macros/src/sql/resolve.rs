//! Names: which table or alias a SQL name means in its FROM clause, and
//! the path of a column. A table is the module `table!` made for it
//! (`posts` is `posts::table`); an alias of a table that appears once in
//! its FROM clause is the table itself, and a later appearance of the same
//! table is a `quarry::alias!`. Whether a column exists is not known here:
//! the checker that `table!` emits answers that (see [`super::table_checker`]).

use std::cell::RefCell;

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote_spanned};
use sqlparser::ast::{Ident as SqlIdent, ObjectName, ObjectNamePart};
use syn::Ident;

/// One table in a FROM clause.
#[derive(Clone)]
pub struct Source {
    /// The `table!` module as the user named it.
    pub module: Ident,
    /// The name the expansion imports it under (see [`import_name`]).
    pub table: Ident,
    /// The name SQL uses for it: its alias, or the table's name.
    pub name: String,
    /// The `alias!` value's variable, when this is the table's second
    /// appearance in its FROM clause.
    pub alias: Option<Ident>,
}

impl Source {
    /// The source as a DSL value: `users::table`, or the alias.
    pub fn value(&self, span: Span) -> TokenStream {
        match &self.alias {
            Some(var) => quote_spanned!(span=> #var),
            None => {
                let table = &self.table;
                quote_spanned!(span=> #table::table)
            }
        }
    }

    /// The column `column` of this source, checked by the table's checker;
    /// `word` is the SQL the user wrote and where, for the message:
    /// "`u.nme` (line 1, column 8)".
    pub fn column(&self, column: &Ident, word: &str, span: Span) -> TokenStream {
        let table = &self.table;
        let word = syn::LitStr::new(word, span);
        let path = quote_spanned!(span=> #table::__quarry_sql_column!([#table] #column #word));
        match &self.alias {
            Some(var) => quote_spanned!(span=> #var.field(#path)),
            None => path,
        }
    }
}

/// The tables of one query, inside the queries that enclose it.
pub struct Scope<'a> {
    pub sources: Vec<Source>,
    pub parent: Option<&'a Scope<'a>>,
    /// Sources of enclosing queries this query's conditions use: it is
    /// correlated with them.
    pub outer: RefCell<Vec<Source>>,
}

/// A column reference, resolved.
pub struct Column {
    pub tokens: TokenStream,
}

impl<'a> Scope<'a> {
    pub fn new(parent: Option<&'a Scope<'a>>) -> Self {
        Scope {
            sources: Vec::new(),
            parent,
            outer: RefCell::new(Vec::new()),
        }
    }

    /// Adds `table` under `alias` (or its own name). The first appearance
    /// of a table is the table; later ones become aliases and must be
    /// named.
    pub fn add(
        &mut self,
        table: &SqlIdent,
        alias: Option<&SqlIdent>,
        span: Span,
    ) -> Result<Source, String> {
        let table_ident = rust_ident(table, span)
            .ok_or_else(|| format!("`{table}` is not a name `sql!` can map to a `table!`"))?;
        let name = normalize(alias.unwrap_or(table));
        if self.sources.iter().any(|s| s.name == name) {
            return Err(format!(
                "`{name}` names two tables in one FROM clause; give one of them another alias"
            ));
        }
        let again = self.sources.iter().any(|s| s.module == table_ident);
        let alias_var = if again {
            let Some(alias) = alias else {
                return Err(format!(
                    "table `{table}` appears twice in one FROM clause; give the second an alias (`{table} AS other`), which becomes a `quarry::alias!`"
                ));
            };
            let alias = rust_ident(alias, span)
                .ok_or_else(|| format!("`{alias}` is not a name `sql!` can use as an alias"))?;
            Some(format_ident!("__quarry_alias_{}", alias, span = span))
        } else {
            None
        };
        let source = Source {
            table: import_name(&table_ident),
            module: table_ident,
            name,
            alias: alias_var,
        };
        self.sources.push(source.clone());
        Ok(source)
    }

    /// The column `parts` names (`title`, `p.title`), or why it cannot be
    /// resolved.
    pub fn column(&self, parts: &[SqlIdent], span: Span) -> Result<Column, String> {
        let word = parts
            .iter()
            .map(|p| p.to_string())
            .collect::<Vec<_>>()
            .join(".");
        let (qualifier, column) = match parts {
            [column] => (None, column),
            [qualifier, column] => (Some(normalize(qualifier)), column),
            _ => return Err(format!("`{word}`: `sql!` reads `column` or `table.column`")),
        };
        let column_ident = rust_ident(column, span)
            .ok_or_else(|| format!("`{column}` is not a name `sql!` can map to a column"))?;
        let at = position(&parts[0]);
        match qualifier {
            None => {
                let mut scope = Some(self);
                let mut depth = 0;
                while let Some(s) = scope {
                    match s.sources.as_slice() {
                        [] => {}
                        [only] => {
                            if depth > 0 {
                                self.correlate(only, &word, &at)?;
                            }
                            return Ok(Column {
                                tokens: only.column(&column_ident, &format!("`{word}`{at}"), span),
                            });
                        }
                        several => {
                            let names = several
                                .iter()
                                .map(|s| format!("`{}.{column}`", s.name))
                                .collect::<Vec<_>>()
                                .join(" or ");
                            return Err(format!(
                                "column `{word}`{at} is not qualified and FROM has {} tables: `sql!` cannot tell which one has it; write {names}",
                                several.len()
                            ));
                        }
                    }
                    scope = s.parent;
                    depth += 1;
                }
                Err(format!(
                    "column `{word}`{at} has no table: the query has no FROM clause"
                ))
            }
            Some(qualifier) => {
                let mut scope = Some(self);
                let mut depth = 0;
                while let Some(s) = scope {
                    if let Some(source) = s.sources.iter().find(|src| src.name == qualifier) {
                        if depth > 0 {
                            self.correlate(source, &word, &at)?;
                        }
                        return Ok(Column {
                            tokens: source.column(&column_ident, &format!("`{word}`{at}"), span),
                        });
                    }
                    scope = s.parent;
                    depth += 1;
                }
                let in_from = self
                    .sources
                    .iter()
                    .map(|s| format!("`{}`", s.name))
                    .collect::<Vec<_>>()
                    .join(", ");
                Err(format!(
                    "column `{word}`{at} is outside the FROM clause: `{qualifier}` is not a table or alias of this query (FROM has {in_from})"
                ))
            }
        }
    }

    /// Records that this query uses `source` of an enclosing query; the
    /// DSL's `correlated_with` cannot tell apart two uses of one table.
    fn correlate(&self, source: &Source, word: &str, at: &str) -> Result<(), String> {
        if self.sources.iter().any(|s| s.module == source.module) {
            return Err(format!(
                "column `{word}`{at} is of the enclosing query's `{}`, and this subquery reads `{}` too: the DSL cannot express a subquery correlated with its own table",
                source.name, source.module
            ));
        }
        let mut outer = self.outer.borrow_mut();
        if !outer.iter().any(|s| s.name == source.name) {
            outer.push(source.clone());
        }
        Ok(())
    }

    /// A source of this query by SQL name, for `t.*`.
    pub fn source(&self, name: &SqlIdent) -> Option<&Source> {
        let name = normalize(name);
        self.sources.iter().find(|s| s.name == name)
    }
}

/// A SQL name as `sql!` compares it: unquoted names fold to lower case,
/// as PostgreSQL does; quoted ones keep theirs.
pub fn normalize(ident: &SqlIdent) -> String {
    match ident.quote_style {
        Some(_) => ident.value.clone(),
        None => ident.value.to_lowercase(),
    }
}

/// The Rust identifier a SQL name maps to, when it is one.
pub fn rust_ident(ident: &SqlIdent, span: Span) -> Option<Ident> {
    let name = normalize(ident);
    let mut chars = name.chars();
    let first = chars.next()?;
    let valid =
        (first.is_alphabetic() || first == '_') && chars.all(|c| c.is_alphanumeric() || c == '_');
    if !valid {
        return None;
    }
    if syn::parse_str::<Ident>(&name).is_ok() {
        Some(Ident::new(&name, span))
    } else {
        Some(Ident::new_raw(&name, span))
    }
}

/// The name a table's module is imported under in the expansion: one
/// `use` per table, so an unknown table is one error, not one per column.
pub fn import_name(module: &Ident) -> Ident {
    use syn::ext::IdentExt;
    format_ident!("__quarry_table_{}", module.unraw(), span = module.span())
}

/// The one part of `name`, when it has one.
pub fn single(name: &ObjectName) -> Option<&SqlIdent> {
    match name.0.as_slice() {
        [ObjectNamePart::Identifier(ident)] => Some(ident),
        _ => None,
    }
}

/// " (line 1, column 23)" for a word sqlparser located.
pub fn position(ident: &SqlIdent) -> String {
    let start = ident.span.start;
    if start.line == 0 {
        String::new()
    } else {
        format!(" (line {}, column {})", start.line, start.column)
    }
}
