//! `table!` expansion: one module per table, holding the table's type and
//! one type per column. Everything generated is linear in the number of
//! tables and columns: no impl mentions two tables except a declared
//! reference.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::Ident;

use crate::ast::{Column, Schema, SqlType, Table};
use crate::chunks::nest;

/// Parses, validates and expands one `table!` invocation.
pub fn table(input: TokenStream) -> TokenStream {
    let schema: Schema = match syn::parse2(input) {
        Ok(schema) => schema,
        Err(e) => return e.into_compile_error(),
    };
    match crate::validate::validate(&schema) {
        Ok(()) => expand(&schema),
        // Still emit the tables, so one mistake gives one error rather than
        // one per use of the table.
        Err(e) => {
            let mut out = e.into_compile_error();
            let recovered = quarry_grammar::recover::recoverable(&schema);
            if quarry_grammar::recover::expandable(&recovered) {
                out.extend(expand(&recovered));
            } else {
                out.extend(fallback(&schema));
            }
            out
        }
    }
}

fn expand(schema: &Schema) -> TokenStream {
    let names: Vec<&Ident> = schema.tables.iter().map(|t| &t.name).collect();
    schema
        .tables
        .iter()
        .map(|t| expand_table(t, &names))
        .collect()
}

/// Just the table and column types, so code using them still resolves.
fn fallback(schema: &Schema) -> TokenStream {
    let mut seen_tables = std::collections::HashSet::new();
    schema
        .tables
        .iter()
        .filter(|table| seen_tables.insert(table.name.to_string()))
        .map(|table| {
            let name = &table.name;
            let mut seen = std::collections::HashSet::new();
            let columns = table
                .columns
                .iter()
                .map(|c| &c.name)
                .filter(|c| seen.insert(c.to_string()));
            quote! {
                #[allow(non_camel_case_types, dead_code)]
                pub mod #name {
                    #[derive(Debug, Clone, Copy, Default)]
                    pub struct table;
                    #(
                        #[derive(Debug, Clone, Copy, Default)]
                        pub struct #columns;
                    )*
                }
            }
        })
        .collect()
}

fn sql_type(ty: &SqlType) -> TokenStream {
    match ty {
        SqlType::Nullable { span, inner } => {
            let inner = sql_type(inner);
            quote_spanned!(*span=> ::quarry::sql_types::Nullable<#inner>)
        }
        SqlType::Array { span, inner } => {
            let inner = sql_type(inner);
            quote_spanned!(*span=> ::quarry::sql_types::Array<#inner>)
        }
        SqlType::Builtin(ident) => quote!(::quarry::sql_types::#ident),
        SqlType::Custom(path) => quote!(#path),
    }
}

fn sql_name(explicit: &Option<syn::LitStr>, name: &Ident) -> String {
    match explicit {
        Some(lit) => lit.value(),
        None => name.to_string().trim_start_matches("r#").to_owned(),
    }
}

fn expand_table(table: &Table, schema_tables: &[&Ident]) -> TokenStream {
    let name = &table.name;
    let docs = &table.docs;
    let table_sql = sql_name(&table.sql_name, name);
    let column_names: Vec<&Ident> = table.columns.iter().map(|c| &c.name).collect();
    let column_types: Vec<TokenStream> = table.columns.iter().map(|c| sql_type(&c.ty)).collect();

    let all_columns = nest(column_names.iter().map(|c| quote!(#c)).collect());
    let row_sql_type = nest(column_types.clone());
    let column_sql_names: Vec<String> = table
        .columns
        .iter()
        .map(|c| sql_name(&c.sql_name, &c.name))
        .collect();
    let columns = table
        .columns
        .iter()
        .zip(&column_types)
        .map(|(column, ty)| expand_column(column, ty, &table_sql));
    let primary_key = expand_primary_key(table);
    let grouped_by_key = expand_grouping(table, &table_sql);
    let references = references(table);
    let several = several_references(&references);
    // The other tables this one references, for the check that a join by
    // table name is not between two tables that reference each other.
    let table_references = references
        .iter()
        .filter(|r| r.target_table != name)
        .fold(quote!(::quarry::__private::NoRefs), |rest, r| {
            let target = r.target_table;
            quote!(::quarry::__private::RefTo<<super::#target::table as ::quarry::__private::Table>::Id, #rest>)
        });
    let references = references.iter().map(|r| {
        let unique = !several
            .iter()
            .any(|(target, _, _)| *target == r.target_table);
        expand_reference(r, unique, schema_tables)
    });
    let several = several
        .iter()
        .map(|(target, a, b)| expand_several(target, a, b));
    let sql_checker = crate::sql::table_checker(table);
    let doc_list = column_names
        .iter()
        .map(|c| format!("`{c}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let all_doc = format!("Every column of `{name}`, in order: {doc_list}.");

    let table_id = table_id(&table_sql);
    let table_struct = quote_spanned! {name.span()=>
        /// The table, for `FROM` and as the start of a query.
        #[derive(Debug, Clone, Copy, Default)]
        pub struct table;
    };
    quote! {
        #(#docs)*
        #[allow(non_camel_case_types, non_upper_case_globals, dead_code, unused_imports)]
        pub mod #name {
            use super::*;

            #table_struct

            impl ::quarry::__private::Table for table {
                const NAME: &'static str = #table_sql;
                const COLUMN_NAMES: &'static [&'static str] = &[#(#column_sql_names),*];
                const ALL_COLUMNS: #all_columns = #all_columns;
                type AllColumns = #all_columns;
                type RowSqlType = #row_sql_type;
                type Id = #table_id;
                type References = #table_references;
            }

            // Here rather than a blanket impl for every table in quarry: a
            // join then has one impl of `SourceSql`, and a join kind that a
            // backend lacks (FULL JOIN on MariaDB) is reported by its name.
            impl<__DB: ::quarry::Backend> ::quarry::query_source::SourceSql<__DB> for table {
                const SOURCE: ::quarry::__private::Part =
                    ::quarry::__private::Part::Ident(#table_sql);
                fn collect_source_binds<'a>(&'a self, _out: &mut ::quarry::__private::Binds<'a>) {}
            }

            #[doc = #all_doc]
            pub const all_columns: #all_columns = #all_columns;

            /// Every column of the table as one group: on the optional side of
            /// an outer join it loads as `Option<_>`.
            pub const star: ::quarry::query_source::Star<table> = ::quarry::query_source::Star::NEW;

            #primary_key
            #grouped_by_key
            #(#columns)*
            #(#references)*
            #(#several)*
            #sql_checker
        }
    }
}

fn expand_primary_key(table: &Table) -> TokenStream {
    // Spanned on the table's name, so notes about these impls show one line.
    let p = quote_spanned!(table.name.span()=> ::quarry::__private);
    let keys = &table.primary_key;
    let key = match keys.as_slice() {
        [] => return TokenStream::new(),
        [one] => quote!(#one),
        many => quote!((#(#many,)*)),
    };
    let params: Vec<_> = (0..keys.len())
        .map(|i| quote::format_ident!("__K{}", i, span = table.name.span()))
        .collect();
    let (key_type, key_pattern) = match params.as_slice() {
        [one] => (quote!(#one), quote!(#one)),
        many => (quote!((#(#many,)*)), quote!((#(#many,)*))),
    };
    let predicate_types = keys.iter().zip(&params).map(|(col, k)| {
        quote!(::quarry::expression::Compare<#col, <#k as #p::AsExpression<<#col as #p::Expression>::SqlType>>::Expr, ::quarry::expression::op::Eq>)
    });
    let predicate_type = predicate_types
        .reduce(|acc, next| quote!(::quarry::expression::And<#acc, #next>))
        .unwrap_or_default();
    let predicate = keys
        .iter()
        .zip(&params)
        .map(|(col, k)| quote!(#p::key_eq(#col, #k)))
        .reduce(|acc, next| quote!(#p::key_and(#acc, #next)))
        .unwrap_or_default();
    let bounds = keys
        .iter()
        .zip(&params)
        .map(|(col, k)| quote!(#k: #p::AsExpression<<#col as #p::Expression>::SqlType>));
    let span = table.name.span();
    quote_spanned! {span=>
        impl #p::HasPrimaryKey for table {
            type PrimaryKey = #key;
        }

        // `do_not_recommend`: a key of the wrong type is reported as
        // `FindKey`, in `find`'s terms, not as this impl's bound.
        #[allow(non_snake_case)]
        #[diagnostic::do_not_recommend]
        impl<#(#params),*> #p::FindKey<#key_type> for table
        where
            #(#bounds,)*
        {
            type Predicate = #predicate_type;
            fn key_predicate(#key_pattern: #key_type) -> Self::Predicate {
                #predicate
            }
        }
    }
}

/// GROUP BY and functional dependencies: each column has an identity, a
/// type-level number, and is determined by a grouping list that holds the
/// column itself or the table's whole primary key, as PostgreSQL allows.
/// One impl per column, so that grouping by the key and, redundantly, by
/// other columns is one answer for rustc, not two.
fn expand_grouping(table: &Table, table_sql: &str) -> TokenStream {
    let p = quote!(::quarry::__private);
    let id_of = |column: &Ident| -> TokenStream {
        let column_sql = table
            .columns
            .iter()
            .find(|c| &c.name == column)
            .map(|c| sql_name(&c.sql_name, &c.name))
            .unwrap_or_else(|| column.to_string());
        column_identity(table_sql, &column_sql)
    };
    let keys: Vec<TokenStream> = table.primary_key.iter().map(id_of).collect();
    // `__G` holds the whole key: `And` over the key's columns.
    let mut key_bounds = Vec::new();
    let key_all = match keys.split_first() {
        None => quote!(#p::False),
        Some((first, rest)) => {
            let mut acc = quote!(<__G as #p::GroupedId<#first>>::Out);
            for key in rest {
                let next = quote!(<__G as #p::GroupedId<#key>>::Out);
                key_bounds.push(quote!(#acc: #p::And<#next>));
                acc = quote!(<#acc as #p::And<#next>>::Out);
            }
            acc
        }
    };
    table
        .columns
        .iter()
        .map(|column| {
            let name = &column.name;
            let id = id_of(name);
            // Every token on the column's name: a note about this impl
            // shows the column's line, not the whole `table!`.
            let p = quote_spanned!(name.span()=> ::quarry::__private);
            let key_all = respan(key_all.clone(), name.span());
            let keys = keys.iter().map(|k| respan(k.clone(), name.span()));
            let key_bounds = key_bounds.iter().map(|k| respan(k.clone(), name.span()));
            let id = respan(id, name.span());
            quote_spanned! {name.span()=>
                impl<__Id> #p::GroupedId<__Id> for #name
                where
                    #id: #p::IdEq<__Id>,
                {
                    type Out = <#id as #p::IdEq<__Id>>::Out;
                }

                impl<__G> #p::Grouping<#p::Group<__G>, #p::Determined> for #name
                where
                    __G: #p::GroupedId<#id>,
                    #(__G: #p::GroupedId<#keys>,)*
                    #(#key_bounds,)*
                    <__G as #p::GroupedId<#id>>::Out: #p::Or<#key_all>,
                    <<__G as #p::GroupedId<#id>>::Out as #p::Or<#key_all>>::Out: #p::Determines<#name>,
                {
                    type Kind = #p::Constant;
                }
            }
        })
        .collect()
}

/// `tokens`, every one spanned at `span`.
fn respan(tokens: TokenStream, span: proc_macro2::Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut tree| {
            if let proc_macro2::TokenTree::Group(group) = &tree {
                let mut new =
                    proc_macro2::Group::new(group.delimiter(), respan(group.stream(), span));
                new.set_span(span);
                tree = proc_macro2::TokenTree::Group(new);
            } else {
                tree.set_span(span);
            }
            tree
        })
        .collect()
}

/// A column's identity: 48 bits of a hash of the table's and the column's
/// SQL names, as nested `B0`/`B1` types.
fn column_identity(table_sql: &str, column_sql: &str) -> TokenStream {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    table_sql.hash(&mut hasher);
    column_sql.hash(&mut hasher);
    let bits = hasher.finish();
    let p = quote!(::quarry::__private);
    (0..48).fold(quote!(#p::IdEnd), |inner, i| {
        if bits >> i & 1 == 1 {
            quote!(#p::B1<#inner>)
        } else {
            quote!(#p::B0<#inner>)
        }
    })
}

fn expand_column(column: &Column, ty: &TokenStream, table_sql: &str) -> TokenStream {
    let name = &column.name;
    let docs = &column.docs;
    let column_sql = sql_name(&column.sql_name, name);
    // On the column's name: a note about a column's impl (FROM
    // membership, grouping) shows the column's line, not the `table!`.
    let p = quote_spanned!(name.span()=> ::quarry::__private);
    // Every column has the operators: on a column that is not numeric,
    // their use is an error that names the column and its type.
    // Spanned on the column's name, so that a note about an operator
    // points at the column's line, not at the whole `table!`.
    let arithmetic = quote_spanned!(name.span()=> ::quarry::__impl_arithmetic_ops!([] #name););
    // An array column exists only on backends with arrays: using it in a
    // query for another backend does not compile.
    let backend = if is_array(&column.ty) {
        quote!(#p::SupportsArrays)
    } else {
        quote!(#p::Backend)
    };
    let default_doc = if docs.is_empty() {
        let text = format!("The `{column_sql}` column.");
        quote!(#[doc = #text])
    } else {
        TokenStream::new()
    };
    // Spanned on the column's name, so notes about the column point at one
    // line of the declaration rather than the whole macro call.
    quote_spanned! {name.span()=>
        #(#docs)*
        #default_doc
        #[derive(Debug, Clone, Copy, Default)]
        pub struct #name;

        impl #p::Expression for #name {
            type SqlType = #ty;
        }

        impl #p::Column for #name {
            type Table = table;
            const NAME: &'static str = #column_sql;
        }

        impl<__From, __Idx> #p::ValidIn<__From, __Idx> for #name
        where
            __From: #p::Locate<table, __Idx, #name>,
        {
            type Nullability = <__From as #p::Locate<table, __Idx, #name>>::Nullability;
        }

        impl #p::Grouping<#p::NoGroup, ()> for #name {
            type Kind = #p::RowValue;
        }

        impl<__DB: #backend> #p::QueryFragment<__DB> for #name {
            const FRAG: #p::Part = #p::Part::Seq(&[
                #p::Part::Ident(#table_sql),
                #p::Part::Str("."),
                #p::Part::Ident(#column_sql),
            ]);
            fn collect_binds<'a>(&'a self, _out: &mut #p::Binds<'a>) {}
        }

        #arithmetic
    }
}

/// Whether the column holds arrays: `Array<T>` or `Nullable<Array<T>>`.
fn is_array(ty: &SqlType) -> bool {
    match ty {
        SqlType::Nullable { inner, .. } => is_array(inner),
        SqlType::Array { .. } => true,
        SqlType::Builtin(_) | SqlType::Custom(_) => false,
    }
}

/// One declared reference: a column's `references`, or a table-level
/// `foreign key`.
struct Reference<'a> {
    marker: Ident,
    table: &'a Ident,
    local: Vec<&'a Ident>,
    target_table: &'a Ident,
    target: Vec<&'a Ident>,
}

fn references(table: &Table) -> Vec<Reference<'_>> {
    let from_columns = table.columns.iter().filter_map(|column| {
        let reference = column.references.as_ref()?;
        Some(Reference {
            marker: crate::validate::reference_name(column)?,
            table: &table.name,
            local: vec![&column.name],
            target_table: &reference.table,
            target: vec![&reference.column],
        })
    });
    let from_keys = table.foreign_keys.iter().map(|fk| Reference {
        marker: fk.name.clone(),
        table: &table.name,
        local: fk.columns.iter().collect(),
        target_table: &fk.table,
        target: fk.target_columns.iter().collect(),
    });
    from_columns.chain(from_keys).collect()
}

/// A reference marker: naming it in a join joins along it, and both tables
/// learn to join each other along it. The impls name only the two tables
/// of the reference, so the code stays linear in the number of references.
/// A self-reference gets only the marker: a self-join needs an alias.
fn expand_reference(
    reference: &Reference<'_>,
    unique: bool,
    schema_tables: &[&Ident],
) -> TokenStream {
    let p = quote!(::quarry::__private);
    let Reference {
        marker,
        table,
        local,
        target_table,
        target,
    } = reference;
    let doc = format!(
        "The reference from `{table}` ({}) to `{target_table}` ({}): join along it with `inner_join({table}::{marker})`.",
        local
            .iter()
            .map(|c| c.to_string())
            .collect::<Vec<_>>()
            .join(", "),
        target
            .iter()
            .map(|c| c.to_string())
            .collect::<Vec<_>>()
            .join(", "),
    );
    let target_module = quote!(super::#target_table);
    let on_type = local
        .iter()
        .zip(target)
        .map(|(l, t)| quote!(::quarry::expression::Compare<#l, #target_module::#t, ::quarry::expression::op::Eq>))
        .reduce(|acc, next| quote!(::quarry::expression::And<#acc, #next>))
        .unwrap_or_default();
    let marker_item = quote_spanned! {marker.span()=>
        #[doc = #doc]
        #[derive(Debug, Clone, Copy, Default)]
        pub struct #marker;
    };
    let relation = crate::relations::reference_facts(marker, local, target_table, target);
    // Spanned on each referenced column: a reference to a column of another
    // SQL type does not compile, also across `table!` invocations.
    // (`validate` checks a reference within one invocation itself.)
    let in_schema = schema_tables.contains(target_table);
    let type_checks = local
        .iter()
        .zip(target)
        .filter(|_| !in_schema)
        .map(|(l, t)| {
            let l = Ident::new(&l.to_string(), t.span());
            quote_spanned! {t.span()=>
                const _: () = #p::check_reference::<#l, #target_module::#t>();
            }
        });
    let relation = quote!(#relation #(#type_checks)*);
    if *table == *target_table {
        return quote!(#marker_item #relation impl #p::JoinedKind for #marker {
            type Kind = #p::AMarker;
        });
    }
    // A table joins along its reference only when it is the one reference
    // between the two tables; else `expand_several` says to name one.
    let joins_to = if unique {
        quote_spanned! {marker.span()=>
            impl #p::JoinsTo<#target_module::table, #marker> for table {
                type On = #on_type;
            }

            impl #p::JoinsTo<table, #marker> for #target_module::table {
                type On = #on_type;
            }
        }
    } else {
        TokenStream::new()
    };
    quote_spanned! {marker.span()=>
        #marker_item
        #relation
        #joins_to

        impl #p::JoinedKind for #marker {
            type Kind = #p::AMarker;
        }

        impl<__L, __I, __O> #p::JoinTarget<__L, #p::Forward<__I, __O>> for #marker
        where
            __L: #p::Locate<table, __I, #marker>,
            #p::OnScope<__L, #target_module::table>: #p::Locate<#target_module::table, __O, #p::JoinedOnce>,
        {
            type Source = #target_module::table;
            type On = #on_type;
            fn collect_on_binds<'a, __DB: #p::Backend>(&'a self, _out: &mut #p::Binds<'a>)
            where
                Self::On: #p::QueryFragment<__DB>,
            {
            }
        }

        impl<__L, __I, __O> #p::JoinTarget<__L, #p::Backward<__I, __O>> for #marker
        where
            __L: #p::Locate<#target_module::table, __I, #marker>,
            #p::OnScope<__L, table>: #p::Locate<table, __O, #p::JoinedOnce>,
        {
            type Source = table;
            type On = #on_type;
            fn collect_on_binds<'a, __DB: #p::Backend>(&'a self, _out: &mut #p::Binds<'a>)
            where
                Self::On: #p::QueryFragment<__DB>,
            {
            }
        }
    }
}

/// The tables this table references more than once, each with its first
/// two references: joining such a table by itself must name the reference.
fn several_references<'a>(references: &[Reference<'a>]) -> Vec<(&'a Ident, Ident, Ident)> {
    let mut out: Vec<(&Ident, Ident, Ident)> = Vec::new();
    for (i, reference) in references.iter().enumerate() {
        let target = reference.target_table;
        if target == reference.table || out.iter().any(|(t, _, _)| *t == target) {
            continue;
        }
        if let Some(second) = references[i + 1..]
            .iter()
            .find(|r| r.target_table == target)
        {
            out.push((target, reference.marker.clone(), second.marker.clone()));
        }
    }
    out
}

/// Joining `target` to this table (or this table to `target`) without
/// naming a reference: one impl whose condition asks to name `a` or `b`.
fn expand_several(target: &Ident, a: &Ident, b: &Ident) -> TokenStream {
    let p = quote!(::quarry::__private);
    let target_module = quote!(super::#target);
    let several = quote!(#p::OneOf<#a, #b>);
    quote_spanned! {a.span()=>
        impl #p::JoinsTo<#target_module::table, #several> for table {
            type On = #several;
        }

        impl #p::JoinsTo<table, #several> for #target_module::table {
            type On = #several;
        }
    }
}

/// A table's identity as a type: the top 48 bits of its SQL name's FNV-1a
/// hash, one hex digit per type, so that a join can tell two tables apart
/// by their types alone.
fn table_id(sql_name: &str) -> TokenStream {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in sql_name.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    let p = quote!(::quarry::__private);
    (4..16).rev().fold(quote!(#p::End), |rest, i| {
        let digit = quote::format_ident!("X{:X}", (hash >> (i * 4)) & 0xf);
        quote!(#p::Digits<#p::#digit, #rest>)
    })
}
