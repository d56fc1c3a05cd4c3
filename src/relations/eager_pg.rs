//! Running an eager load on PostgreSQL: one statement per level, awaited
//! in turn (each level needs the keys of the one above).

use std::panic::Location;

use crate::backend::Pg;
use crate::deserialize::FromRow;
use crate::pg::{Executor, QueryFuture, RunQueryAsync};
use crate::query::{AsQuery, Query};
use crate::query_fragment::QueryFragment;
use crate::relations::eager::{BelongsTo, Eager, HasMany, Joined, Nested, NoNested, Relation};
use quarry_runtime::{Error, with_caller_async};

/// Loads what a relation brings for a slice of rows, on PostgreSQL.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be loaded for `{P}` rows on PostgreSQL",
    note = "each level's row struct must load from its table's columns (`Queryable`), derive `Related`, and be `Send` and `Sync`"
)]
pub trait LoadNestedAsync<P>: Nested<P> {
    /// One value per row of `parents`, in their order.
    fn load_nested_async<'a, E>(
        &'a self,
        conn: &'a E,
        parents: &'a [P],
    ) -> QueryFuture<'a, Vec<Self::Values>>
    where
        E: Executor + ?Sized;
}

impl<P> LoadNestedAsync<P> for NoNested {
    fn load_nested_async<'a, E>(&'a self, _: &'a E, parents: &'a [P]) -> QueryFuture<'a, Vec<()>>
    where
        E: Executor + ?Sized,
    {
        let n = parents.len();
        Box::pin(async move { Ok(vec![(); n]) })
    }
}

impl<P, N1, N2> LoadNestedAsync<P> for (N1, N2)
where
    P: Sync,
    N1: LoadNestedAsync<P> + Sync,
    N2: LoadNestedAsync<P> + Sync,
    N1::Values: Send,
    N2::Values: Send,
{
    fn load_nested_async<'a, E>(
        &'a self,
        conn: &'a E,
        parents: &'a [P],
    ) -> QueryFuture<'a, Vec<Self::Values>>
    where
        E: Executor + ?Sized,
    {
        Box::pin(async move {
            let first = self.0.load_nested_async(conn, parents).await?;
            let second = self.1.load_nested_async(conn, parents).await?;
            Ok(first.into_iter().zip(second).collect())
        })
    }
}

/// One level: its statement, the levels below for its rows, then the rows
/// grouped by parent.
async fn load_level<'a, P, R, E>(
    rel: &'a R,
    conn: &'a E,
    parents: &'a [P],
) -> Result<Vec<R::Out>, Error>
where
    E: Executor + ?Sized,
    R: Relation<P>,
    R::Query: AsQuery<Query = R::Query> + QueryFragment<Pg> + Query + Send + 'a,
    R::Row: FromRow<<R::Query as Query>::SqlType, Pg> + Send + 'a,
    R::Next: LoadNestedAsync<R::Row>,
{
    let rows: Vec<R::Row> = match rel.query(parents) {
        Some(query) => query.load_async(conn).await?,
        None => Vec::new(),
    };
    let values = rel.next().load_nested_async(conn, &rows).await?;
    let items = rows
        .into_iter()
        .zip(values)
        .map(|(row, v)| (R::row_key(&row), <R::Next as Nested<R::Row>>::nest(row, v)))
        .collect();
    Ok(R::assemble(parents, items))
}

macro_rules! load_nested_async {
    ($ty:ident [$($g:ident),*]) => {
        impl<P, $($g),*> LoadNestedAsync<P> for $ty<$($g),*>
        where
            P: Sync,
            Self: Relation<P> + Nested<P, Values = <Self as Relation<P>>::Out> + Sync,
            <Self as Relation<P>>::Query: AsQuery<Query = <Self as Relation<P>>::Query>
                + QueryFragment<Pg> + Query + Send,
            <Self as Relation<P>>::Row:
                FromRow<<<Self as Relation<P>>::Query as Query>::SqlType, Pg> + Send + Sync,
            <Self as Relation<P>>::Next: LoadNestedAsync<<Self as Relation<P>>::Row> + Sync,
            <Self as Relation<P>>::Key: Send,
            <Self as Relation<P>>::Out: Send,
            <<Self as Relation<P>>::Next as Nested<<Self as Relation<P>>::Row>>::Values: Send,
        {
            fn load_nested_async<'a, E>(
                &'a self,
                conn: &'a E,
                parents: &'a [P],
            ) -> QueryFuture<'a, Vec<Self::Values>>
            where
                E: Executor + ?Sized,
            {
                Box::pin(load_level(self, conn, parents))
            }
        }
    };
}
load_nested_async!(HasMany[R, C, N]);
load_nested_async!(BelongsTo[R, Pa, N]);
load_nested_async!(Joined[R1, R2, K, A, T, N]);

impl<Q, N> Eager<Q, N> {
    /// Runs the load on PostgreSQL: the parents' statement, then one
    /// statement per relation and level, each awaited in turn. Name the
    /// parents' row type: `.load_async::<User>(&pool)`. Every
    /// statement is counted as called from here by a
    /// [`StatementScope`](crate::StatementScope).
    #[track_caller]
    pub fn load_async<'a, P>(
        self,
        conn: &'a (impl Executor + ?Sized),
    ) -> QueryFuture<'a, Vec<N::Item>>
    where
        Q: AsQuery + Send + 'a,
        Q::Query: QueryFragment<Pg> + Query + Send + 'a,
        P: FromRow<<Q::Query as Query>::SqlType, Pg> + Send + Sync + 'a,
        N: LoadNestedAsync<P> + Send + Sync + 'a,
        N::Values: Send,
        N::Item: Send,
    {
        let caller = Location::caller();
        Box::pin(with_caller_async(caller, move || async move {
            let parents: Vec<P> = self.query.load_async(conn).await?;
            let values = self.relations.load_nested_async(conn, &parents).await?;
            Ok(parents
                .into_iter()
                .zip(values)
                .map(|(p, v)| N::nest(p, v))
                .collect())
        }))
    }
}
