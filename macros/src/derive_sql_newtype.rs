//! `#[derive(SqlNewtype)]`: a struct of one field that is its field as a
//! SQL value, in every position (filters, inserts, `find`, loads).

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

pub fn expand(input: DeriveInput) -> syn::Result<TokenStream> {
    let wrong = || {
        syn::Error::new_spanned(
            &input.ident,
            "`#[derive(SqlNewtype)]` goes on a struct of exactly one field: `struct UserId(i32);`",
        )
    };
    let syn::Data::Struct(data) = &input.data else {
        return Err(wrong());
    };
    if data.fields.len() != 1 || !input.generics.params.is_empty() {
        return Err(wrong());
    }
    let Some(field) = data.fields.iter().next() else {
        return Err(wrong());
    };
    let inner = &field.ty;
    let member = match &field.ident {
        Some(name) => quote!(#name),
        None => quote!(0),
    };
    let ident = &input.ident;
    let build = match &field.ident {
        Some(name) => quote!(|inner| #ident { #name: inner }),
        None => quote!(#ident),
    };
    let q = quote!(::quarry);
    Ok(quote! {
        const _: () = {
            impl #q::expression::ToValue for #ident {
                fn to_value(&self) -> #q::Value<'_> {
                    #q::expression::ToValue::to_value(&self.#member)
                }
            }
            impl<ST: #q::sql_types::SqlType> #q::types::BindValue<ST> for #ident
            where
                #inner: #q::types::BindValue<ST>,
            {
            }
            impl<ST: #q::sql_types::SqlType> #q::expression::AsExpression<ST> for #ident
            where
                #ident: #q::types::BindValue<ST>,
            {
                type Expr = #q::expression::Bound<ST, #ident>;
                fn as_expression(self) -> Self::Expr {
                    #q::expression::Bound::new(self)
                }
            }
            impl<ST: #q::sql_types::SqlType> #q::expression::Comparand<ST> for #ident
            where
                #ident: #q::types::BindValue<ST>,
            {
                type Expr = #q::expression::Bound<ST, #ident>;
                fn into_comparand(self) -> Self::Expr {
                    #q::expression::Bound::new(self)
                }
            }
            impl<ST: #q::sql_types::SqlType, DB: #q::Backend> #q::types::FromSql<ST, DB> for #ident
            where
                #inner: #q::types::FromSql<ST, DB>,
            {
                fn from_sql(
                    raw: <DB as #q::Backend>::RawValue<'_>,
                ) -> ::core::result::Result<Self, #q::types::DecodeError> {
                    <#inner as #q::types::FromSql<ST, DB>>::from_sql(raw).map(#build)
                }
            }
        };
        #q::impl_from_row!(#ident);
    })
}
