//! String functions: `lower`, `upper`, `length`, `trim`, `substring`.
//! (Concatenation is [`concat`](crate::expression::TextExpressionMethods::concat), `||`.)
//!
//! | function | SQLite | PostgreSQL | result |
//! |---|---|---|---|
//! | `lower(x)` | `LOWER(x)` | `LOWER(x)` | `Text` |
//! | `upper(x)` | `UPPER(x)` | `UPPER(x)` | `Text` |
//! | `length(x)` | `LENGTH(x)` | `CHAR_LENGTH(x)` | `Integer` |
//! | `trim(x)` | `TRIM(x)` | `TRIM(x)` | `Text` |
//! | `substring(x, s, n)` | `SUBSTR(x, ?, ?)` | `SUBSTR(x, $1, $2)` | `Text` |
//!
//! Each is `NULL` when its text is; `length` counts characters on both
//! backends. `substring` counts from 1, as SQL does. PostgreSQL's
//! `SUBSTRING(x FROM $1 FOR $2)` is not used: it also has a regular
//! expression form, so PostgreSQL types untyped parameters there as `text`.
//!
//! SQLite's `LOWER` and `UPPER` change ASCII letters only (unless SQLite
//! was built with ICU); PostgreSQL's follow the database's locale, so
//! `upper("é")` is `"é"` on SQLite and `"É"` on PostgreSQL.

use crate::backend::Backend;
use crate::expression::sql_function::{Call, UnaryFunction};
use crate::expression::{AsExpression, Expression, ValidIn};
use crate::query_fragment::Binds;
use crate::query_fragment::QueryFragment;
use crate::sql_text::Part;
use crate::sql_types::{Integer, Nullability, SqlType, Text, TextLike};

macro_rules! text_functions {
    ($($(#[$doc:meta])* $name:ident $fn_name:ident -> $out:ty: [$sqlite:literal, $pg:literal, $mysql:literal];)*) => {$(
        #[doc = concat!("The function of [`", stringify!($fn_name), "`].")]
        #[derive(Debug, Clone, Copy)]
        pub struct $name;

        impl<ST: TextLike> UnaryFunction<ST> for $name {
            type Output = $out;
            const OPEN: [&'static str; 3] = [$sqlite, $pg, $mysql];
            const CLOSE: [&'static str; 3] = [")", ")", ")"];
        }

        $(#[$doc])*
        pub fn $fn_name<E: Expression>(text: E) -> Call<$name, E>
        where
            E::SqlType: TextLike,
        {
            Call::new(text)
        }
    )*};
}

text_functions! {
    /// `LOWER(text)`.
    Lower lower -> Text: ["LOWER(", "LOWER(", "LOWER("];
    /// `UPPER(text)`.
    Upper upper -> Text: ["UPPER(", "UPPER(", "UPPER("];
    /// The number of characters: `LENGTH(text)` on SQLite,
    /// `CHAR_LENGTH(text)` on PostgreSQL.
    Length length -> Integer: ["LENGTH(", "CHAR_LENGTH(", "CHAR_LENGTH("];
    /// `TRIM(text)`: without leading and trailing spaces.
    Trim trim -> Text: ["TRIM(", "TRIM(", "TRIM("];
}

/// `SUBSTR(text, start, len)`.
#[derive(Debug, Clone, Copy)]
pub struct Substring<E, S, L> {
    text: E,
    start: S,
    len: L,
}

/// The `len` characters of `text` from position `start` (the first is 1).
/// `start` and `len` are `Integer` expressions or values, bound as
/// parameters.
#[doc(alias = "substr")]
pub fn substring<E, S, L>(text: E, start: S, len: L) -> Substring<E, S::Expr, L::Expr>
where
    E: Expression,
    E::SqlType: TextLike,
    S: AsExpression<Integer>,
    L: AsExpression<Integer>,
{
    Substring {
        text,
        start: start.as_expression(),
        len: len.as_expression(),
    }
}

type Null3<E, S, L> = <<<<E as Expression>::SqlType as SqlType>::Nullability as Nullability>::Or<
    <<S as Expression>::SqlType as SqlType>::Nullability,
> as Nullability>::Or<<<L as Expression>::SqlType as SqlType>::Nullability>;

impl<E: Expression, S: Expression, L: Expression> Expression for Substring<E, S, L> {
    type SqlType = <Null3<E, S, L> as Nullability>::Apply<Text>;
}

impl<From, E, S, L, IE, IS, IL> ValidIn<From, (IE, IS, IL)> for Substring<E, S, L>
where
    E: ValidIn<From, IE>,
    S: ValidIn<From, IS>,
    L: ValidIn<From, IL>,
{
    type Nullability =
        <<E::Nullability as Nullability>::Or<S::Nullability> as Nullability>::Or<L::Nullability>;
}

crate::expression::grouping::grouping_from_operands!([E, S, L,] Substring<E, S, L>; E IE, S IS, L IL);

impl<DB, E, S, L> QueryFragment<DB> for Substring<E, S, L>
where
    DB: Backend,
    E: QueryFragment<DB>,
    S: QueryFragment<DB>,
    L: QueryFragment<DB>,
{
    const FRAG: Part = Part::Seq(&[
        Part::Str("SUBSTR("),
        E::FRAG,
        Part::Str(", "),
        S::FRAG,
        Part::Str(", "),
        L::FRAG,
        Part::Str(")"),
    ]);
    fn collect_binds<'a>(&'a self, out: &mut Binds<'a>) {
        self.text.collect_binds(out);
        self.start.collect_binds(out);
        self.len.collect_binds(out);
    }
}

// Text: arithmetic on it is an error naming it.
crate::__impl_arithmetic_ops!([E, S, L,] Substring<E, S, L>);
