//! Running an eager load on SQLite: one statement per level.

use std::panic::Location;

use crate::backend::Sqlite;
use crate::deserialize::FromRow;
use crate::query::{AsQuery, Query};
use crate::query_fragment::QueryFragment;
use crate::relations::eager::{BelongsTo, Eager, HasMany, Joined, Nested, NoNested, Relation};
use crate::sqlite::RunQueryDsl;
use quarry_runtime::sqlite::Connection;
use quarry_runtime::{Error, with_caller};

/// Loads what a relation brings for a slice of rows, on SQLite.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be loaded for `{P}` rows on SQLite",
    note = "each level's row struct must load from its table's columns (`Queryable`) and derive `Related`"
)]
pub trait LoadNested<P>: Nested<P> {
    /// One value per row of `parents`, in their order.
    fn load_nested(&self, conn: &mut Connection, parents: &[P])
    -> Result<Vec<Self::Values>, Error>;
}

impl<P> LoadNested<P> for NoNested {
    fn load_nested(&self, _: &mut Connection, parents: &[P]) -> Result<Vec<()>, Error> {
        Ok(vec![(); parents.len()])
    }
}

impl<P, N1: LoadNested<P>, N2: LoadNested<P>> LoadNested<P> for (N1, N2) {
    fn load_nested(
        &self,
        conn: &mut Connection,
        parents: &[P],
    ) -> Result<Vec<Self::Values>, Error> {
        let first = self.0.load_nested(conn, parents)?;
        let second = self.1.load_nested(conn, parents)?;
        Ok(first.into_iter().zip(second).collect())
    }
}

/// One level: its statement, the levels below for its rows, then the rows
/// grouped by parent.
fn load_level<P, R>(rel: &R, conn: &mut Connection, parents: &[P]) -> Result<Vec<R::Out>, Error>
where
    R: Relation<P>,
    R::Query: AsQuery<Query = R::Query> + QueryFragment<Sqlite> + Query,
    R::Row: FromRow<<R::Query as Query>::SqlType, Sqlite>,
    R::Next: LoadNested<R::Row>,
{
    let rows: Vec<R::Row> = match rel.query(parents) {
        Some(query) => query.load(conn)?,
        None => Vec::new(),
    };
    let values = rel.next().load_nested(conn, &rows)?;
    let items = rows
        .into_iter()
        .zip(values)
        .map(|(row, v)| (R::row_key(&row), <R::Next as Nested<R::Row>>::nest(row, v)))
        .collect();
    Ok(R::assemble(parents, items))
}

macro_rules! load_nested {
    ($ty:ident [$($g:ident),*]) => {
        impl<P, $($g),*> LoadNested<P> for $ty<$($g),*>
        where
            Self: Relation<P> + Nested<P, Values = <Self as Relation<P>>::Out>,
            <Self as Relation<P>>::Query: AsQuery<Query = <Self as Relation<P>>::Query>
                + QueryFragment<Sqlite> + Query,
            <Self as Relation<P>>::Row:
                FromRow<<<Self as Relation<P>>::Query as Query>::SqlType, Sqlite>,
            <Self as Relation<P>>::Next: LoadNested<<Self as Relation<P>>::Row>,
        {
            fn load_nested(
                &self,
                conn: &mut Connection,
                parents: &[P],
            ) -> Result<Vec<Self::Values>, Error> {
                load_level(self, conn, parents)
            }
        }
    };
}
load_nested!(HasMany[R, C, N]);
load_nested!(BelongsTo[R, Pa, N]);
load_nested!(Joined[R1, R2, K, A, T, N]);

impl<Q, N> Eager<Q, N> {
    /// Runs the load on SQLite: the parents' statement, then one statement
    /// per relation and level. Name the parents' row type:
    /// `.load::<User>(&mut db)`. Every statement is counted as called from
    /// here by a [`StatementScope`](crate::StatementScope).
    #[track_caller]
    pub fn load<P>(self, conn: &mut Connection) -> Result<Vec<N::Item>, Error>
    where
        Q: AsQuery,
        Q::Query: QueryFragment<Sqlite> + Query,
        P: FromRow<<Q::Query as Query>::SqlType, Sqlite>,
        N: LoadNested<P>,
    {
        with_caller(Location::caller(), || {
            let parents: Vec<P> = self.query.load(conn)?;
            let values = self.relations.load_nested(conn, &parents)?;
            Ok(parents
                .into_iter()
                .zip(values)
                .map(|(p, v)| N::nest(p, v))
                .collect())
        })
    }
}
