//! Reading keys out of row structs: `#[derive(Related)]` maps each field to
//! its column, and a key is the values of a tuple of columns.

use core::hash::Hash;

use crate::expression::ToValue;
use crate::query_source::Table;

/// A row struct of a table, whose fields relations can read:
/// `#[derive(Related)]` with `#[quarry(table = posts)]`.
///
/// ```
/// # quarry::table! { users (id) { id -> Integer, name -> Text, } }
/// #[derive(quarry::Queryable, quarry::Related)]
/// #[quarry(table = users)]
/// struct User { id: i32, name: String }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a row struct that relations can read",
    label = "`{Self}` needs `#[derive(Related)]`",
    note = "add `#[derive(Related)]` and `#[quarry(table = ...)]` to the struct"
)]
pub trait Related {
    /// The table its rows come from.
    type Table: Table;
}

/// The field of `Self` that holds column `C`. `#[derive(Related)]`
/// implements it for each field.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no field for the column `{C}`",
    label = "relations read the key columns from the struct's fields",
    note = "add a field named after the column (or with `#[quarry(column = ...)]`), and `#[derive(Related)]`"
)]
pub trait FieldOf<C> {
    /// The field's type.
    type Value;
    /// The field.
    fn field(&self) -> &Self::Value;
}

// A joined row's keys are those of its first part: `(Post, User)` loaded
// through `posts.inner_join(posts::author)` is keyed as a post.
impl<C, A: FieldOf<C>, B> FieldOf<C> for (A, B) {
    type Value = A::Value;
    fn field(&self) -> &A::Value {
        self.0.field()
    }
}

/// A field type that can be part of a key: compared, hashed and bound.
/// `Option<T>` is a key only when `Some`: a child with a NULL foreign key
/// has no parent.
#[diagnostic::on_unimplemented(
    message = "a field of type `{Self}` cannot hold a key",
    note = "keys are integers, text, booleans or UUIDs, or `Option`s of them"
)]
pub trait KeyPart {
    /// The owned key value.
    type Key: Eq + Hash + Clone + ToValue + Send + Sync + 'static;
    /// The key, or `None` for NULL.
    fn key(&self) -> Option<Self::Key>;
}

macro_rules! key_part {
    ($($t:ty),* $(,)?) => {$(
        impl KeyPart for $t {
            type Key = $t;
            fn key(&self) -> Option<$t> {
                Some(self.clone())
            }
        }
    )*};
}
key_part!(i16, i32, i64, bool, String);
#[cfg(feature = "uuid")]
key_part!(uuid::Uuid);

impl<T: KeyPart> KeyPart for Option<T> {
    type Key = T::Key;
    fn key(&self) -> Option<T::Key> {
        self.as_ref().and_then(KeyPart::key)
    }
}

/// The values of the columns `Cols` (a tuple) in a row struct: a parent's
/// key, a child's foreign key.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not hold the key columns `{Cols}`",
    label = "a field for each key column is needed",
    note = "derive `Related` on the struct, with a field for each column of the reference's key"
)]
pub trait ColumnValues<Cols> {
    /// The key: a tuple of the fields' key values.
    type Key: Eq + Hash + Clone + Send + Sync + 'static;
    /// The key, or `None` when a part of it is NULL.
    fn column_values(&self) -> Option<Self::Key>;
}

macro_rules! column_values {
    ($($C:ident),+) => {
        impl<S, $($C),+> ColumnValues<($($C,)+)> for S
        where
            $(S: FieldOf<$C>, <S as FieldOf<$C>>::Value: KeyPart,)+
        {
            type Key = ($(<<S as FieldOf<$C>>::Value as KeyPart>::Key,)+);
            fn column_values(&self) -> Option<Self::Key> {
                Some(($(<S as FieldOf<$C>>::field(self).key()?,)+))
            }
        }
    };
}
// References of up to three columns, as `KeyIn` renders them.
column_values!(A);
column_values!(A, B);
column_values!(A, B, C);
