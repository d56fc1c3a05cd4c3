//! `#[derive(Selectable)]`: `Struct::as_select()` selects the columns named
//! like the struct's fields, and the struct loads them.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{DeriveInput, Ident};

use crate::chunks::nest;

/// `#[quarry(table = posts)]` on the struct.
fn table_path(input: &DeriveInput) -> syn::Result<syn::Path> {
    let mut table = None;
    for attr in &input.attrs {
        if !attr.path().is_ident("quarry") {
            continue;
        }
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("table") {
                table = Some(meta.value()?.parse::<syn::Path>()?);
                Ok(())
            } else {
                Err(meta.error("unknown `quarry` attribute; expected `table = ...`"))
            }
        })?;
    }
    table.ok_or_else(|| {
        syn::Error::new_spanned(
            &input.ident,
            "`#[derive(Selectable)]` needs the table: add `#[quarry(table = posts)]`",
        )
    })
}

/// `#[quarry(column = name)]` on a field, or the field's own name.
fn column_name(field: &syn::Field) -> syn::Result<Ident> {
    let mut column = None;
    for attr in &field.attrs {
        if !attr.path().is_ident("quarry") {
            continue;
        }
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("column") {
                column = Some(meta.value()?.parse::<Ident>()?);
                Ok(())
            } else {
                Err(meta.error("unknown `quarry` attribute; expected `column = ...`"))
            }
        })?;
    }
    match (column, &field.ident) {
        (Some(c), _) => Ok(c),
        (None, Some(ident)) => Ok(ident.clone()),
        (None, None) => Err(syn::Error::new_spanned(
            field,
            "a tuple struct field needs `#[quarry(column = name)]`",
        )),
    }
}

pub fn expand(input: DeriveInput) -> syn::Result<TokenStream> {
    let table = table_path(&input)?;
    let fields = crate::derive_queryable::fields(&input)?;
    let name = &input.ident;
    let p = quote!(::quarry::__private);

    let mut errors: Option<syn::Error> = None;
    let mut columns = Vec::new();
    for field in &fields {
        match column_name(field) {
            Ok(c) => columns.push(c),
            Err(e) => match &mut errors {
                Some(all) => all.combine(e),
                None => errors = Some(e),
            },
        }
    }
    if let Some(e) = errors {
        return Err(e);
    }

    let column_paths: Vec<TokenStream> = columns
        .iter()
        .map(|c| quote_spanned!(c.span()=> #table::#c))
        .collect();
    let selection = nest(column_paths.clone());
    // One check per field, spanned on its type: a `String` field for a
    // `Nullable<Text>` column is reported there.
    let checks = fields.iter().zip(&column_paths).map(|(field, column)| {
        let ty = &field.ty;
        quote_spanned! {ty.span()=>
            #p::check_field::<<#column as #p::Expression>::SqlType, #ty>();
        }
    });
    let queryable = crate::derive_queryable::expand(input.clone())?;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();

    Ok(quote! {
        impl #impl_generics #name #ty_generics #where_clause {
            /// The columns this struct loads, by field name: pass it to `select`.
            pub fn as_select() -> #p::AsSelect<Self, #selection, #table::table> {
                #p::AsSelect::new(#selection)
            }
        }

        const _: () = {
            fn __quarry_check_fields() {
                #(#checks)*
            }
        };

        #queryable
    })
}
