//! `#[derive(SqlEnum)]`: a Rust enum of unit variants as a SQL enum.
//!
//! By default the enum is its own SQL type, a PostgreSQL enum (named by
//! `#[sql(postgres_type = "..")]`, else the enum's name in snake_case) and
//! TEXT on SQLite; `#[sql(sql_type = path)]` maps it to a marker declared
//! elsewhere (`print-schema`'s `sql_types`); `#[sql(repr = "integer")]`
//! stores the discriminant in an `Integer` column instead. Labels are the
//! variants' names, changed by `rename_all` and each variant's `rename`.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{DeriveInput, LitStr};

use crate::attr::Errors;
use crate::derive_sql_type::sql_type_impl;

struct EnumAttrs {
    sql_type: Option<syn::Path>,
    postgres_type: Option<LitStr>,
    rename_all: Option<LitStr>,
    integer: bool,
}

const RULES: &str = "`rename_all` takes \"snake_case\", \"lowercase\", \"UPPERCASE\", \"SCREAMING_SNAKE_CASE\", \"kebab-case\" or \"camelCase\"";

fn enum_attrs(input: &DeriveInput, errors: &mut Errors) -> EnumAttrs {
    let mut out = EnumAttrs {
        sql_type: None,
        postgres_type: None,
        rename_all: None,
        integer: false,
    };
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("sql")) {
        let parsed = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("sql_type") {
                out.sql_type = Some(meta.value()?.parse()?);
            } else if meta.path.is_ident("postgres_type") {
                out.postgres_type = Some(meta.value()?.parse()?);
            } else if meta.path.is_ident("rename_all") {
                let rule: LitStr = meta.value()?.parse()?;
                if rename(&rule.value(), "X").is_none() {
                    return Err(syn::Error::new_spanned(&rule, RULES));
                }
                out.rename_all = Some(rule);
            } else if meta.path.is_ident("repr") {
                let repr: LitStr = meta.value()?.parse()?;
                match repr.value().as_str() {
                    "integer" => out.integer = true,
                    "text" => out.integer = false,
                    _ => {
                        return Err(syn::Error::new_spanned(
                            &repr,
                            "`repr` is \"text\" (the default) or \"integer\"",
                        ));
                    }
                }
            } else {
                return Err(meta.error(
                    "`#[sql(...)]` of `SqlEnum` takes `sql_type`, `postgres_type`, `rename_all` or `repr`",
                ));
            }
            Ok(())
        });
        if let Err(e) = parsed {
            errors.push(e);
        }
    }
    out
}

/// `name` under the rule, or `None` for an unknown rule.
fn rename(rule: &str, name: &str) -> Option<String> {
    // Words of a CamelCase name.
    let mut words: Vec<String> = Vec::new();
    for c in name.chars() {
        if c.is_uppercase() || words.is_empty() {
            words.push(String::new());
        }
        if let Some(last) = words.last_mut() {
            last.push(c);
        }
    }
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    Some(match rule {
        "snake_case" => lower.join("_"),
        "kebab-case" => lower.join("-"),
        "lowercase" => name.to_lowercase(),
        "UPPERCASE" => name.to_uppercase(),
        "SCREAMING_SNAKE_CASE" => lower.join("_").to_uppercase(),
        "camelCase" => {
            let mut chars = name.chars();
            chars
                .next()
                .map(|first| first.to_lowercase().chain(chars).collect())
                .unwrap_or_default()
        }
        _ => return None,
    })
}

pub fn expand(input: DeriveInput) -> syn::Result<TokenStream> {
    let mut errors = Errors::default();
    let attrs = enum_attrs(&input, &mut errors);
    let syn::Data::Enum(data) = &input.data else {
        return Err(syn::Error::new_spanned(
            &input.ident,
            "`#[derive(SqlEnum)]` goes on an enum of unit variants",
        ));
    };
    let ident = &input.ident;
    let mut labels = Vec::new();
    let mut variants = Vec::new();
    for variant in &data.variants {
        if !matches!(variant.fields, syn::Fields::Unit) {
            errors.push(syn::Error::new_spanned(
                &variant.ident,
                "`#[derive(SqlEnum)]` takes unit variants only: this one has fields",
            ));
        }
        let mut label = None;
        for attr in variant.attrs.iter().filter(|a| a.path().is_ident("sql")) {
            let parsed = attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("rename") {
                    label = Some(meta.value()?.parse::<LitStr>()?.value());
                    Ok(())
                } else {
                    Err(meta.error("`#[sql(...)]` on a variant takes `rename = \"label\"`"))
                }
            });
            if let Err(e) = parsed {
                errors.push(e);
            }
        }
        let name = variant.ident.to_string();
        let label = label.unwrap_or_else(|| match &attrs.rename_all {
            Some(rule) => rename(&rule.value(), &name).unwrap_or(name.clone()),
            None => name.clone(),
        });
        if labels.contains(&label) {
            errors.push(syn::Error::new_spanned(
                &variant.ident,
                format!("two variants have the label \"{label}\""),
            ));
        }
        labels.push(label);
        variants.push(&variant.ident);
    }
    if attrs.integer && (attrs.sql_type.is_some() || attrs.postgres_type.is_some()) {
        errors.push(syn::Error::new_spanned(
            ident,
            "`repr = \"integer\"` stores the enum in an `Integer` column: it takes no `sql_type` or `postgres_type`",
        ));
    }
    errors.finish()?;

    let q = quote!(::quarry);
    let type_name = attrs.postgres_type.clone().unwrap_or_else(|| {
        LitStr::new(
            &rename("snake_case", &ident.to_string()).unwrap_or_default(),
            ident.span(),
        )
    });
    let (sql_type, own_type) = match (&attrs.sql_type, attrs.integer) {
        (_, true) => (quote!(#q::sql_types::Integer), TokenStream::new()),
        (Some(path), false) => (quote!(#path), TokenStream::new()),
        (None, false) => (quote!(#ident), sql_type_impl(&quote!(#ident), &type_name)),
    };
    let (encode, decode) = if attrs.integer {
        (
            quote!(#q::Value::BigInt(match self { #(#ident::#variants => #ident::#variants as i64,)* })),
            quote! {
                let n = raw.as_integer()?;
                #(if n == #ident::#variants as i64 { return Some(#ident::#variants); })*
                None
            },
        )
    } else {
        (
            quote!(#q::Value::Text(#q::types::SqlEnum::label(self))),
            quote! {
                match raw.as_text()? {
                    #(#labels => Some(#ident::#variants),)*
                    _ => None,
                }
            },
        )
    };
    Ok(quote! {
        #own_type
        impl #q::types::SqlEnum for #ident {
            const TYPE_NAME: &'static str = #type_name;
            const VARIANTS: &'static [&'static str] = &[#(#labels),*];
            fn label(&self) -> &'static str {
                match self {
                    #(#ident::#variants => #labels,)*
                }
            }
        }
        impl #q::types::SqlValue for #ident {
            type SqlType = #sql_type;
            fn encode(&self) -> #q::Value<'_> {
                #encode
            }
            fn decode(raw: #q::types::SqlRaw<'_>) -> ::core::option::Option<Self> {
                #decode
            }
        }
        #q::impl_sql_value!(#ident);
    })
}

#[cfg(test)]
mod tests {
    use super::rename;

    #[test]
    fn rename_rules() {
        assert_eq!(
            rename("snake_case", "VeryHappy").as_deref(),
            Some("very_happy")
        );
        assert_eq!(
            rename("kebab-case", "VeryHappy").as_deref(),
            Some("very-happy")
        );
        assert_eq!(
            rename("SCREAMING_SNAKE_CASE", "VeryHappy").as_deref(),
            Some("VERY_HAPPY")
        );
        assert_eq!(
            rename("camelCase", "VeryHappy").as_deref(),
            Some("veryHappy")
        );
        assert_eq!(
            rename("lowercase", "VeryHappy").as_deref(),
            Some("veryhappy")
        );
        assert_eq!(rename("Title", "VeryHappy"), None);
    }
}
