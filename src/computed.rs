//! Computed expressions: an expression over one table's columns, declared
//! once with [`computed!`](crate::computed) and used like a column
//! (SQLAlchemy's hybrid properties).

use core::marker::PhantomData;

use crate::backend::{Backend, Pg, Sqlite};
use crate::expression::grouping::{Grouping, NoGroup, RowValue};
use crate::expression::{Expression, ValidIn};
use crate::query_fragment::QueryFragment;
use crate::query_source::Locate;
use crate::sql_text::Part;

/// What a computed expression's body must be: an expression that renders
/// on every backend. [`computed!`](crate::computed) returns its body as an
/// `impl ComputedBody<SqlType = ...>`, so that the declared SQL type is
/// checked against the body's.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the body of a computed expression",
    note = "a computed expression is built from one table's columns and values, and renders on every backend"
)]
#[cfg(not(feature = "mysql"))]
pub trait ComputedBody: Expression + QueryFragment<Sqlite> + QueryFragment<Pg> + Clone {}
#[cfg(not(feature = "mysql"))]
impl<E> ComputedBody for E where E: Expression + QueryFragment<Sqlite> + QueryFragment<Pg> + Clone {}

/// The body of a [`computed!`](crate::computed) expression: an expression
/// that renders on every backend compiled in.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the body of a computed expression",
    note = "a computed expression is built from one table's columns and values, and renders on every backend"
)]
#[cfg(feature = "mysql")]
pub trait ComputedBody:
    Expression + QueryFragment<Sqlite> + QueryFragment<Pg> + QueryFragment<crate::Mysql> + Clone
{
}
#[cfg(feature = "mysql")]
impl<E> ComputedBody for E where
    E: Expression + QueryFragment<Sqlite> + QueryFragment<Pg> + QueryFragment<crate::Mysql> + Clone
{
}

/// An expression over the columns of table `T`, usable wherever one of
/// `T`'s columns is: in `select`, `filter`, `order` and comparisons, with
/// the type [`computed!`](crate::computed) declared for it. It is valid
/// where `T` is in the FROM clause, and nullable on the optional side of
/// an outer join, as `T`'s columns are. In a grouped query it must itself
/// be in `group_by`.
#[derive(Debug, Clone, Copy)]
pub struct Computed<T, E> {
    expr: E,
    table: PhantomData<T>,
}

impl<T, E: Expression> Expression for Computed<T, E> {
    type SqlType = E::SqlType;
    const PRECEDENCE: u8 = E::PRECEDENCE;
}

impl<From, I, T, E> ValidIn<From, I> for Computed<T, E>
where
    From: Locate<T, I, Self>,
{
    type Nullability = <From as Locate<T, I, Self>>::Nullability;
}

impl<T, E> Grouping<NoGroup, ()> for Computed<T, E> {
    type Kind = RowValue;
}

crate::__impl_grouped_exactly!([T, E,] Computed<T, E>);

impl<DB: Backend, T, E: QueryFragment<DB>> QueryFragment<DB> for Computed<T, E> {
    const FRAG: Part = E::FRAG;
    fn collect_binds<'a>(&'a self, out: &mut crate::query_fragment::Binds<'a>) {
        self.expr.collect_binds(out);
    }
}

crate::__impl_arithmetic_ops!([T, E,] Computed<T, E>);

/// Wraps the body of a computed expression over table `T`, checking that
/// it uses no other table's column and no aggregate.
#[doc(hidden)]
pub fn computed_over<T, E, I, G>(expr: E) -> Computed<T, E>
where
    E: ValidIn<T, I> + Grouping<NoGroup, G, Kind = RowValue>,
{
    Computed {
        expr,
        table: PhantomData,
    }
}

/// Declares a computed expression: a function returning an expression
/// over one table's columns, with its SQL type written once and checked
/// against the body. The expression selects, filters, orders and compares
/// like a column; a struct loaded with it gets its value as a field.
///
/// ```
/// use quarry::prelude::*;
/// use quarry::sql_types::Text;
///
/// quarry::table! { people (id) { id -> Integer, first -> Text, last -> Text, } }
///
/// quarry::computed! {
///     /// The name shown on screen.
///     pub fn full_name(people) -> Text {
///         people::first.concat(" ").concat(people::last)
///     }
/// }
///
/// #[derive(Queryable, Debug, PartialEq)]
/// struct Person { id: i32, first: String, last: String }
///
/// impl Person {
///     /// The same, in Rust, for a loaded row.
///     fn full_name(&self) -> String {
///         format!("{} {}", self.first, self.last)
///     }
/// }
///
/// let mut db = quarry::sqlite::Connection::open_in_memory()?;
/// db.execute_batch("CREATE TABLE people (id INTEGER PRIMARY KEY, first TEXT NOT NULL, last TEXT NOT NULL);
///                   INSERT INTO people VALUES (1, 'Ada', 'Lovelace'), (2, 'Alan', 'Turing');")?;
/// let q = || people::table
///     .filter(full_name().like("A% T%"))
///     .order(full_name().desc())
///     .select((people::id, full_name()));
/// assert_eq!(
///     quarry::debug_query::<quarry::Sqlite, _>(q()).sql(),
///     r#"SELECT "people"."id", "people"."first" || ? || "people"."last" FROM "people" WHERE "people"."first" || ? || "people"."last" LIKE ? ESCAPE '\' ORDER BY "people"."first" || ? || "people"."last" DESC NULLS FIRST"#
/// );
/// let rows: Vec<(i32, String)> = q().load(&mut db)?;
/// assert_eq!(rows, [(2, "Alan Turing".to_owned())]);
///
/// let person: Person = people::table.find(2).first(&mut db)?;
/// assert_eq!(person.full_name(), rows[0].1);
/// # Ok::<(), quarry::Error>(())
/// ```
///
/// The body may use the table's columns, values, operators and functions
/// that both backends have; a column of another table, an aggregate, or a
/// body whose type is not the declared one does not compile.
#[macro_export]
macro_rules! computed {
    ($(
        $(#[$attr:meta])*
        $vis:vis fn $name:ident($($table:ident)::+) -> $st:ty $body:block
    )*) => {$(
        $(#[$attr])*
        #[allow(clippy::double_parens)]
        $vis fn $name() -> $crate::Computed<
            $($table)::+::table,
            impl $crate::ComputedBody<SqlType = $st>,
        > {
            $crate::__private::computed_over::<$($table)::+::table, _, _, _>($body)
        }
    )*};
}
