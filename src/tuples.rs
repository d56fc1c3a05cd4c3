//! Tuple impls, for arities 1 to 16: selections, ORDER BY lists, and rows.
//!
//! Longer rows nest tuples: `((a, b, ...), (c, d, ...))` selects and loads
//! like a flat tuple. `table!` nests a wide table's columns the same way, so
//! a table of any width needs no larger tuples.

use crate::backend::Backend;
use crate::deserialize::{FromRow, RowReader, RowShape};
use crate::expression::{KeyedBy, KeyedTerm, OrderSql, OrderSqlBy};
use crate::query::Selection;
use crate::query::order_position::TermTuple;
use crate::query::select_clause::{SelectKind, SelectionBy, SelectionRow, SelectionRowBy, TupleOf};
use crate::query_fragment::Binds;
use crate::query_fragment::QueryFragment;
use crate::sql_text::Part;
use quarry_runtime::Error;

macro_rules! tuple_impls {
    ($($T:ident $I:ident $S:ident $idx:tt),+) => {
        // `scalar` rejects rows of several columns; the placeholder type
        // keeps that one error.
        impl<$($T),+> crate::expression::ScalarRow for ($($T,)+) {
            type Nullable = crate::sql_types::Nullable<crate::sql_types::Bool>;
        }

        impl<$($T),+> SelectKind for ($($T,)+) {
            type Kind = TupleOf;
        }

        impl<From, $($T, $I),+> SelectionBy<TupleOf, From, ($($I,)+)> for ($($T,)+)
        where
            $($T: Selection<From, $I>),+
        {
            type SqlType = ($($T::SqlType,)+);
        }

        impl<From, $($T, $I, $S),+> SelectionRowBy<TupleOf, From, ($($I,)+), ($($S,)+)> for ($($T,)+)
        where
            $($T: SelectionRow<From, $I, $S>),+
        {
        }

        impl<$($S: RowShape),+> RowShape for ($($S,)+) {
            const WIDTH: usize = 0 $(+ $S::WIDTH)+;
            const PROBE: Option<usize> =
                $crate::deserialize::first_probe(&[$(($S::WIDTH, $S::PROBE)),+]);
        }

        impl<From, $($T, $I, $S),+> KeyedBy<TermTuple, From, ($($I,)+), ($($S,)+)> for ($($T,)+)
        where
            $($T: KeyedTerm<From, $I, $S>),+
        {
            #[inline]
            fn keyed_by(self) -> ($($S,)+) {
                ($(self.$idx.keyed_term(),)+)
            }
        }

        impl<DB: Backend, $($T: OrderSql<DB>),+> OrderSqlBy<TermTuple, DB> for ($($T,)+) {
            const ORDER_FRAG: Part = Part::List(&[$($T::ORDER_FRAG),+]);
            const PLAIN_FRAG: Part = Part::List(&[$($T::PLAIN_FRAG),+]);
            fn collect_order_binds<'a>(&'a self, out: &mut Binds<'a>) {
                $(self.$idx.collect_order_binds(out);)+
            }
            fn collect_plain_binds<'a>(&'a self, out: &mut Binds<'a>) {
                $(self.$idx.collect_plain_binds(out);)+
            }
        }

        impl<DB: Backend, $($T: QueryFragment<DB>),+> QueryFragment<DB> for ($($T,)+) {
            const FRAG: Part = Part::List(&[$($T::FRAG),+]);
            fn collect_binds<'a>(&'a self, out: &mut Binds<'a>) {
                $(self.$idx.collect_binds(out);)+
            }
        }

        impl<DB: Backend, $($T, $S),+> FromRow<($($S,)+), DB> for ($($T,)+)
        where
            $($T: FromRow<$S, DB>),+
        {
            #[inline]
            fn from_row(row: &mut RowReader<'_, '_, DB>) -> Result<Self, Error> {
                Ok(($($T::from_row(row)?,)+))
            }
        }
    };
}

macro_rules! all_tuples {
    ($($T:ident $I:ident $S:ident $idx:tt),+) => {
        all_tuples!(@step [] $($T $I $S $idx),+);
    };
    (@step [$($done:tt)*] $T:ident $I:ident $S:ident $idx:tt $(, $($rest:tt)*)?) => {
        tuple_impls!($($done)* $T $I $S $idx);
        all_tuples!(@step [$($done)* $T $I $S $idx,] $($($rest)*)?);
    };
    (@step [$($done:tt)*]) => {};
}

all_tuples!(
    A0 I0 S0 0, A1 I1 S1 1, A2 I2 S2 2, A3 I3 S3 3, A4 I4 S4 4, A5 I5 S5 5, A6 I6 S6 6,
    A7 I7 S7 7, A8 I8 S8 8, A9 I9 S9 9, A10 I10 S10 10, A11 I11 S11 11, A12 I12 S12 12,
    A13 I13 S13 13, A14 I14 S14 14, A15 I15 S15 15
);
