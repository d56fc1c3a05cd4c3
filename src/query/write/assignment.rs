//! `column = value`: the SET list of an UPDATE or of an upsert's
//! `DO UPDATE`, and the checks every written column goes through.

use core::marker::PhantomData;

use crate::backend::Backend;
use crate::expression::{Bound, Compare, Expression, ToValue, ValidIn, op};
use crate::query_fragment::Binds;
use crate::query_fragment::QueryFragment;
use crate::query_source::{Column, Table};
use crate::sql_text::Part;
use crate::sql_types::{IsNull, NotNull, SameSqlType, SqlType};
use quarry_runtime::{ParamType, Value};

/// A column of table `T`: what INSERT, UPDATE, upserts and RETURNING may
/// name.
///
/// This is what makes `update(users::table).set(posts::title.eq("x"))`
/// fail to compile.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a column of `{T}`",
    label = "a column of another table",
    note = "a statement that writes `{T}` sets and inserts only columns of `{T}`"
)]
pub trait ColumnOf<T> {}

#[diagnostic::do_not_recommend]
impl<C: Column, T: SameTable<C::Table>> ColumnOf<T> for C {}

/// `Self` and `U` are the same table. A trait rather than an equality of
/// types, so that a mismatch is reported with a message, not as a type
/// mismatch.
#[diagnostic::on_unimplemented(message = "`{Self}` and `{U}` are different tables")]
pub trait SameTable<U> {}
impl<T> SameTable<T> for T {}

/// The table a SET list writes: the table of an UPDATE, or, for an upsert's
/// `DO UPDATE`, [`Upsert<T>`](super::Upsert), which also admits
/// [`excluded`](super::excluded) values.
#[diagnostic::on_unimplemented(message = "`{Self}` is not a table that can be written")]
pub trait WriteTarget {
    /// The table written.
    type Table: Table;
}

impl<T: Table> WriteTarget for T {
    type Table = T;
}

/// A value of nullability `Self` may be written to a column of nullability
/// `Target`: anything to a nullable column, only a non-null value to a
/// `NOT NULL` one.
///
/// This is what makes `set(users::name.eq(users::email))` fail to compile
/// when `name` is `Text` and `email` is `Nullable<Text>`.
#[diagnostic::on_unimplemented(
    message = "a value that may be NULL cannot be written to a NOT NULL column",
    note = "declare the column `Nullable<_>`, or write a value that is never NULL"
)]
pub trait FitsNullability<Target> {}
impl FitsNullability<NotNull> for NotNull {}
impl FitsNullability<IsNull> for NotNull {}
impl FitsNullability<IsNull> for IsNull {}

/// `"column" = value`, with the column's bare name as SET and INSERT want
/// it.
#[derive(Debug, Clone, Copy)]
pub struct Assign<C, E> {
    column: PhantomData<C>,
    pub(crate) value: E,
}

impl<C, E> Assign<C, E> {
    pub(crate) fn new(value: E) -> Self {
        Assign {
            column: PhantomData,
            value,
        }
    }
}

// The column's own fragment is required so that a column of a type one
// backend lacks (an `Array` on SQLite) cannot be written there either.
impl<DB: Backend, C: Column + QueryFragment<DB>, E: QueryFragment<DB>> QueryFragment<DB>
    for Assign<C, E>
{
    const FRAG: Part = Part::Seq(&[Part::Ident(C::NAME), Part::Str(" = "), E::FRAG]);
    fn collect_binds<'a>(&'a self, out: &mut Binds<'a>) {
        self.value.collect_binds(out);
    }
}

/// What `set` takes: `column.eq(value)`, a tuple of them, or `&changes` of
/// a `#[derive(AsChangeset)]` struct. `F` is the table written (see
/// [`WriteTarget`]); `I` is inferred.
///
/// This is what makes `update(users::table).set(users::name.eq(5))` and
/// `set(posts::title.eq("x"))` fail to compile.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the SET list of a statement that writes `{F}`",
    label = "expected `column.eq(value)`, a tuple of them, or `&changes`",
    note = "`set` takes `column.eq(value)` assignments of the written table's columns, or a struct with `#[derive(AsChangeset)]`"
)]
pub trait AsChangeset<F, I> {
    /// The SET list.
    type Changeset;
    /// Converts it.
    fn as_changeset(self) -> Self::Changeset;
}

impl<F, C, E, I> AsChangeset<F, I> for Compare<C, E, op::Eq>
where
    F: WriteTarget,
    C: Column + ColumnOf<F::Table>,
    E: Expression + ValidIn<F, I>,
    <E::SqlType as SqlType>::Nullability: FitsNullability<<C::SqlType as SqlType>::Nullability>,
    // `eq` compares numbers of different types; a column is written only
    // with its own.
    <E::SqlType as SqlType>::NotNull: SameSqlType<<C::SqlType as SqlType>::NotNull>,
{
    type Changeset = Assign<C, E>;
    fn as_changeset(self) -> Assign<C, E> {
        Assign::new(self.right)
    }
}

macro_rules! changeset_tuples {
    ($($T:ident $I:ident $idx:tt),+) => {
        impl<F, $($T, $I),+> AsChangeset<F, ($($I,)+)> for ($($T,)+)
        where
            $($T: AsChangeset<F, $I>),+
        {
            type Changeset = ($($T::Changeset,)+);
            fn as_changeset(self) -> Self::Changeset {
                ($(self.$idx.as_changeset(),)+)
            }
        }
    };
}

macro_rules! all_changeset_tuples {
    ($($T:ident $I:ident $idx:tt),+) => {
        all_changeset_tuples!(@step [] $($T $I $idx),+);
    };
    (@step [$($done:tt)*] $T:ident $I:ident $idx:tt $(, $($rest:tt)*)?) => {
        changeset_tuples!($($done)* $T $I $idx);
        all_changeset_tuples!(@step [$($done)* $T $I $idx,] $($($rest)*)?);
    };
    (@step [$($done:tt)*]) => {};
}

all_changeset_tuples!(
    A0 I0 0, A1 I1 1, A2 I2 2, A3 I3 3, A4 I4 4, A5 I5 5, A6 I6 6, A7 I7 7, A8 I8 8, A9 I9 9,
    A10 I10 10, A11 I11 11, A12 I12 12, A13 I13 13, A14 I14 14, A15 I15 15
);

/// A struct field written to column `C`, for the derives: `"c" = ?`. The
/// field's type is checked apart, at the field (see `check_bind`).
#[doc(hidden)]
pub fn assign_field<C: Column, V>(value: V) -> Assign<C, Bound<C::SqlType, V>> {
    Assign::new(Bound::new(value))
}

/// An `Option<T>` field of a `#[derive(AsChangeset)]` struct:
/// `"c" = COALESCE(?, "c")`, so `None` keeps the column's value.
#[derive(Debug, Clone, Copy)]
pub struct SetIfSome<C, V> {
    column: PhantomData<C>,
    value: V,
}

/// An `Option<Option<T>>` field of a `#[derive(AsChangeset)]` struct:
/// `"c" = CASE WHEN ? THEN ? ELSE "c" END`, so `None` keeps the column's
/// value and `Some(None)` sets it to NULL.
#[derive(Debug, Clone, Copy)]
pub struct SetIfSomeNullable<'a, C, T> {
    column: PhantomData<C>,
    value: &'a Option<Option<T>>,
}

/// Builds a [`SetIfSome`]; for the derive.
#[doc(hidden)]
pub fn set_if_some<C: Column, V>(value: V) -> SetIfSome<C, V> {
    SetIfSome {
        column: PhantomData,
        value,
    }
}

/// Builds a [`SetIfSomeNullable`]; for the derive.
#[doc(hidden)]
pub fn set_if_some_nullable<C: Column, T>(
    value: &Option<Option<T>>,
) -> SetIfSomeNullable<'_, C, T> {
    SetIfSomeNullable {
        column: PhantomData,
        value,
    }
}

impl<DB: Backend, C: Column, V: ToValue> QueryFragment<DB> for SetIfSome<C, V> {
    const FRAG: Part = Part::Seq(&[
        Part::Ident(C::NAME),
        Part::Str(" = COALESCE("),
        Part::Param(<C::SqlType as SqlType>::PARAM),
        Part::Str(", "),
        Part::Ident(C::NAME),
        Part::Str(")"),
    ]);
    fn collect_binds<'a>(&'a self, out: &mut Binds<'a>) {
        out.push(self.value.to_value());
    }
}

impl<DB: Backend, C: Column, T: ToValue> QueryFragment<DB> for SetIfSomeNullable<'_, C, T> {
    const FRAG: Part = Part::Seq(&[
        Part::Ident(C::NAME),
        Part::Str(" = CASE WHEN "),
        Part::Param(ParamType::Bool),
        Part::Str(" THEN "),
        Part::Param(<C::SqlType as SqlType>::PARAM),
        Part::Str(" ELSE "),
        Part::Ident(C::NAME),
        Part::Str(" END"),
    ]);
    fn collect_binds<'a>(&'a self, out: &mut Binds<'a>) {
        out.push(Value::Bool(self.value.is_some()));
        out.push(match self.value {
            Some(Some(value)) => value.to_value(),
            _ => Value::Null,
        });
    }
}

/// A Rust value of type `Self` can be written to column `C`: it is a bind
/// value of the column's SQL type (`Option<T>` for a nullable column).
///
/// This is what makes a `String` field for an `Integer` column fail to
/// compile in `#[derive(Insertable)]` and `#[derive(AsChangeset)]`.
#[diagnostic::on_unimplemented(
    message = "a field of type `{Self}` cannot be written to column `{C}`",
    label = "not a Rust type of the column's SQL type",
    note = "the column's SQL type is in its `table!` declaration; `i32` goes with `Integer`, `String` with `Text`, `Option<T>` with `Nullable<_>`"
)]
pub trait WritableTo<C> {}

#[diagnostic::do_not_recommend]
impl<C: Column, T: crate::types::BindValue<C::SqlType> + ?Sized> WritableTo<C> for T {}

/// Checks at the field that a value of type `T` can be written to column
/// `C`, for the derives: the error then points at the field's type.
#[doc(hidden)]
pub fn check_bind<C, T: WritableTo<C> + ?Sized>() {}
