//! `#[derive(Queryable)]`: a row loads into the struct by position.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{Data, DeriveInput, Fields};

use crate::chunks::nest;

/// The struct's fields, in order, for the derives.
pub fn fields(input: &DeriveInput) -> syn::Result<Vec<&syn::Field>> {
    match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(named) if !named.named.is_empty() => Ok(named.named.iter().collect()),
            Fields::Unnamed(unnamed) if !unnamed.unnamed.is_empty() => {
                Ok(unnamed.unnamed.iter().collect())
            }
            _ => Err(syn::Error::new_spanned(
                &input.ident,
                "a row struct needs at least one field",
            )),
        },
        _ => Err(syn::Error::new_spanned(
            &input.ident,
            "rows load into structs; enums and unions are not supported",
        )),
    }
}

pub fn expand(input: DeriveInput) -> syn::Result<TokenStream> {
    let fields = fields(&input)?;
    let name = &input.ident;
    let (_, ty_generics, where_clause) = input.generics.split_for_impl();
    let p = quote!(::quarry::__private);

    let sql_params: Vec<_> = (0..fields.len())
        .map(|i| format_ident!("__ST{}", i))
        .collect();
    let row_type = nest(sql_params.iter().map(|p| quote!(#p)).collect());
    let field_types: Vec<_> = fields.iter().map(|f| &f.ty).collect();

    // Read each field in order; nested tuples read in the same order.
    let values: Vec<_> = (0..fields.len())
        .map(|i| format_ident!("__field{}", i))
        .collect();
    let reads = fields
        .iter()
        .zip(&values)
        .zip(&sql_params)
        .map(|((f, v), st)| {
            let ty = &f.ty;
            quote!(let #v = <#ty as #p::FromRow<#st, __DB>>::from_row(row)?;)
        });
    let construct = match fields.first().and_then(|f| f.ident.as_ref()) {
        Some(_) => {
            let idents = fields.iter().map(|f| &f.ident);
            quote!(#name { #(#idents: #values,)* })
        }
        None => quote!(#name(#(#values,)*)),
    };

    let mut generics = input.generics.clone();
    generics.params.push(syn::parse_quote!(__DB: #p::Backend));
    for st in &sql_params {
        generics.params.push(syn::parse_quote!(#st));
    }
    let (impl_generics, _, _) = generics.split_for_impl();
    let mut bounds: Vec<TokenStream> = where_clause
        .map(|w| w.predicates.iter().map(|p| quote!(#p)).collect())
        .unwrap_or_default();
    bounds.extend(
        field_types
            .iter()
            .zip(&sql_params)
            .map(|(ty, st)| quote!(#ty: #p::FromRow<#st, __DB>)),
    );

    Ok(quote! {
        impl #impl_generics #p::FromRow<#row_type, __DB> for #name #ty_generics
        where
            #(#bounds,)*
        {
            #[inline]
            fn from_row(row: &mut #p::RowReader<'_, '_, __DB>) -> ::core::result::Result<Self, #p::Error> {
                #(#reads)*
                ::core::result::Result::Ok(#construct)
            }
        }
    })
}
