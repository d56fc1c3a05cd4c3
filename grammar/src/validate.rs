//! Checks on a parsed [`Schema`] that the grammar cannot express. Every
//! problem is reported, each on the user's token, in one compile.

use std::collections::{HashMap, HashSet};

use syn::ext::IdentExt;
use syn::{Error, GenericArgument, Ident, PathArguments, Result, Type};

use crate::ast::{BUILTIN_TYPES, Column, Schema, SqlType, Table};
use crate::parse::{Errors, render, span_range};

/// Names the expansion generates in each table's module; a column or a
/// reference may not take them.
pub const RESERVED_NAMES: &[&str] = &["table", "star", "all_columns", "columns"];

/// Checks everything about `schema` that parsing does not, reporting all
/// problems together.
pub fn validate(schema: &Schema) -> Result<()> {
    let mut errors = Errors::default();
    let mut names: HashSet<String> = HashSet::new();
    let mut sql_names: HashMap<String, &Ident> = HashMap::new();
    for table in &schema.tables {
        if !names.insert(table.name.unraw().to_string()) {
            errors.push(Error::new_spanned(
                &table.name,
                format!("duplicate table `{}`", table.name),
            ));
        } else {
            let sql = table_sql_name(table);
            if let Some(first) = sql_names.get(&sql) {
                let at = table
                    .sql_name
                    .as_ref()
                    .map_or(table.name.span(), |lit| lit.span());
                errors.push(Error::new(
                    at,
                    format!(
                        "duplicate SQL table name `{sql}`: tables `{first}` and `{}`",
                        table.name
                    ),
                ));
            } else {
                sql_names.insert(sql, &table.name);
            }
        }
        validate_table(table, schema, &mut errors);
    }
    errors.finish(())
}

/// The name of the reference a column declares with `references`: the
/// `as name` if given, else the column's name without a trailing `_id`
/// (`author_id` → `author`), else the column's name itself. `None` when the
/// column references nothing. A default name that is a keyword comes back
/// raw (`type_id` → `r#type`).
pub fn reference_name(column: &Column) -> Option<Ident> {
    let reference = column.references.as_ref()?;
    Some(
        reference
            .name
            .clone()
            .unwrap_or_else(|| default_reference_name(&column.name)),
    )
}

/// `author_id` → `author`, spanned on the column; a column not ending in
/// `_id` (or whose stem cannot be an identifier) names itself.
pub fn default_reference_name(column: &Ident) -> Ident {
    let name = column.unraw().to_string();
    match name.strip_suffix("_id") {
        Some("" | "_" | "self" | "Self" | "super" | "crate") | None => column.clone(),
        Some(stem) if syn::parse_str::<Ident>(stem).is_ok() => Ident::new(stem, column.span()),
        Some(stem) => Ident::new_raw(stem, column.span()),
    }
}

/// The column's name in SQL: its `#[sql_name]`, else its Rust name (unraw).
pub fn column_sql_name(column: &Column) -> String {
    column
        .sql_name
        .as_ref()
        .map_or_else(|| column.name.unraw().to_string(), |lit| lit.value())
}

/// The table's name in SQL: its `#[sql_name]`, else its Rust name (unraw).
pub fn table_sql_name(table: &Table) -> String {
    table
        .sql_name
        .as_ref()
        .map_or_else(|| table.name.unraw().to_string(), |lit| lit.value())
}

fn validate_table(table: &Table, schema: &Schema, errors: &mut Errors) {
    let table_name = &table.name;
    if table.columns.is_empty() {
        errors.push(Error::new_spanned(
            table_name,
            format!("table `{table_name}` has no columns"),
        ));
    }
    let find = |name: &Ident| find_column(table, name);

    // Columns: names, SQL names, types.
    let mut names: HashSet<String> = HashSet::new();
    let mut sql_names: HashMap<String, &Column> = HashMap::new();
    for column in &table.columns {
        let name = column.name.unraw().to_string();
        if RESERVED_NAMES.contains(&name.as_str()) {
            let advice = if column.sql_name.is_some() {
                "rename it".to_owned()
            } else {
                format!("rename it and keep the SQL name with #[sql_name = \"{name}\"]")
            };
            errors.push(Error::new_spanned(
                &column.name,
                format!(
                    "column name `{}` is reserved by quarry; {advice}",
                    column.name
                ),
            ));
        }
        if !names.insert(name) {
            errors.push(Error::new_spanned(
                &column.name,
                format!("duplicate column `{}` in table `{table_name}`", column.name),
            ));
        } else {
            let sql = column_sql_name(column);
            if let Some(first) = sql_names.get(&sql) {
                let at = column
                    .sql_name
                    .as_ref()
                    .map_or(column.name.span(), |lit| lit.span());
                errors.push(Error::new(
                    at,
                    format!(
                        "duplicate SQL column name `{sql}` in table `{table_name}`: columns `{}` \
                         and `{}`",
                        first.name, column.name
                    ),
                ));
            } else {
                sql_names.insert(sql, column);
            }
        }
        check_type(&column.ty, false, false, errors);
    }

    // Primary key.
    let mut key: Vec<String> = Vec::new();
    for pk in &table.primary_key {
        let name = pk.unraw().to_string();
        if key.contains(&name) {
            errors.push(Error::new_spanned(
                pk,
                format!("duplicate primary key column `{pk}`"),
            ));
            continue;
        }
        key.push(name);
        match find(pk) {
            None => errors.push(Error::new_spanned(
                pk,
                format!(
                    "primary key column `{pk}` is not a column of `{table_name}`{}",
                    did_you_mean_column(table, pk)
                ),
            )),
            Some(column) if matches!(column.ty, SqlType::Nullable { .. }) => {
                errors.push(Error::new_spanned(
                    pk,
                    format!("primary key column `{pk}` cannot be Nullable"),
                ));
            }
            Some(_) => {}
        }
    }

    // References declared on columns.
    for column in &table.columns {
        if let Some(reference) = &column.references {
            check_target(
                schema,
                &reference.table,
                std::slice::from_ref(&reference.column),
                errors,
            );
            check_target_types(
                schema,
                table,
                &[&column.name],
                &reference.table,
                std::slice::from_ref(&reference.column),
                errors,
            );
        }
    }

    // Table-level foreign keys.
    for fk in &table.foreign_keys {
        if fk.columns.is_empty() {
            errors.push(Error::new(
                fk.span,
                "`foreign key ()` needs at least one column of this table",
            ));
        }
        if fk.target_columns.is_empty() {
            errors.push(Error::new_spanned(
                &fk.table,
                format!(
                    "the foreign key names no column of `{}`: `references {}(...)`",
                    fk.table, fk.table
                ),
            ));
        }
        if !fk.columns.is_empty()
            && !fk.target_columns.is_empty()
            && fk.columns.len() != fk.target_columns.len()
        {
            let end = fk.target_columns.last().map_or(fk.span, Ident::span);
            errors.push(Error::new_spanned(
                span_range(fk.span, end),
                format!(
                    "the foreign key has {} but references {} of `{}`; the lists pair up in order",
                    count(fk.columns.len(), "column"),
                    count(fk.target_columns.len(), "column"),
                    fk.table
                ),
            ));
        }
        let mut seen: Vec<String> = Vec::new();
        for column in &fk.columns {
            let name = column.unraw().to_string();
            if seen.contains(&name) {
                errors.push(Error::new_spanned(
                    column,
                    format!("duplicate column `{column}` in foreign key"),
                ));
                continue;
            }
            seen.push(name);
            if find(column).is_none() {
                errors.push(Error::new_spanned(
                    column,
                    format!(
                        "foreign key column `{column}` is not a column of `{table_name}`{}",
                        did_you_mean_column(table, column)
                    ),
                ));
            }
        }
        check_target(schema, &fk.table, &fk.target_columns, errors);
        let local: Vec<&Ident> = fk.columns.iter().collect();
        check_target_types(schema, table, &local, &fk.table, &fk.target_columns, errors);
    }

    // Reference names become items of the table's module, beside the columns.
    let mut references: HashMap<String, Ident> = HashMap::new();
    let declared = table
        .columns
        .iter()
        .filter_map(|column| {
            let reference = column.references.as_ref()?;
            let defaulted = reference.name.is_none().then_some(column);
            Some((reference_name(column)?, defaulted))
        })
        .chain(table.foreign_keys.iter().map(|fk| (fk.name.clone(), None)));
    for (name, defaulted) in declared {
        let plain = name.unraw().to_string();
        let problem = if RESERVED_NAMES.contains(&plain.as_str()) {
            Some("which is reserved by quarry".to_owned())
        } else if let Some(column) = find(&name) {
            match defaulted {
                Some(own) if own.name.unraw() == column.name.unraw() => {
                    errors.push(Error::new_spanned(
                        &name,
                        format!(
                            "the reference on column `{}` needs a name: the default drops a \
                             trailing `_id`, which `{}` does not have; add `as other_name`",
                            own.name, own.name
                        ),
                    ));
                    continue;
                }
                _ => Some(format!(
                    "which is also a column of `{table_name}`: `{}`",
                    column.name
                )),
            }
        } else if let Some(first) = references.get(&plain) {
            Some(format!("like the reference `{first}` before it"))
        } else {
            references.insert(plain, name.clone());
            None
        };
        if let Some(problem) = problem {
            let message = match defaulted {
                Some(column) => format!(
                    "the reference on column `{}` is named `{name}` by default, {problem}; name \
                     it with `as other_name`",
                    column.name
                ),
                None => format!(
                    "reference name `{name}` in table `{table_name}` is taken, {problem}; choose \
                     another with `as other_name`"
                ),
            };
            errors.push(Error::new_spanned(&name, message));
        }
    }
}

fn find_column<'t>(table: &'t Table, name: &Ident) -> Option<&'t Column> {
    let name = name.unraw();
    table
        .columns
        .iter()
        .find(|column| column.name.unraw() == name)
}

/// When the referenced table is in this invocation, its columns must exist.
fn check_target(schema: &Schema, table: &Ident, columns: &[Ident], errors: &mut Errors) {
    let wanted = table.unraw();
    let Some(target) = schema.tables.iter().find(|t| t.name.unraw() == wanted) else {
        return;
    };
    for column in columns {
        if find_column(target, column).is_none() {
            errors.push(Error::new_spanned(
                column,
                format!(
                    "table `{table}` has no column `{column}`{}",
                    did_you_mean_column(target, column)
                ),
            ));
        }
    }
}

/// When the referenced table is in this invocation, each referenced column
/// has the SQL type of the column that references it (`Nullable` aside):
/// a join along `posts.author_id = users.name` matches nothing.
fn check_target_types(
    schema: &Schema,
    table: &Table,
    local: &[&Ident],
    target_table: &Ident,
    target_columns: &[Ident],
    errors: &mut Errors,
) {
    let wanted = target_table.unraw();
    let Some(target) = schema.tables.iter().find(|t| t.name.unraw() == wanted) else {
        return;
    };
    for (local, target_column) in local.iter().zip(target_columns) {
        let (Some(own), Some(other)) = (
            find_column(table, local),
            find_column(target, target_column),
        ) else {
            continue;
        };
        let (own_type, other_type) = (base_type(&own.ty), base_type(&other.ty));
        if own_type != other_type {
            errors.push(Error::new_spanned(
                target_column,
                format!(
                    "`{}.{}` is {own_type} but references `{}.{}`, which is {other_type}: a \
                     reference joins columns of the same SQL type",
                    table.name, own.name, target.name, other.name
                ),
            ));
        }
    }
}

/// A column's SQL type without `Nullable`, as written: `Integer`,
/// `Array<Text>`, `my_types::Citext`.
fn base_type(ty: &SqlType) -> String {
    match ty {
        SqlType::Nullable { inner, .. } => base_type(inner),
        SqlType::Array { inner, .. } => format!("Array<{}>", base_type(inner)),
        SqlType::Builtin(ident) => ident.to_string(),
        SqlType::Custom(path) => render(path),
    }
}

/// "; did you mean `id`?" when exactly one column is close to `name`.
fn did_you_mean_column(table: &Table, name: &Ident) -> String {
    let name = name.unraw().to_string().to_lowercase();
    let mut close: Vec<&Ident> = Vec::new();
    for column in &table.columns {
        let candidate = column.name.unraw().to_string().to_lowercase();
        // One edit turns any short name into any other.
        let long_enough = candidate.len().max(name.len()) >= 3;
        if long_enough
            && edit_distance(&candidate, &name) <= 1
            && !close.iter().any(|seen| seen.unraw() == column.name.unraw())
        {
            close.push(&column.name);
        }
    }
    match close.as_slice() {
        [column] => format!("; did you mean `{column}`?"),
        _ => String::new(),
    }
}

fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// The checks a column's type gets: known built-in names, no
/// `Nullable<Nullable<T>>`, no `Array` in `Array`.
pub(crate) fn check_sql_type(ty: &SqlType, errors: &mut Errors) {
    check_type(ty, false, false, errors);
}

/// `parent_nullable`: `ty` sits directly in a `Nullable<..>`;
/// `in_array`: somewhere inside an `Array<..>`.
fn check_type(ty: &SqlType, parent_nullable: bool, in_array: bool, errors: &mut Errors) {
    match ty {
        SqlType::Nullable { span, inner } => {
            if parent_nullable {
                errors.push(Error::new(
                    *span,
                    "`Nullable<Nullable<T>>` is not allowed: a value is NULL or not; write \
                     `Nullable<T>` once",
                ));
            }
            check_type(inner, true, in_array, errors);
        }
        SqlType::Array { span, inner } => {
            if in_array {
                errors.push(Error::new(
                    *span,
                    "`Array` inside `Array` is not supported; use one `Array<T>`",
                ));
            }
            check_type(inner, false, true, errors);
        }
        SqlType::Builtin(ident) => check_builtin(ident, errors),
        SqlType::Custom(_) => {}
    }
}

fn check_builtin(ident: &Ident, errors: &mut Errors) {
    let name = ident.unraw().to_string();
    if BUILTIN_TYPES.contains(&name.as_str()) {
        return;
    }
    let message = if name == "Nullable" || name == "Array" {
        format!("`{name}` needs the type it wraps: `{name}<Text>`")
    } else {
        unknown_type_message(&ident.to_string(), suggest_builtin(&name))
    };
    errors.push(Error::new(ident.span(), message));
}

/// Rust types and other databases' names people write for quarry's types.
const ALIASES: &[(&str, &str)] = &[
    ("String", "Text"),
    ("str", "Text"),
    ("i16", "SmallInt"),
    ("i32", "Integer"),
    ("i64", "BigInt"),
    ("bool", "Bool"),
    ("f32", "Float"),
    ("f64", "Double"),
    ("Int", "Integer"),
    ("Int2", "SmallInt"),
    ("Int4", "Integer"),
    ("Int8", "BigInt"),
    ("Boolean", "Bool"),
    ("Varchar", "Text"),
    ("Real", "Float"),
    ("Decimal", "Numeric"),
    ("Bytea", "Binary"),
    ("Blob", "Binary"),
    ("Datetime", "Timestamp"),
    ("NaiveDate", "Date"),
    ("NaiveTime", "Time"),
    ("NaiveDateTime", "Timestamp"),
];

/// The built-in type someone who wrote `name` most likely meant, if any.
pub(crate) fn suggest_builtin(name: &str) -> Option<&'static str> {
    let lower = name.to_lowercase();
    let same = |candidate: &str| candidate.to_lowercase() == lower;
    let near = |candidate: &str| edit_distance(&candidate.to_lowercase(), &lower) <= 1;
    ALIASES
        .iter()
        .find(|(alias, _)| *alias == name)
        .map(|(_, builtin)| *builtin)
        .or_else(|| BUILTIN_TYPES.iter().copied().find(|b| same(b)))
        .or_else(|| ALIASES.iter().find(|(a, _)| same(a)).map(|(_, b)| *b))
        .or_else(|| BUILTIN_TYPES.iter().copied().find(|b| near(b)))
        .or_else(|| ALIASES.iter().find(|(a, _)| near(a)).map(|(_, b)| *b))
}

/// The SQL type someone who wrote the Rust-like `ty` most likely meant:
/// `Option<String>` → `Nullable<Text>`, `Vec<u8>` → `Binary`, `&str` → `Text`.
pub(crate) fn suggest_sql_type(ty: &Type) -> Option<String> {
    match ty {
        Type::Reference(reference) => suggest_sql_type(&reference.elem),
        Type::Paren(paren) => suggest_sql_type(&paren.elem),
        Type::Group(group) => suggest_sql_type(&group.elem),
        Type::Slice(slice) if is_u8(&slice.elem) => Some("Binary".to_owned()),
        Type::Path(path) if path.qself.is_none() => {
            let path = &path.path;
            if path.leading_colon.is_some() || path.segments.len() != 1 {
                return None;
            }
            let segment = &path.segments[0];
            let name = segment.ident.unraw().to_string();
            match &segment.arguments {
                PathArguments::None => BUILTIN_TYPES
                    .iter()
                    .find(|builtin| **builtin == name)
                    .copied()
                    .or_else(|| suggest_builtin(&name))
                    .map(str::to_owned),
                PathArguments::AngleBracketed(args) => {
                    let mut args = args.args.iter();
                    let (Some(GenericArgument::Type(inner)), None) = (args.next(), args.next())
                    else {
                        return None;
                    };
                    if name == "Vec" && is_u8(inner) {
                        return Some("Binary".to_owned());
                    }
                    let wrapper = match name.as_str() {
                        "Option" => "Nullable",
                        "Vec" => "Array",
                        other => ["Nullable", "Array"].into_iter().find(|wrapper| {
                            edit_distance(&wrapper.to_lowercase(), &other.to_lowercase()) <= 1
                        })?,
                    };
                    let inner = suggest_sql_type(inner).unwrap_or_else(|| render(inner));
                    Some(format!("{wrapper}<{inner}>"))
                }
                PathArguments::Parenthesized(_) => None,
            }
        }
        _ => None,
    }
}

fn is_u8(ty: &Type) -> bool {
    matches!(ty, Type::Path(path) if path.qself.is_none() && path.path.is_ident("u8"))
}

/// "unknown SQL type `x`; [did you mean `y`? ]expected one of ...".
pub(crate) fn unknown_type_message(written: &str, suggestion: Option<&str>) -> String {
    let hint = suggestion.map_or_else(String::new, |s| format!("did you mean `{s}`? "));
    format!(
        "unknown SQL type `{written}`; {hint}expected one of {}, `Nullable<T>`, `Array<T>`, or a \
         path to a custom type like `my_types::Citext`",
        BUILTIN_TYPES.join(", ")
    )
}

/// Levenshtein distance, by chars.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != *cb);
            current.push(substitute.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(src: &str) -> Schema {
        syn::parse_str(src).unwrap_or_else(|e| panic!("parse failed: {e}"))
    }

    fn messages(src: &str) -> Vec<String> {
        match validate(&schema(src)) {
            Ok(()) => Vec::new(),
            Err(errors) => errors.into_iter().map(|e| e.to_string()).collect(),
        }
    }

    fn single(src: &str) -> String {
        let messages = messages(src);
        assert_eq!(messages.len(), 1, "{messages:?}");
        messages.into_iter().next().unwrap()
    }

    /// Checks what each error points at where proc-macro2 tracks source
    /// locations (its `span-locations` feature); only the count otherwise.
    fn assert_spans(src: &str, expected: &[&str]) {
        let errors: Vec<_> = validate(&schema(src))
            .expect_err("expected errors")
            .into_iter()
            .collect();
        assert_eq!(errors.len(), expected.len());
        for (error, expected) in errors.iter().zip(expected) {
            if let Some(text) = error.span().source_text() {
                assert_eq!(text, *expected, "{error}");
            }
        }
    }

    const EXPECTED: &str = "expected one of SmallInt, Integer, BigInt, Float, Double, Numeric, \
                            Text, Bool, Binary, Date, Time, Timestamp, Timestamptz, Uuid, Json, \
                            `Nullable<T>`, `Array<T>`, or a path to a custom type like \
                            `my_types::Citext`";

    #[test]
    fn the_grammar_example_is_valid() {
        let src = r#"
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
                org_id -> Integer,
                team_id -> Integer,
                foreign key (org_id, team_id) references teams(org_id, id) as team,
            }
            tags { label -> Text, }
            memberships (user_id, group_id) { user_id -> Integer, group_id -> Integer, }
            people (id) { id -> Integer, parent_id -> Nullable<Integer> references people(id) }
        "#;
        assert_eq!(messages(src), Vec::<String>::new());
    }

    #[test]
    fn every_builtin_is_accepted() {
        let columns: String = BUILTIN_TYPES
            .iter()
            .map(|ty| format!("c_{ty} -> {ty}, a_{ty} -> Nullable<Array<Nullable<{ty}>>>,"))
            .collect();
        assert_eq!(
            messages(&format!("t {{ {columns} }}")),
            Vec::<String>::new()
        );
    }

    #[test]
    fn unknown_types() {
        let src = "t { a -> Strng, b -> String, c -> integer, d -> Intger, e -> i64, f -> \
                   Nullable<bool>, g -> Array<f64>, h -> Citext, i -> Nullable, j -> u32 }";
        assert_eq!(
            messages(src),
            [
                format!("unknown SQL type `Strng`; did you mean `Text`? {EXPECTED}"),
                format!("unknown SQL type `String`; did you mean `Text`? {EXPECTED}"),
                format!("unknown SQL type `integer`; did you mean `Integer`? {EXPECTED}"),
                format!("unknown SQL type `Intger`; did you mean `Integer`? {EXPECTED}"),
                format!("unknown SQL type `i64`; did you mean `BigInt`? {EXPECTED}"),
                format!("unknown SQL type `bool`; did you mean `Bool`? {EXPECTED}"),
                format!("unknown SQL type `f64`; did you mean `Double`? {EXPECTED}"),
                format!("unknown SQL type `Citext`; {EXPECTED}"),
                "`Nullable` needs the type it wraps: `Nullable<Text>`".to_owned(),
                format!("unknown SQL type `u32`; did you mean `Integer`? {EXPECTED}"),
            ]
        );
        assert_spans(
            src,
            &[
                "Strng", "String", "integer", "Intger", "i64", "bool", "f64", "Citext", "Nullable",
                "u32",
            ],
        );
    }

    #[test]
    fn rust_type_hints() {
        for (written, meant) in [
            ("String", "Text"),
            ("str", "Text"),
            ("i16", "SmallInt"),
            ("i32", "Integer"),
            ("i64", "BigInt"),
            ("bool", "Bool"),
            ("f32", "Float"),
            ("f64", "Double"),
            ("Boolean", "Bool"),
            ("UUID", "Uuid"),
            ("bigint", "BigInt"),
            ("Jsonb", "Json"),
        ] {
            assert_eq!(suggest_builtin(written), Some(meant), "{written}");
        }
        assert_eq!(suggest_builtin("Citext"), None);
        let ty = |src| suggest_sql_type(&syn::parse_str(src).unwrap());
        assert_eq!(ty("Vec<u8>").as_deref(), Some("Binary"));
        assert_eq!(ty("&[u8]").as_deref(), Some("Binary"));
        assert_eq!(
            ty("Option<Vec<String>>").as_deref(),
            Some("Nullable<Array<Text>>")
        );
        assert_eq!(ty("Option<Foo>").as_deref(), Some("Nullable<Foo>"));
        assert_eq!(ty("HashMap<K, V>"), None);
        assert_eq!(ty("std::string::String"), None);
    }

    #[test]
    fn nested_wrappers() {
        let src = "t { a -> Nullable<Nullable<Text>>, b -> Array<Array<Text>>, c -> \
                   Array<Nullable<Array<Text>>>, ok -> Nullable<Array<Nullable<Text>>> }";
        assert_eq!(
            messages(src),
            [
                "`Nullable<Nullable<T>>` is not allowed: a value is NULL or not; write \
                 `Nullable<T>` once",
                "`Array` inside `Array` is not supported; use one `Array<T>`",
                "`Array` inside `Array` is not supported; use one `Array<T>`",
            ]
        );
        // The inner wrapper is the one at fault.
        let schema = schema("t { a -> Nullable<Nullable<Text>> }");
        let error = validate(&schema).unwrap_err();
        let SqlType::Nullable { inner, .. } = &schema.tables[0].columns[0].ty else {
            unreachable!()
        };
        let SqlType::Nullable { span, .. } = **inner else {
            unreachable!()
        };
        assert_eq!(format!("{:?}", error.span()), format!("{span:?}"));
    }

    #[test]
    fn duplicate_columns() {
        let src = r#"posts {
            title -> Text,
            body -> Text,
            title -> Text,
            #[sql_name = "body"]
            content -> Text,
            r#body -> Text,
        }"#;
        assert_eq!(
            messages(src),
            [
                "duplicate column `title` in table `posts`",
                "duplicate SQL column name `body` in table `posts`: columns `body` and `content`",
                "duplicate column `r#body` in table `posts`",
            ]
        );
        assert_spans(src, &["title", "\"body\"", "r#body"]);
    }

    #[test]
    fn duplicate_tables() {
        let src = r#"
            users { id -> Integer }
            posts { id -> Integer }
            users { id -> Integer }
            #[sql_name = "posts"]
            articles { id -> Integer }
        "#;
        assert_eq!(
            messages(src),
            [
                "duplicate table `users`",
                "duplicate SQL table name `posts`: tables `posts` and `articles`",
            ]
        );
        assert_spans(src, &["users", "\"posts\""]);
    }

    #[test]
    fn table_without_columns() {
        assert_eq!(
            messages("users (id) { }"),
            [
                "table `users` has no columns",
                "primary key column `id` is not a column of `users`",
            ]
        );
    }

    #[test]
    fn primary_keys() {
        let src = "users (idd, email, name, name) { id -> Integer, email -> Nullable<Text>, name \
                   -> Text }";
        assert_eq!(
            messages(src),
            [
                "primary key column `idd` is not a column of `users`; did you mean `id`?",
                "primary key column `email` cannot be Nullable",
                "duplicate primary key column `name`",
            ]
        );
        assert_spans(src, &["idd", "email", "name"]);
        assert_eq!(
            single("users (nope) { id -> Integer }"),
            "primary key column `nope` is not a column of `users`"
        );
    }

    #[test]
    fn foreign_keys() {
        let src = "posts {
            a -> Integer,
            b -> Integer,
            foreign key (a, b) references other(x) as one,
            foreign key (a, c) references other(x, y) as two,
            foreign key (a, a) references other(x, y) as three,
            foreign key () references other(x) as four,
            foreign key (a) references other() as five,
        }";
        assert_eq!(
            messages(src),
            [
                "the foreign key has 2 columns but references 1 column of `other`; the lists \
                 pair up in order",
                "foreign key column `c` is not a column of `posts`",
                "duplicate column `a` in foreign key",
                "`foreign key ()` needs at least one column of this table",
                "the foreign key names no column of `other`: `references other(...)`",
            ]
        );
        assert_spans(
            src,
            &[
                "foreign key (a, b) references other(x",
                "c",
                "a",
                "foreign",
                "other",
            ],
        );
    }

    #[test]
    fn targets_in_the_same_invocation_are_checked() {
        let src = "people (id) { id -> Integer, name -> Text }
            posts {
                author_id -> Integer references people(idd),
                a -> Integer,
                b -> Integer,
                foreign key (a, b) references people(id, nam) as pair,
                c_id -> Integer references elsewhere(whatever),
            }";
        assert_eq!(
            messages(src),
            [
                "table `people` has no column `idd`; did you mean `id`?",
                "table `people` has no column `nam`; did you mean `name`?",
            ]
        );
        assert_spans(src, &["idd", "nam"]);
    }

    #[test]
    fn reference_names() {
        let column = |src: &str| {
            let schema = schema(&format!("t {{ {src} }}"));
            reference_name(&schema.tables[0].columns[0]).map(|name| name.to_string())
        };
        assert_eq!(
            column("author_id -> Integer references people(id)").as_deref(),
            Some("author")
        );
        assert_eq!(
            column("author -> Integer references people(id)").as_deref(),
            Some("author")
        );
        assert_eq!(
            column("author_id -> Integer references people(id) as writer").as_deref(),
            Some("writer")
        );
        assert_eq!(
            column("type_id -> Integer references kinds(id)").as_deref(),
            Some("r#type")
        );
        assert_eq!(
            column("r#type_id -> Integer references kinds(id)").as_deref(),
            Some("r#type")
        );
        assert_eq!(
            column("self_id -> Integer references x(id)").as_deref(),
            Some("self_id")
        );
        assert_eq!(
            column("_id -> Integer references x(id)").as_deref(),
            Some("_id")
        );
        assert_eq!(column("author_id -> Integer"), None);
    }

    #[test]
    fn reference_name_collisions() {
        let src = "posts {
            author -> Integer references people(id),
            editor_id -> Integer references people(id),
            editor -> Text,
            reviewer_id -> Integer references people(id) as title,
            title -> Text,
            writer_id -> Integer references people(id) as pal,
            friend_id -> Integer references people(id) as pal,
            table_id -> Integer references tables(id),
            x -> Integer,
            y -> Integer,
            foreign key (x, y) references pairs(x, y) as pal,
            foreign key (x, y) references pairs(x, y) as columns,
        }";
        assert_eq!(
            messages(src),
            [
                "the reference on column `author` needs a name: the default drops a trailing \
                 `_id`, which `author` does not have; add `as other_name`",
                "the reference on column `editor_id` is named `editor` by default, which is also \
                 a column of `posts`: `editor`; name it with `as other_name`",
                "reference name `title` in table `posts` is taken, which is also a column of \
                 `posts`: `title`; choose another with `as other_name`",
                "reference name `pal` in table `posts` is taken, like the reference `pal` before \
                 it; choose another with `as other_name`",
                "the reference on column `table_id` is named `table` by default, which is \
                 reserved by quarry; name it with `as other_name`",
                "reference name `pal` in table `posts` is taken, like the reference `pal` before \
                 it; choose another with `as other_name`",
                "reference name `columns` in table `posts` is taken, which is reserved by quarry; \
                 choose another with `as other_name`",
            ]
        );
        assert_spans(
            src,
            &[
                "author",
                "editor_id",
                "title",
                "pal",
                "table_id",
                "pal",
                "columns",
            ],
        );
    }

    #[test]
    fn default_name_of_single_column_foreign_key_collides_too() {
        assert_eq!(
            single(
                "posts { owner_id -> Integer, owner -> Text, foreign key (owner_id) references people(id) }"
            ),
            "reference name `owner` in table `posts` is taken, which is also a column of `posts`: \
             `owner`; choose another with `as other_name`"
        );
    }

    #[test]
    fn reserved_column_names() {
        let src = r#"t {
            table -> Text,
            star -> Text,
            #[sql_name = "all_columns"]
            all_columns -> Text,
            r#columns -> Text,
            tables -> Text,
        }"#;
        assert_eq!(
            messages(src),
            [
                "column name `table` is reserved by quarry; rename it and keep the SQL name with \
                 #[sql_name = \"table\"]",
                "column name `star` is reserved by quarry; rename it and keep the SQL name with \
                 #[sql_name = \"star\"]",
                "column name `all_columns` is reserved by quarry; rename it",
                "column name `r#columns` is reserved by quarry; rename it and keep the SQL name \
                 with #[sql_name = \"columns\"]",
            ]
        );
        assert_spans(src, &["table", "star", "all_columns", "r#columns"]);
    }

    #[test]
    fn all_problems_at_once() {
        let src = "
            users (idd) { id -> Strng, id -> Nullable<Nullable<Text>> }
            users { }
        ";
        assert_eq!(
            messages(src),
            [
                format!("unknown SQL type `Strng`; did you mean `Text`? {EXPECTED}"),
                "duplicate column `id` in table `users`".to_owned(),
                "`Nullable<Nullable<T>>` is not allowed: a value is NULL or not; write \
                 `Nullable<T>` once"
                    .to_owned(),
                "primary key column `idd` is not a column of `users`; did you mean `id`?"
                    .to_owned(),
                "duplicate table `users`".to_owned(),
                "table `users` has no columns".to_owned(),
            ]
        );
    }

    #[test]
    fn sql_names() {
        let schema = schema(
            r#"#[sql_name = "app_users"] r#users { #[sql_name = "e_mail"] email -> Text, r#type -> Text }"#,
        );
        let table = &schema.tables[0];
        assert_eq!(table_sql_name(table), "app_users");
        assert_eq!(column_sql_name(&table.columns[0]), "e_mail");
        assert_eq!(column_sql_name(&table.columns[1]), "type");
    }

    #[test]
    fn distances() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("intger", "integer"), 1);
    }
}
