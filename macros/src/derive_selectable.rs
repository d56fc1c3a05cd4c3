//! `#[derive(Selectable)]`: `Struct::as_select()` selects the columns named
//! like the struct's fields, and the struct loads them.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::DeriveInput;
use syn::spanned::Spanned;

use crate::chunks::nest;

pub fn expand(input: DeriveInput) -> syn::Result<TokenStream> {
    let attrs = crate::attr::struct_attrs(&input)?;
    let table = crate::attr::require_table(&attrs, &input, "Selectable")?;
    let fields = crate::derive_queryable::fields(&input)?;
    let name = &input.ident;
    let p = quote!(::quarry::__private);

    let mut errors = crate::attr::Errors::default();
    let mut columns = Vec::new();
    for field in &fields {
        match crate::attr::field_attrs(field).and_then(|a| crate::attr::column_of(field, &a)) {
            Ok(c) => columns.push(c),
            Err(e) => errors.push(e),
        }
    }
    errors.finish()?;

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
