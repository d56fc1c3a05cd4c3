//! Rows wider than 16 columns nest tuples of at most 16, because quarry's
//! tuple impls stop at 16. Tables and derives nest the same way, so a
//! derived struct matches a table's rows of any width.

use proc_macro2::TokenStream;
use quote::quote;

/// The widest tuple quarry implements its traits for.
pub const MAX_TUPLE: usize = 16;

/// `(a, b, ...)` for up to 16 items, nested tuples of tuples beyond; a
/// single item stays bare.
pub fn nest(items: Vec<TokenStream>) -> TokenStream {
    if items.len() == 1 {
        return items.into_iter().next().unwrap_or_default();
    }
    tuple(items)
}

fn tuple(items: Vec<TokenStream>) -> TokenStream {
    if items.len() <= MAX_TUPLE {
        return quote!((#(#items,)*));
    }
    let groups: Vec<TokenStream> = items
        .chunks(MAX_TUPLE)
        .map(|chunk| quote!((#(#chunk,)*)))
        .collect();
    tuple(groups)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count_leaves(ts: &TokenStream) -> usize {
        ts.to_string().matches('x').count()
    }

    #[test]
    fn nests_wide_rows_in_tuples_of_sixteen() {
        for n in [1, 2, 16, 17, 40, 256, 300] {
            let items: Vec<TokenStream> = (0..n).map(|_| quote!(x)).collect();
            let out = nest(items);
            assert_eq!(count_leaves(&out), n, "n = {n}");
        }
    }
}
