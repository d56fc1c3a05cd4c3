//! From the model to `table!`'s syntax tree: Rust names for SQL names,
//! quarry types for database types, references for foreign keys, and notes
//! (defaults, views, missing keys) as doc comments.

use std::collections::HashSet;

use proc_macro2::Span;
use quarry_grammar::ast::{self, Reference, Schema, SqlType, doc_attribute};
use quarry_grammar::validate::{RESERVED_NAMES, default_reference_name};
use regex::Regex;
use syn::ext::IdentExt;
use syn::{Ident, LitStr};

use crate::error::{Error, UnknownType};
use crate::model::{Database, Default, Dialect, Kind, Table};
use crate::types::{Mappings, nullable, resolve};

/// Tables that hold migration bookkeeping: quarry's and Diesel's.
pub const BOOKKEEPING: &[&str] = &["__quarry_migrations", "__diesel_schema_migrations"];

/// `--only-tables` and `--except-tables`, each matched against a table's
/// whole SQL name.
#[derive(Debug, Default)]
pub struct Filters {
    only: Vec<Regex>,
    except: Vec<Regex>,
}

impl Filters {
    pub fn new(only: &[String], except: &[String]) -> Result<Filters, Error> {
        let compile = |patterns: &[String]| {
            patterns
                .iter()
                .map(|pattern| {
                    Regex::new(&format!("^(?:{pattern})$")).map_err(|source| Error::BadPattern {
                        pattern: pattern.clone(),
                        source,
                    })
                })
                .collect::<Result<Vec<_>, _>>()
        };
        Ok(Filters {
            only: compile(only)?,
            except: compile(except)?,
        })
    }

    /// Whether `name` is printed: matched by `--only-tables` when given,
    /// not by `--except-tables`, and not migration bookkeeping (which only
    /// `--only-tables` naming it brings back).
    pub fn keeps(&self, name: &str) -> bool {
        if BOOKKEEPING.contains(&name) && !self.only.iter().any(|re| re.is_match(name)) {
            return false;
        }
        (self.only.is_empty() || self.only.iter().any(|re| re.is_match(name)))
            && !self.except.iter().any(|re| re.is_match(name))
    }

    fn is_empty(&self) -> bool {
        self.only.is_empty() && self.except.is_empty()
    }
}

/// The printed tables, sorted by SQL name, as `table!`'s syntax tree.
pub fn to_schema(
    db: Database,
    dialect: Dialect,
    mappings: &Mappings,
    filters: &Filters,
) -> Result<Schema, Error> {
    let found = db.tables.len();
    let mut tables: Vec<Table> = db
        .tables
        .into_iter()
        .filter(|t| filters.keeps(&t.name) && !t.columns.is_empty())
        .collect();
    // By the name the user reads (`Settings` among the `s`), then exactly.
    tables.sort_by_cached_key(|t| {
        (
            rust_name(&t.name).trim_start_matches("r#").to_owned(),
            t.name.clone(),
        )
    });
    if tables.is_empty() {
        return Err(Error::NoTables(if found > 0 && !filters.is_empty() {
            format!(
                "none of the {found} tables and views matches `--only-tables` / `--except-tables`"
            )
        } else {
            "the database has no tables or views to print".to_owned()
        }));
    }

    let mut taken_tables = HashSet::new();
    let table_names: Vec<Ident> = tables
        .iter()
        .map(|t| unique_ident(&rust_name(&t.name), &mut taken_tables))
        .collect();
    let column_names: Vec<Vec<Ident>> = tables
        .iter()
        .map(|t| {
            let mut taken: HashSet<String> = RESERVED_NAMES.iter().map(|s| s.to_string()).collect();
            t.columns
                .iter()
                .map(|c| {
                    // `table` is `table_`, as `table!` suggests.
                    let name = rust_name(&c.name);
                    let name = if RESERVED_NAMES.contains(&name.as_str()) {
                        format!("{name}_")
                    } else {
                        name
                    };
                    unique_ident(&name, &mut taken)
                })
                .collect()
        })
        .collect();

    let mut unknown: Vec<UnknownType> = Vec::new();
    let mut out = Vec::new();
    for (index, table) in tables.iter().enumerate() {
        let names = &column_names[index];
        let find =
            |name: &str| position(table.columns.iter().map(|c| c.name.as_str()), name, dialect);
        let primary_key: Vec<usize> = table
            .primary_key
            .iter()
            .filter_map(|key| find(key))
            .collect();

        let mut columns = Vec::new();
        for (i, column) in table.columns.iter().enumerate() {
            let ty = match resolve(dialect, mappings, &table.name, column) {
                Ok(ty) => ty,
                Err(e) => {
                    unknown.push(e);
                    continue;
                }
            };
            let ty: SqlType = if column.not_null || primary_key.contains(&i) {
                ty
            } else {
                nullable(ty)
            };
            let mut docs = Vec::new();
            if let Some(note) = column.default.as_ref().map(default_note) {
                docs.push(doc_attribute(&note));
            }
            if let Some(note) = crate::types::note(dialect, &column.ty) {
                docs.push(doc_attribute(note));
            }
            columns.push(ast::Column {
                docs,
                sql_name: sql_name(&column.name, &names[i]),
                name: names[i].clone(),
                ty,
                references: None,
            });
        }
        if !unknown.is_empty() {
            continue;
        }

        let mut notes: Vec<String> = Vec::new();
        match (table.kind, primary_key.is_empty()) {
            (Kind::View, _) => notes.push(
                " A view: read-only, and without a primary key, so `find` is not available."
                    .to_owned(),
            ),
            (Kind::Table, true) => {
                notes.push(" No primary key, so `find` is not available.".to_owned());
            }
            (Kind::Table, false) => {}
        }

        // References, in a stable order: by their columns.
        let mut taken: HashSet<String> = names
            .iter()
            .map(|n| n.unraw().to_string())
            .chain(RESERVED_NAMES.iter().map(|s| s.to_string()))
            .collect();
        let mut foreign_keys = Vec::new();
        let mut fks = table.foreign_keys.clone();
        fks.sort();
        fks.dedup();
        for fk in &fks {
            let listed = fk.columns.join(", ");
            let Some(target) = position(
                tables.iter().map(|t| t.name.as_str()),
                &fk.target_table,
                dialect,
            ) else {
                notes.push(format!(
                    " `{listed}` references `{}`, which is not printed here, so no join follows it.",
                    fk.target_table
                ));
                continue;
            };
            let target_table = &tables[target];
            let target_columns = if fk.target_columns.is_empty() {
                &target_table.primary_key
            } else {
                &fk.target_columns
            };
            let local: Option<Vec<usize>> = fk.columns.iter().map(|c| find(c)).collect();
            let remote: Option<Vec<usize>> = target_columns
                .iter()
                .map(|c| {
                    position(
                        target_table.columns.iter().map(|c| c.name.as_str()),
                        c,
                        dialect,
                    )
                })
                .collect();
            let (Some(local), Some(remote)) = (local, remote) else {
                notes.push(format!(
                    " `{listed}` references `{}` columns that are not there, so no join follows it.",
                    target_table.name
                ));
                continue;
            };
            if local.len() != remote.len() || local.is_empty() {
                continue;
            }
            let target_ident = table_names[target].clone();
            let remote_idents: Vec<Ident> = remote
                .iter()
                .map(|&i| column_names[target][i].clone())
                .collect();

            if let ([column], [remote_column]) = (local.as_slice(), remote_idents.as_slice())
                && columns[*column].references.is_none()
            {
                let local_ident = &names[*column];
                let default = default_reference_name(local_ident).unraw().to_string();
                let name = if local_ident.unraw() != default && !taken.contains(&default) {
                    taken.insert(default);
                    None
                } else {
                    Some(unique_ident(&format!("{default}_ref"), &mut taken))
                };
                columns[*column].references = Some(Reference {
                    table: target_ident,
                    column: remote_column.clone(),
                    name,
                });
                continue;
            }

            let stems: Vec<String> = local
                .iter()
                .map(|&i| {
                    let name = names[i].unraw().to_string();
                    name.strip_suffix("_id")
                        .filter(|s| !s.is_empty())
                        .unwrap_or(&name)
                        .to_owned()
                })
                .collect();
            let base = stems.join("_");
            let name = if taken.contains(&base) {
                unique_ident(&format!("{base}_ref"), &mut taken)
            } else {
                unique_ident(&base, &mut taken)
            };
            foreign_keys.push(ast::ForeignKey {
                span: Span::call_site(),
                columns: local.iter().map(|&i| names[i].clone()).collect(),
                table: target_ident,
                target_columns: remote_idents,
                name,
            });
        }

        out.push(ast::Table {
            docs: notes.iter().map(|n| doc_attribute(n)).collect(),
            sql_name: sql_name(&table.name, &table_names[index]),
            name: table_names[index].clone(),
            primary_key: primary_key.iter().map(|&i| names[i].clone()).collect(),
            columns,
            foreign_keys,
        });
    }
    if !unknown.is_empty() {
        return Err(Error::UnknownTypes(unknown));
    }

    let schema = Schema { tables: out };
    quarry_grammar::validate::validate(&schema).map_err(|errors| {
        Error::Invalid(
            errors
                .into_iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("; "),
        )
    })?;
    Ok(schema)
}

fn default_note(default: &Default) -> String {
    match default {
        Default::Expr(text) if text.contains('`') => format!(" Default: {text}"),
        Default::Expr(text) => format!(" Default: `{text}`."),
        Default::Sequence => " Default: the next value of a sequence.".to_owned(),
        Default::Identity { always: false } => " Default: the next identity value.".to_owned(),
        Default::Identity { always: true } => {
            " Always the next identity value (`GENERATED ALWAYS`): inserts leave it out.".to_owned()
        }
        Default::Generated => {
            " Computed by the database (`GENERATED`): inserts leave it out.".to_owned()
        }
        Default::Rowid => " Default: a new rowid, chosen by SQLite.".to_owned(),
    }
}

/// Where `wanted` is among `names`: exactly, or for SQLite without regard
/// to ASCII case (as SQLite compares names).
fn position<'a>(
    names: impl Iterator<Item = &'a str> + Clone,
    wanted: &str,
    dialect: Dialect,
) -> Option<usize> {
    names
        .clone()
        .position(|n| n == wanted)
        .or_else(|| match dialect {
            // MariaDB compares column names without regard to case.
            Dialect::Sqlite | Dialect::Mysql => {
                names.clone().position(|n| n.eq_ignore_ascii_case(wanted))
            }
            Dialect::Postgres => None,
        })
}

/// `#[sql_name]` when the Rust name is not the SQL name.
fn sql_name(sql: &str, ident: &Ident) -> Option<LitStr> {
    (ident.unraw() != sql).then(|| LitStr::new(sql, Span::call_site()))
}

/// A snake_case identifier for an SQL name: `firstName` → `first_name`,
/// `Order Items` → `order_items`, `2fa` → `_2fa`. Keywords come back raw
/// (`type` → `r#type`) or with a trailing `_` where raw is impossible
/// (`self` → `self_`).
pub fn rust_name(sql: &str) -> String {
    let chars: Vec<char> = sql.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() {
            let prev = i.checked_sub(1).map(|p| chars[p]);
            let next = chars.get(i + 1);
            let boundary = prev.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit())
                || (prev.is_some_and(|p| p.is_ascii_uppercase())
                    && next.is_some_and(|n| n.is_ascii_lowercase()));
            if boundary && !out.ends_with('_') {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    if out.trim_matches('_').is_empty() {
        out = "unnamed".to_owned();
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    as_ident_text(&out)
}

/// `name` as identifier text: itself, raw for a keyword, or with `_`.
fn as_ident_text(name: &str) -> String {
    // `gen` is reserved from edition 2024 on, which syn does not know.
    if name == "gen" {
        return "r#gen".to_owned();
    }
    if ast::ident(name).is_some() {
        return name.to_owned();
    }
    let raw = format!("r#{name}");
    if ast::ident(&raw).is_some() {
        raw
    } else {
        format!("{name}_")
    }
}

/// An identifier for `wanted` not yet in `taken` (compared without `r#`),
/// with `_2`, `_3`... when needed; recorded in `taken`.
fn unique_ident(wanted: &str, taken: &mut HashSet<String>) -> Ident {
    let plain = wanted.trim_start_matches("r#");
    let mut text = as_ident_text(plain);
    let mut n = 2;
    while taken.contains(text.trim_start_matches("r#")) {
        text = as_ident_text(&format!("{plain}_{n}"));
        n += 1;
    }
    taken.insert(text.trim_start_matches("r#").to_owned());
    // Always an identifier by construction; the fallback keeps this total.
    ast::ident(&text).unwrap_or_else(|| Ident::new("unnamed", Span::call_site()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_names() {
        for (sql, rust) in [
            ("users", "users"),
            ("firstName", "first_name"),
            ("HTTPServer", "http_server"),
            ("Order Items", "order_items"),
            ("e-mail", "e_mail"),
            ("2fa", "_2fa"),
            ("type", "r#type"),
            ("self", "self_"),
            ("Self", "self_"),
            ("_", "unnamed"),
            ("", "unnamed"),
            ("café", "caf_"),
            ("gen", "r#gen"),
            ("a__b", "a__b"),
        ] {
            assert_eq!(rust_name(sql), rust, "{sql}");
        }
    }

    #[test]
    fn unique_idents() {
        let mut taken: HashSet<String> = RESERVED_NAMES.iter().map(|s| s.to_string()).collect();
        assert_eq!(unique_ident("a", &mut taken), "a");
        assert_eq!(unique_ident("a", &mut taken), "a_2");
        assert_eq!(unique_ident("r#type", &mut taken), "r#type");
        assert_eq!(unique_ident("type", &mut taken), "type_2");
        assert_eq!(unique_ident("table", &mut taken), "table_2");
    }
}
