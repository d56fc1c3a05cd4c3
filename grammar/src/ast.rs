//! The `table!` grammar's syntax tree. Every node keeps the user's tokens
//! so errors point at what the user wrote.

use proc_macro2::Span;
use syn::{Attribute, Ident, LitStr};

/// One `table!` invocation: one or more tables.
#[derive(Clone, Debug)]
pub struct Schema {
    pub tables: Vec<Table>,
}

/// `/// docs  #[sql_name = "..."]  name (pk, ...) { columns }`
#[derive(Clone, Debug)]
pub struct Table {
    /// Doc comments (`#[doc = ...]` attributes), passed through.
    pub docs: Vec<Attribute>,
    /// `#[sql_name = "..."]`, when the SQL name differs from `name`.
    pub sql_name: Option<LitStr>,
    pub name: Ident,
    /// The primary key columns in order; empty when the table has none
    /// (written without the parenthesised list).
    pub primary_key: Vec<Ident>,
    pub columns: Vec<Column>,
    /// Table-level `foreign key (a, b) references other(x, y) [as name],`
    /// lines, for composite references.
    pub foreign_keys: Vec<ForeignKey>,
}

/// `/// docs  #[sql_name = "..."]  name -> Type [references other(col) [as name]],`
#[derive(Clone, Debug)]
pub struct Column {
    pub docs: Vec<Attribute>,
    pub sql_name: Option<LitStr>,
    pub name: Ident,
    pub ty: SqlType,
    /// A single-column reference declared on the column.
    pub references: Option<Reference>,
}

/// A column's SQL type as written.
#[derive(Clone, Debug)]
pub enum SqlType {
    /// `Nullable<T>`.
    Nullable { span: Span, inner: Box<SqlType> },
    /// `Array<T>` (PostgreSQL only).
    Array { span: Span, inner: Box<SqlType> },
    /// One of quarry's built-in types (`Integer`, `Text`, ...), by name.
    Builtin(Ident),
    /// A user type written as a path with `::` (`my_types::Citext`); not
    /// checked by the macro.
    Custom(syn::Path),
}

/// `references users(id) [as author]` on a column.
#[derive(Clone, Debug)]
pub struct Reference {
    pub table: Ident,
    pub column: Ident,
    /// The reference's name; `None` means the default name (the column's name
    /// without a trailing `_id`).
    pub name: Option<Ident>,
}

/// `foreign key (a, b) references other(x, y) [as name],` in a table body.
#[derive(Clone, Debug)]
pub struct ForeignKey {
    /// The `foreign` token's span, for errors about the whole line.
    pub span: Span,
    pub columns: Vec<Ident>,
    pub table: Ident,
    pub target_columns: Vec<Ident>,
    /// Required for composite keys: there is no column to name them after.
    pub name: Ident,
}

/// The built-in SQL type names `table!` accepts, in the order they are listed
/// in error messages.
pub const BUILTIN_TYPES: &[&str] = &[
    "SmallInt",
    "Integer",
    "BigInt",
    "Float",
    "Double",
    "Numeric",
    "Text",
    "Bool",
    "Binary",
    "Date",
    "Time",
    "Timestamp",
    "Timestamptz",
    "Uuid",
    "Json",
];

/// `/// text` as an attribute, for docs made by a program rather than typed
/// (the schema printer's notes). `text` is the comment after `///`, so it
/// usually starts with a space.
pub fn doc_attribute(text: &str) -> Attribute {
    use syn::{AttrStyle, Expr, ExprLit, Lit, Meta, MetaNameValue, Path, token};
    let span = Span::call_site();
    Attribute {
        pound_token: token::Pound(span),
        style: AttrStyle::Outer,
        bracket_token: token::Bracket(span),
        meta: Meta::NameValue(MetaNameValue {
            path: Path::from(Ident::new("doc", span)),
            eq_token: token::Eq(span),
            value: Expr::Lit(ExprLit {
                attrs: Vec::new(),
                lit: Lit::Str(LitStr::new(text, span)),
            }),
        }),
    }
}

/// `name` as an identifier the grammar accepts (raw ones like `r#type`
/// included), or `None` when it is not one: a keyword written without
/// `r#`, or text that is no identifier at all.
pub fn ident(name: &str) -> Option<Ident> {
    syn::parse_str::<Ident>(name).ok()
}
