//! What relations need from `table!` and from row structs.
//!
//! `table!` tells, for each reference, which table is the child and which
//! the parent, and which columns hold the keys: [`reference_facts`].
//! `#[derive(Related)]` tells which field holds each column: [`expand`].

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{DeriveInput, Ident};

use crate::attr::{require_table, struct_attrs, write_fields};

/// The facts of one reference, on its marker, and the child table's
/// `ChildOf` impl that lets `belonging_to` find the reference by the two
/// tables alone.
pub fn reference_facts(
    marker: &Ident,
    local: &[&Ident],
    target_table: &Ident,
    target: &[&Ident],
) -> TokenStream {
    let p = quote!(::quarry::__private);
    let target_module = quote!(super::#target_table);
    quote_spanned! {marker.span()=>
        impl #p::Reference for #marker {
            type Child = table;
            type Parent = #target_module::table;
            type ForeignKey = (#(#local,)*);
            type ParentKey = (#(#target_module::#target,)*);
        }

        impl #p::ChildOf<#target_module::table, #marker> for table {}
    }
}

/// `#[derive(Related)]`: the struct's table, and for each field the column
/// it holds, so relations can read parents' keys and children's foreign
/// keys.
pub fn expand(input: DeriveInput) -> syn::Result<TokenStream> {
    let attrs = struct_attrs(&input)?;
    let table = require_table(&attrs, &input, "Related")?;
    let fields = write_fields(&input)?;
    let name = &input.ident;
    let p = quote!(::quarry::__private);
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let field_impls = fields.iter().map(|f| {
        let column = &f.column;
        let member = &f.member;
        let ty = &f.field.ty;
        let col = quote_spanned!(column.span()=> #table::#column);
        quote_spanned! {ty.span()=>
            impl #impl_generics #p::FieldOf<#col> for #name #ty_generics #where_clause {
                type Value = #ty;
                fn field(&self) -> &#ty {
                    &self.#member
                }
            }
        }
    });
    Ok(quote! {
        const _: () = {
            impl #impl_generics #p::Related for #name #ty_generics #where_clause {
                type Table = #table::table;
            }
            #(#field_impls)*
        };
    })
}
