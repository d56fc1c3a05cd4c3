//! `#[derive(Insertable)]`: `insert_into(users::table).values(&row)` inserts
//! the struct's fields into the columns of the same names; `&rows` inserts
//! many.
//!
//! A field marked `#[quarry(default)]` is left out of the INSERT, so the
//! database fills the column in. An `Option<T>` field is a nullable value:
//! `None` inserts NULL. Which columns an INSERT names is decided by the
//! struct's type, never by its values, so one struct has one SQL text.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::DeriveInput;
use syn::spanned::Spanned;

use crate::attr::{require_table, struct_attrs, write_fields};
use crate::chunks::nest;

pub fn expand(input: DeriveInput) -> syn::Result<TokenStream> {
    let attrs = struct_attrs(&input)?;
    let table = require_table(&attrs, &input, "Insertable")?;
    let fields = write_fields(&input)?;
    let inserted: Vec<_> = fields
        .iter()
        .filter(|f| f.attrs.default.is_none())
        .collect();
    if inserted.is_empty() {
        return Err(syn::Error::new_spanned(
            &input.ident,
            "every field is `#[quarry(default)]`, so there is nothing to insert",
        ));
    }
    let name = &input.ident;
    let p = quote!(::quarry::__private);

    let columns: Vec<TokenStream> = inserted
        .iter()
        .map(|f| {
            let c = &f.column;
            quote_spanned!(c.span()=> #table::#c)
        })
        .collect();
    let item_types = inserted.iter().zip(&columns).map(|(f, col)| {
        let ty = &f.field.ty;
        quote!(#p::Assign<#col, ::quarry::expression::Bound<<#col as #p::Expression>::SqlType, &'__quarry #ty>>)
    });
    let row_type = nest(item_types.collect());
    let items = inserted.iter().zip(&columns).map(|(f, col)| {
        let member = &f.member;
        quote!(#p::assign_field::<#col, _>(&self.#member))
    });
    let row = nest(items.collect());
    // One check per field, spanned on its type: a `String` field for an
    // `Integer` column is reported there.
    let checks = inserted.iter().zip(&columns).map(|(f, col)| {
        let ty = &f.field.ty;
        quote_spanned! {ty.span()=>
            #p::check_bind::<#col, #ty>();
        }
    });

    let mut generics = input.generics.clone();
    generics.params.insert(0, syn::parse_quote!('__quarry));
    let (impl_generics, _, _) = generics.split_for_impl();
    let (_, ty_generics, where_clause) = input.generics.split_for_impl();
    let target = quote!(#table::table);

    Ok(quote! {
        const _: () = {
            fn __quarry_check_fields #impl_generics () #where_clause {
                #(#checks)*
            }

            impl #impl_generics #p::InsertableRow<#target, ()> for &'__quarry #name #ty_generics #where_clause {
                type Row = #row_type;
                fn into_row(self) -> Self::Row {
                    #row
                }
            }

            impl #impl_generics #p::Insertable<#target, ()> for &'__quarry #name #ty_generics #where_clause {
                type Values = #p::ValuesClause<#row_type>;
                fn into_values(self) -> Self::Values {
                    #p::ValuesClause::new(#p::InsertableRow::into_row(self))
                }
            }
        };
    })
}
