//! `sql_function!`: declare a SQL function with typed arguments and result.

/// Declares a SQL function quarry does not ship, with its argument and
/// result SQL types:
///
/// ```
/// use quarry::prelude::*;
/// quarry::table! { users (id) { id -> Integer, name -> Text, } }
/// use quarry::sql_types::Text;
/// quarry::sql_function!(fn replace(text: Text, from: Text, to: Text) -> Text);
///
/// let q = users::table.select(replace(users::name, "a", "o"));
/// assert_eq!(
///     quarry::debug_query::<Sqlite, _>(q).sql(),
///     r#"SELECT replace("users"."name", ?, ?) FROM "users""#
/// );
/// ```
///
/// The function takes columns, expressions or Rust values of each argument's
/// SQL type (checked like any comparison), its columns are checked against
/// the query's FROM clause, and its result has the declared type. The name
/// is written as declared, on every backend. Functions take one to six
/// arguments.
#[macro_export]
macro_rules! sql_function {
    ($(#[$attr:meta])* $vis:vis fn $name:ident($($arg:ident : $ty:ty),+ $(,)?) -> $ret:ty $(;)?) => {
        $(#[$attr])*
        #[allow(non_camel_case_types)]
        #[derive(Debug, Clone, Copy)]
        $vis struct $name<$($arg),+> {
            $($arg: $arg,)+
        }

        $(#[$attr])*
        #[allow(non_camel_case_types, clippy::too_many_arguments)]
        $vis fn $name<$($arg),+>($($arg: $arg),+) -> $name<$(<$arg as $crate::__private::AsExpression<$ty>>::Expr),+>
        where
            $($arg: $crate::__private::AsExpression<$ty>,)+
        {
            $name {
                $($arg: $crate::__private::AsExpression::as_expression($arg),)+
            }
        }

        #[allow(non_camel_case_types)]
        const _: () = {
            impl<$($arg),+> $crate::__private::Expression for $name<$($arg),+> {
                type SqlType = $ret;
            }

            $crate::__impl_arithmetic_ops!([$($arg,)+] $name<$($arg),+>);

            impl<__From, __Idx, $($arg),+> $crate::__private::ValidIn<__From, __Idx> for $name<$($arg),+>
            where
                ($($arg,)+): $crate::__private::ArgsValidIn<__From, __Idx>,
            {
                // A declared result type keeps its own nullability; outer
                // joins do not change it.
                type Nullability = $crate::sql_types::NotNull;
            }

            impl<__M, __Idx, $($arg),+> $crate::__private::Grouping<__M, (__Idx,)> for $name<$($arg),+>
            where
                ($($arg,)+): $crate::__private::ArgsGrouping<__M, __Idx>,
            {
                type Kind = <($($arg,)+) as $crate::__private::ArgsGrouping<__M, __Idx>>::Kind;
            }

            impl<__DB: $crate::__private::Backend, $($arg: $crate::__private::QueryFragment<__DB>),+>
                $crate::__private::QueryFragment<__DB> for $name<$($arg),+>
            {
                const FRAG: $crate::__private::Part = $crate::__private::Part::Seq(&[
                    $crate::__private::Part::Str(concat!(stringify!($name), "(")),
                    $crate::__private::Part::List(&[$(<$arg as $crate::__private::QueryFragment<__DB>>::FRAG),+]),
                    $crate::__private::Part::Str(")"),
                ]);
                fn collect_binds<'__a>(&'__a self, out: &mut $crate::__private::Binds<'__a>) {
                    $($crate::__private::QueryFragment::<__DB>::collect_binds(&self.$arg, out);)+
                }
            }
        };
    };
}

/// The arguments of a declared function, all valid in FROM clause `From`.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "an argument of this function cannot be used here: its table is not in the query's FROM clause"
)]
pub trait ArgsValidIn<From, Idx> {}

/// The arguments of a declared function in grouping context `M`.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "an argument of this function must appear in `group_by` or be inside an aggregate function"
)]
pub trait ArgsGrouping<M, Idx> {
    /// The arguments' combined kind.
    type Kind;
}

macro_rules! args {
    ($($A:ident $I:ident),+) => {
        impl<From, $($A: crate::expression::ValidIn<From, $I>, $I),+> ArgsValidIn<From, ($($I,)+)> for ($($A,)+) {}

        impl<M, $($A: crate::expression::grouping::Grouping<M, $I>, $I),+> ArgsGrouping<M, ($($I,)+)> for ($($A,)+)
        where
            ($($A::Kind,)+): crate::expression::grouping::CombineAll,
        {
            type Kind = <($($A::Kind,)+) as crate::expression::grouping::CombineAll>::Out;
        }
    };
}

args!(A I);
args!(A I, B J);
args!(A I, B J, C K);
args!(A I, B J, C K, D L);
args!(A I, B J, C K, D L, E N);
args!(A I, B J, C K, D L, E N, F O);
