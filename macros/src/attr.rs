//! The `#[quarry(...)]` attributes of the derives, parsed once for all of
//! them, so a struct that derives several reads the same way to each.
//!
//! On the struct: `table = path`, `primary_key(a, b)`.
//! On a field: `column = name`, `default`.

use syn::{DeriveInput, Ident};

/// The struct's `#[quarry(...)]` attributes.
pub struct StructAttrs {
    /// `table = users`.
    pub table: Option<syn::Path>,
    /// `primary_key(a, b)`.
    pub primary_key: Option<Vec<Ident>>,
}

/// A field's `#[quarry(...)]` attributes.
pub struct FieldAttrs {
    /// `column = name`.
    pub column: Option<Ident>,
    /// `default`: the database fills the column in on insert.
    pub default: Option<Ident>,
}

/// Collects `syn` errors, so every mistake is reported at once.
#[derive(Default)]
pub struct Errors(Option<syn::Error>);

impl Errors {
    pub fn push(&mut self, e: syn::Error) {
        match &mut self.0 {
            Some(all) => all.combine(e),
            None => self.0 = Some(e),
        }
    }

    pub fn finish(self) -> syn::Result<()> {
        self.0.map_or(Ok(()), Err)
    }
}

pub fn struct_attrs(input: &DeriveInput) -> syn::Result<StructAttrs> {
    let mut out = StructAttrs {
        table: None,
        primary_key: None,
    };
    let mut errors = Errors::default();
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("quarry")) {
        let result = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("table") {
                out.table = Some(meta.value()?.parse::<syn::Path>()?);
                Ok(())
            } else if meta.path.is_ident("primary_key") {
                let mut keys = Vec::new();
                meta.parse_nested_meta(|key| {
                    keys.push(key.path.require_ident()?.clone());
                    Ok(())
                })?;
                if keys.is_empty() {
                    return Err(meta.error("`primary_key(...)` lists at least one field"));
                }
                out.primary_key = Some(keys);
                Ok(())
            } else {
                Err(meta.error(
                    "unknown `quarry` attribute on a struct; expected `table = ...` or `primary_key(...)`",
                ))
            }
        });
        if let Err(e) = result {
            errors.push(e);
        }
    }
    errors.finish()?;
    Ok(out)
}

/// The table, or an error that names `derive`.
pub fn require_table(
    attrs: &StructAttrs,
    input: &DeriveInput,
    derive: &str,
) -> syn::Result<syn::Path> {
    attrs.table.clone().ok_or_else(|| {
        syn::Error::new_spanned(
            &input.ident,
            format!("`#[derive({derive})]` needs the table: add `#[quarry(table = posts)]`"),
        )
    })
}

pub fn field_attrs(field: &syn::Field) -> syn::Result<FieldAttrs> {
    let mut out = FieldAttrs {
        column: None,
        default: None,
    };
    let mut errors = Errors::default();
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("quarry")) {
        let result = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("column") {
                out.column = Some(meta.value()?.parse::<Ident>()?);
                Ok(())
            } else if meta.path.is_ident("default") {
                out.default = Some(meta.path.require_ident()?.clone());
                Ok(())
            } else {
                Err(meta.error(
                    "unknown `quarry` attribute on a field; expected `column = ...` or `default`",
                ))
            }
        });
        if let Err(e) = result {
            errors.push(e);
        }
    }
    errors.finish()?;
    Ok(out)
}

/// The column a field stands for: `#[quarry(column = name)]`, or the
/// field's own name.
pub fn column_of(field: &syn::Field, attrs: &FieldAttrs) -> syn::Result<Ident> {
    match (&attrs.column, &field.ident) {
        (Some(c), _) => Ok(c.clone()),
        (None, Some(ident)) => Ok(ident.clone()),
        (None, None) => Err(syn::Error::new_spanned(
            field,
            "a tuple struct field needs `#[quarry(column = name)]`",
        )),
    }
}

/// One field of a derive that writes: its column and attributes.
pub struct WriteField<'a> {
    pub field: &'a syn::Field,
    pub member: syn::Member,
    pub column: Ident,
    pub attrs: FieldAttrs,
}

/// The fields with their columns, every error reported at once.
pub fn write_fields(input: &DeriveInput) -> syn::Result<Vec<WriteField<'_>>> {
    let fields = crate::derive_queryable::fields(input)?;
    let mut errors = Errors::default();
    let mut out = Vec::new();
    for (i, field) in fields.into_iter().enumerate() {
        let attrs = match field_attrs(field) {
            Ok(a) => a,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let column = match column_of(field, &attrs) {
            Ok(c) => c,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let member = match &field.ident {
            Some(ident) => syn::Member::Named(ident.clone()),
            None => syn::Member::Unnamed(syn::Index::from(i)),
        };
        out.push(WriteField {
            field,
            member,
            column,
            attrs,
        });
    }
    errors.finish()?;
    Ok(out)
}

/// The primary key's fields: `#[quarry(primary_key(...))]`, or a field
/// whose column is `id`. Empty when there is neither.
pub fn key_fields<'f, 'a>(
    attrs: &StructAttrs,
    fields: &'f [WriteField<'a>],
) -> syn::Result<Vec<&'f WriteField<'a>>> {
    match &attrs.primary_key {
        Some(keys) => {
            let mut errors = Errors::default();
            let mut out = Vec::new();
            for key in keys {
                match fields.iter().find(|f| f.field.ident.as_ref() == Some(key)) {
                    Some(f) => out.push(f),
                    None => errors.push(syn::Error::new_spanned(
                        key,
                        format!("`primary_key` names `{key}`, which is not a field of this struct"),
                    )),
                }
            }
            errors.finish()?;
            Ok(out)
        }
        None => Ok(fields.iter().filter(|f| f.column == "id").collect()),
    }
}
