//! Running an eager load on MariaDB/MySQL: one statement per level,
//! awaited in turn (each level needs the keys of the one above). The key
//! lists are one JSON bind each (see `KeyIn`), so a level is one statement
//! text whatever the number of parents.

use std::panic::Location;

use crate::backend::Mysql;
use crate::deserialize::FromRow;
use crate::mysql::{Executor, QueryFuture, RunQueryAsync};
use crate::query::{AsQuery, Query};
use crate::query_fragment::QueryFragment;
use crate::relations::eager::{BelongsTo, Eager, HasMany, Joined, Nested, NoNested, Relation};
use quarry_runtime::{Error, with_caller_async};

/// Loads what a relation brings for a slice of rows, on MariaDB/MySQL.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be loaded for `{P}` rows on MariaDB/MySQL",
    note = "each level's row struct must load from its table's columns (`Queryable`), derive `Related`, and be `Send` and `Sync`"
)]
pub trait LoadNestedMysql<P>: Nested<P> {
    /// One value per row of `parents`, in their order.
    fn load_nested_mysql<'a, E>(
        &'a self,
        conn: &'a E,
        parents: &'a [P],
    ) -> QueryFuture<'a, Vec<Self::Values>>
    where
        E: Executor + ?Sized;
}

impl<P> LoadNestedMysql<P> for NoNested {
    fn load_nested_mysql<'a, E>(&'a self, _: &'a E, parents: &'a [P]) -> QueryFuture<'a, Vec<()>>
    where
        E: Executor + ?Sized,
    {
        let n = parents.len();
        Box::pin(async move { Ok(vec![(); n]) })
    }
}

impl<P, N1, N2> LoadNestedMysql<P> for (N1, N2)
where
    P: Sync,
    N1: LoadNestedMysql<P> + Sync,
    N2: LoadNestedMysql<P> + Sync,
    N1::Values: Send,
    N2::Values: Send,
{
    fn load_nested_mysql<'a, E>(
        &'a self,
        conn: &'a E,
        parents: &'a [P],
    ) -> QueryFuture<'a, Vec<Self::Values>>
    where
        E: Executor + ?Sized,
    {
        Box::pin(async move {
            let first = self.0.load_nested_mysql(conn, parents).await?;
            let second = self.1.load_nested_mysql(conn, parents).await?;
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
    R::Query: AsQuery<Query = R::Query> + QueryFragment<Mysql> + Query + Send + 'a,
    R::Row: FromRow<<R::Query as Query>::SqlType, Mysql> + Send + 'a,
    R::Next: LoadNestedMysql<R::Row>,
{
    let rows: Vec<R::Row> = match rel.query(parents) {
        Some(query) => RunQueryAsync::load_async(query, conn).await?,
        None => Vec::new(),
    };
    let values = rel.next().load_nested_mysql(conn, &rows).await?;
    let items = rows
        .into_iter()
        .zip(values)
        .map(|(row, v)| (R::row_key(&row), <R::Next as Nested<R::Row>>::nest(row, v)))
        .collect();
    Ok(R::assemble(parents, items))
}

macro_rules! load_nested_mysql {
    ($ty:ident [$($g:ident),*]) => {
        impl<P, $($g),*> LoadNestedMysql<P> for $ty<$($g),*>
        where
            P: Sync,
            Self: Relation<P> + Nested<P, Values = <Self as Relation<P>>::Out> + Sync,
            <Self as Relation<P>>::Query: AsQuery<Query = <Self as Relation<P>>::Query>
                + QueryFragment<Mysql> + Query + Send,
            <Self as Relation<P>>::Row:
                FromRow<<<Self as Relation<P>>::Query as Query>::SqlType, Mysql> + Send + Sync,
            <Self as Relation<P>>::Next: LoadNestedMysql<<Self as Relation<P>>::Row> + Sync,
            <Self as Relation<P>>::Key: Send,
            <Self as Relation<P>>::Out: Send,
            <<Self as Relation<P>>::Next as Nested<<Self as Relation<P>>::Row>>::Values: Send,
        {
            fn load_nested_mysql<'a, E>(
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
load_nested_mysql!(HasMany[R, C, N]);
load_nested_mysql!(BelongsTo[R, Pa, N]);
load_nested_mysql!(Joined[R1, R2, K, A, T, N]);

/// Running an eager load on MariaDB/MySQL. The method has the name of
/// PostgreSQL's inherent one, so call it through the trait:
/// `EagerMysql::load_async::<User>(eager(..), &pool)`.
///
/// ```no_run
/// # include!("doc_blog.rs");
/// # fn main() {}
/// # async fn demo(pool: &quarry::mysql::Pool) -> Result<(), quarry::Error> {
/// use quarry::mysql::EagerMysql;
/// use quarry::relations::{eager, has_many};
/// // Two statements, whatever the number of users.
/// let users: Vec<(User, Vec<Post>)> = EagerMysql::load_async::<User>(
///     eager(users::table.order(users::id), has_many::<Post, _>(posts::author)),
///     pool,
/// )
/// .await?;
/// # let _ = users; Ok(()) }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an eager load",
    note = "make one with `quarry::relations::eager(query, relations)`"
)]
pub trait EagerMysql<Q, N>: Sized {
    /// The parents' statement, then one statement per relation and level,
    /// each awaited in turn. Name the parents' row type:
    /// `EagerMysql::load_async::<User>(load, &pool)`. Every statement is
    /// counted as called from here by a
    /// [`StatementScope`](crate::StatementScope).
    #[track_caller]
    fn load_async<'a, P>(
        self,
        conn: &'a (impl Executor + ?Sized),
    ) -> QueryFuture<'a, Vec<<N as Nested<P>>::Item>>
    where
        Q: AsQuery + Send + 'a,
        Q::Query: QueryFragment<Mysql> + Query + Send + 'a,
        P: FromRow<<Q::Query as Query>::SqlType, Mysql> + Send + Sync + 'a,
        N: LoadNestedMysql<P> + Send + Sync + 'a,
        N::Values: Send,
        N::Item: Send;
}

impl<Q, N> EagerMysql<Q, N> for Eager<Q, N> {
    #[track_caller]
    fn load_async<'a, P>(
        self,
        conn: &'a (impl Executor + ?Sized),
    ) -> QueryFuture<'a, Vec<<N as Nested<P>>::Item>>
    where
        Q: AsQuery + Send + 'a,
        Q::Query: QueryFragment<Mysql> + Query + Send + 'a,
        P: FromRow<<Q::Query as Query>::SqlType, Mysql> + Send + Sync + 'a,
        N: LoadNestedMysql<P> + Send + Sync + 'a,
        N::Values: Send,
        N::Item: Send,
    {
        let caller = Location::caller();
        Box::pin(with_caller_async(caller, move || async move {
            let parents: Vec<P> = RunQueryAsync::load_async(self.query, conn).await?;
            let values = self.relations.load_nested_mysql(conn, &parents).await?;
            Ok(parents
                .into_iter()
                .zip(values)
                .map(|(p, v)| N::nest(p, v))
                .collect())
        }))
    }
}
