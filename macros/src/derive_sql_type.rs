//! `#[derive(SqlType)]`: a marker type for a SQL type quarry does not
//! know (a PostgreSQL enum, `inet`, a domain), used in `table!` like a
//! built-in one.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{DeriveInput, LitStr};

use crate::attr::Errors;

/// `#[sql(postgres_type = "mood")]` on a unit struct.
pub fn expand(input: DeriveInput) -> syn::Result<TokenStream> {
    let mut errors = Errors::default();
    let mut name: Option<LitStr> = None;
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("sql")) {
        let parsed = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("postgres_type") {
                name = Some(meta.value()?.parse()?);
                Ok(())
            } else {
                Err(meta.error("`#[sql(...)]` of `SqlType` takes `postgres_type = \"name\"`"))
            }
        });
        if let Err(e) = parsed {
            errors.push(e);
        }
    }
    let syn::Data::Struct(data) = &input.data else {
        return Err(syn::Error::new_spanned(
            &input.ident,
            "`#[derive(SqlType)]` goes on a unit struct: `pub struct Mood;`",
        ));
    };
    if !matches!(data.fields, syn::Fields::Unit) {
        errors.push(syn::Error::new_spanned(
            &input.ident,
            "`#[derive(SqlType)]` goes on a unit struct: `pub struct Mood;`",
        ));
    }
    let Some(name) = name else {
        errors.push(syn::Error::new_spanned(
            &input.ident,
            "`#[derive(SqlType)]` needs the database's name of the type: `#[sql(postgres_type = \"mood\")]`",
        ));
        return errors.finish().map(|()| TokenStream::new());
    };
    errors.finish()?;
    let ident = &input.ident;
    Ok(sql_type_impl(&quote!(#ident), &name))
}

/// `SqlType` for `ty`, a type the database calls `name`, bound as text
/// that the server converts.
pub fn sql_type_impl(ty: &TokenStream, name: &LitStr) -> TokenStream {
    let st = quote!(::quarry::sql_types);
    quote! {
        impl #st::SqlType for #ty {
            type Nullability = #st::NotNull;
            type NotNull = Self;
            type Nullable = #st::Nullable<Self>;
            const NAME: &'static str = #name;
            const PARAM: ::quarry::ParamType = ::quarry::ParamType::Named(#name);
        }
    }
}
