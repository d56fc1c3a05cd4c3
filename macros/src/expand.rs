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
            out.extend(fallback(&schema));
            out
        }
    }
}

fn expand(schema: &Schema) -> TokenStream {
    schema.tables.iter().map(expand_table).collect()
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

fn expand_table(table: &Table) -> TokenStream {
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
    let grouped_by_key = expand_grouped_by_key(table);
    let references = references(table);
    let references = references.iter().map(expand_reference);
    let sql_checker = crate::sql::table_checker(table);
    let doc_list = column_names
        .iter()
        .map(|c| format!("`{c}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let all_doc = format!("Every column of `{name}`, in order: {doc_list}.");

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
            #sql_checker
        }
    }
}

fn expand_primary_key(table: &Table) -> TokenStream {
    let p = quote!(::quarry::__private);
    let keys = &table.primary_key;
    let key = match keys.as_slice() {
        [] => return TokenStream::new(),
        [one] => quote!(#one),
        many => quote!((#(#many,)*)),
    };
    let params: Vec<_> = (0..keys.len())
        .map(|i| quote::format_ident!("__K{}", i))
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

/// Grouping by the primary key makes the table's other columns usable in
/// the selection, as PostgreSQL allows: one impl per non-key column.
fn expand_grouped_by_key(table: &Table) -> TokenStream {
    let p = quote!(::quarry::__private);
    let keys = &table.primary_key;
    if keys.is_empty() {
        return TokenStream::new();
    }
    let params: Vec<_> = (0..keys.len())
        .map(|i| quote::format_ident!("__I{}", i))
        .collect();
    table
        .columns
        .iter()
        .filter(|c| !keys.contains(&c.name))
        .map(|column| {
            let name = &column.name;
            quote_spanned! {name.span()=>
                impl<__G, #(#params),*> #p::Grouping<#p::Group<__G>, #p::ByKey<(#(#params,)*)>> for #name
                where
                    #(__G: #p::GroupHas<#keys, #params>,)*
                {
                    type Kind = #p::Constant;
                }
            }
        })
        .collect()
}

fn expand_column(column: &Column, ty: &TokenStream, table_sql: &str) -> TokenStream {
    let name = &column.name;
    let docs = &column.docs;
    let column_sql = sql_name(&column.sql_name, name);
    let p = quote!(::quarry::__private);
    let arithmetic = if is_numeric(&column.ty) {
        quote!(::quarry::__impl_arithmetic_ops!([] #name);)
    } else {
        TokenStream::new()
    };
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

        ::quarry::__impl_grouped_exactly!([] #name);

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

/// Whether `+ - * /` apply: the numeric built-in types, nullable or not.
/// Custom types get no operators (their numeric-ness is unknown here).
fn is_numeric(ty: &SqlType) -> bool {
    match ty {
        SqlType::Nullable { inner, .. } => is_numeric(inner),
        SqlType::Builtin(ident) => matches!(
            ident.to_string().as_str(),
            "SmallInt" | "Integer" | "BigInt" | "Float" | "Double" | "Numeric"
        ),
        SqlType::Array { .. } | SqlType::Custom(_) => false,
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
fn expand_reference(reference: &Reference<'_>) -> TokenStream {
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
    if *table == *target_table {
        return quote!(#marker_item #relation);
    }
    quote_spanned! {marker.span()=>
        #marker_item
        #relation

        impl #p::JoinsTo<#target_module::table, #marker> for table {
            type On = #on_type;
        }

        impl #p::JoinsTo<table, #marker> for #target_module::table {
            type On = #on_type;
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
