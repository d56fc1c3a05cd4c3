//! `#[derive(AsChangeset)]`: `update(target).set(&changes)` sets the
//! columns named like the struct's fields. `#[derive(Identifiable)]`:
//! `update(&row)` and `delete(&row)` write the row with the struct's
//! primary key.
//!
//! A field of type `Option<T>` is skipped when `None` (the column keeps its
//! value) and `Option<Option<T>>` sets NULL with `Some(None)`. Which
//! columns are written is decided by the struct's type, never by its
//! values: a skipped column is written back with its own value
//! (`"c" = COALESCE(?, "c")`), so one struct has one SQL text.
//!
//! The primary key's fields (a field `id`, or those listed in
//! `#[quarry(primary_key(...))]`) and `#[quarry(default)]` fields are never
//! set.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::DeriveInput;
use syn::spanned::Spanned;

use crate::attr::{WriteField, key_fields, require_table, struct_attrs, write_fields};
use crate::chunks::nest;

/// How a field is written, by its type as written.
enum Kind<'a> {
    /// `T`: always set.
    Plain,
    /// `Option<T>`: set when `Some`.
    Optional(&'a syn::Type),
    /// `Option<Option<T>>`: set when `Some`, to NULL when `Some(None)`.
    OptionalNullable(&'a syn::Type),
}

/// `T` when `ty` is written `Option<T>`.
fn option_inner(ty: &syn::Type) -> Option<&syn::Type> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    if path.qself.is_some() {
        return None;
    }
    let last = path.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        syn::GenericArgument::Type(inner) if args.args.len() == 1 => Some(inner),
        _ => None,
    }
}

fn kind(ty: &syn::Type) -> Kind<'_> {
    match option_inner(ty) {
        Some(inner) => match option_inner(inner) {
            Some(innermost) => Kind::OptionalNullable(innermost),
            None => Kind::Optional(inner),
        },
        None => Kind::Plain,
    }
}

fn column_path(table: &syn::Path, field: &WriteField<'_>) -> TokenStream {
    let c = &field.column;
    quote_spanned!(c.span()=> #table::#c)
}

pub fn expand_as_changeset(input: DeriveInput) -> syn::Result<TokenStream> {
    let attrs = struct_attrs(&input)?;
    let table = require_table(&attrs, &input, "AsChangeset")?;
    let fields = write_fields(&input)?;
    let keys: Vec<String> = key_fields(&attrs, &fields)?
        .iter()
        .map(|f| f.column.to_string())
        .collect();
    let set: Vec<&WriteField<'_>> = fields
        .iter()
        .filter(|f| f.attrs.default.is_none() && !keys.contains(&f.column.to_string()))
        .collect();
    if set.is_empty() {
        return Err(syn::Error::new_spanned(
            &input.ident,
            "this struct has no column to set: every field is the primary key or `#[quarry(default)]`",
        ));
    }
    let name = &input.ident;
    let p = quote!(::quarry::__private);

    let mut types = Vec::new();
    let mut values = Vec::new();
    let mut checks = Vec::new();
    for f in &set {
        let col = column_path(&table, f);
        let ty = &f.field.ty;
        let member = &f.member;
        let st = quote!(<#col as #p::Expression>::SqlType);
        let (item_type, value, checked) = match kind(ty) {
            Kind::Plain => (
                quote!(#p::Assign<#col, ::quarry::expression::Bound<#st, &'__quarry #ty>>),
                quote!(#p::assign_field::<#col, _>(&self.#member)),
                quote!(#ty),
            ),
            Kind::Optional(inner) => (
                quote!(::quarry::query::SetIfSome<#col, &'__quarry #ty>),
                quote!(#p::set_if_some::<#col, _>(&self.#member)),
                quote!(#inner),
            ),
            Kind::OptionalNullable(inner) => (
                quote!(::quarry::query::SetIfSomeNullable<'__quarry, #col, #inner>),
                quote!(#p::set_if_some_nullable::<#col, _>(&self.#member)),
                quote!(::core::option::Option<#inner>),
            ),
        };
        types.push(item_type);
        values.push(value);
        checks.push(quote_spanned! {ty.span()=>
            #p::check_bind::<#col, #checked>();
        });
    }
    let changeset_type = nest(types);
    let changeset = nest(values);

    let mut generics = input.generics.clone();
    generics.params.insert(0, syn::parse_quote!('__quarry));
    generics.params.push(syn::parse_quote!(__F));
    let (impl_generics, _, _) = generics.split_for_impl();
    let (_, ty_generics, where_clause) = input.generics.split_for_impl();
    let mut bounds: Vec<TokenStream> = where_clause
        .map(|w| w.predicates.iter().map(|p| quote!(#p)).collect())
        .unwrap_or_default();
    bounds.push(quote!(__F: #p::WriteTarget<Table = #table::table>));
    let mut check_generics = input.generics.clone();
    check_generics
        .params
        .insert(0, syn::parse_quote!('__quarry));
    let (check_impl_generics, _, _) = check_generics.split_for_impl();

    Ok(quote! {
        const _: () = {
            fn __quarry_check_fields #check_impl_generics () #where_clause {
                #(#checks)*
            }

            impl #impl_generics #p::AsChangeset<__F, ()> for &'__quarry #name #ty_generics
            where
                #(#bounds,)*
            {
                type Changeset = #changeset_type;
                fn as_changeset(self) -> Self::Changeset {
                    #changeset
                }
            }
        };
    })
}

pub fn expand_identifiable(input: DeriveInput) -> syn::Result<TokenStream> {
    let attrs = struct_attrs(&input)?;
    let table = require_table(&attrs, &input, "Identifiable")?;
    let fields = write_fields(&input)?;
    let keys = key_fields(&attrs, &fields)?;
    if keys.is_empty() {
        return Err(syn::Error::new_spanned(
            &input.ident,
            "`#[derive(Identifiable)]` needs the primary key: a field `id`, or `#[quarry(primary_key(a, b))]`",
        ));
    }
    let name = &input.ident;
    let p = quote!(::quarry::__private);

    let columns: Vec<TokenStream> = keys.iter().map(|f| column_path(&table, f)).collect();
    let key_columns = match columns.as_slice() {
        [one] => one.clone(),
        many => quote!((#(#many,)*)),
    };
    let predicate_type = keys
        .iter()
        .zip(&columns)
        .map(|(f, col)| {
            let ty = &f.field.ty;
            quote!(::quarry::expression::Compare<#col, ::quarry::expression::Bound<<#col as #p::Expression>::SqlType, &'__quarry #ty>, ::quarry::expression::op::Eq>)
        })
        .reduce(|acc, next| quote!(::quarry::expression::And<#acc, #next>))
        .unwrap_or_default();
    let predicate = keys
        .iter()
        .zip(&columns)
        .map(|(f, col)| {
            let member = &f.member;
            quote!(#p::key_field(<#col as ::core::default::Default>::default(), &self.#member))
        })
        .reduce(|acc, next| quote!(#p::key_and(#acc, #next)))
        .unwrap_or_default();
    let checks = keys.iter().zip(&columns).map(|(f, col)| {
        let ty = &f.field.ty;
        quote_spanned! {ty.span()=>
            #p::check_bind::<#col, #ty>();
        }
    });
    let key_span = keys[0].column.span();
    let key_check = quote_spanned! {key_span=>
        #p::assert_primary_key::<#table::table, #key_columns>();
    };

    let mut generics = input.generics.clone();
    generics.params.insert(0, syn::parse_quote!('__quarry));
    let (impl_generics, _, _) = generics.split_for_impl();
    let (_, ty_generics, where_clause) = input.generics.split_for_impl();

    Ok(quote! {
        const _: () = {
            fn __quarry_check_key #impl_generics () #where_clause {
                #key_check
                #(#checks)*
            }

            impl #impl_generics #p::IntoUpdateTarget for &'__quarry #name #ty_generics #where_clause {
                type Table = #table::table;
                type Where = #p::Where<#predicate_type>;
                fn into_update_target(self) -> (Self::Table, Self::Where) {
                    (::core::default::Default::default(), #p::where_clause(#predicate))
                }
            }
        };
    })
}
