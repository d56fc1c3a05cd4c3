//! `load_iter` (SQLite) and `load_stream` (PostgreSQL): the same rows as
//! `load`, one at a time, and a connection that stays usable when the rows
//! are dropped before the end.

mod common;

use common::{Db, both_backends, posts, users};
#[cfg(feature = "postgres")]
use futures_util::{StreamExt, TryStreamExt};
use quarry::prelude::*;
use quarry::{Error, Value};

/// Every user with their posts (a LEFT JOIN: the joined group is decided by
/// its primary key), in a fixed order.
type Joined = (
    (i32, String, Option<String>, Option<i16>, i64, f64),
    Option<(i32, i32, String, bool, i32, Option<Vec<u8>>)>,
);

/// Loads `query` with `load_iter` or `load_stream`, taking at most `take`
/// rows, then dropping the rest.
async fn streamed<Q, U>(db: &mut Db, query: Q, take: usize) -> Result<Vec<U>, Error>
where
    Q: AsQuery,
    Q::Query: common::db::OnAll + quarry::query::Query + Send,
    U: common::db::RowOnAll<<Q::Query as quarry::query::Query>::SqlType> + Send,
{
    match db {
        Db::Sqlite(conn) => query.load_iter::<U>(conn)?.take(take).collect(),
        #[cfg(feature = "postgres")]
        Db::Pg(conn) => {
            let stream = query.load_stream::<U, _>(&*conn).await?;
            stream.take(take).try_collect().await
        }
        // MariaDB has no row stream yet: the rows are loaded, then cut.
        #[cfg(feature = "mysql")]
        Db::Mysql(conn) => {
            let rows: Vec<U> = quarry::mysql::RunQueryAsync::load_async(query, &*conn).await?;
            Ok(rows.into_iter().take(take).collect())
        }
    }
}

/// Fills `users` with `n` more users, ids from 100.
#[cfg(feature = "postgres")]
async fn many_users(db: &mut Db, n: i32) -> Result<(), Error> {
    db.execute(
        "INSERT INTO users (id, name, score, rating) \
         SELECT 100 + i, 'user ' || i, i, 1.5 FROM generate_series(1, $1) AS s(i)",
        &[Value::Int(n)],
    )
    .await
    .map(drop)
}

both_backends! {
    /// The stream holds the rows `load` returns, in the same order, also
    /// for a joined optional group.
    async fn stream_equals_load(db) {
        db.seed_blog().await?;
        let query = || {
            users::table
                .left_join(posts::table)
                .order((users::id, posts::id))
        };
        let loaded: Vec<Joined> = db.load(query()).await?;
        let each: Vec<Joined> = streamed(db, query(), usize::MAX).await?;
        assert_eq!(loaded, each);
        // Brian has a post and Chloé one; a user without posts comes back
        // with `None`, decided by the posts' primary key alone.
        db.execute("INSERT INTO users (id, name, score, rating) VALUES ($1, 'Dora', 1, 1.0)", &[Value::Int(9)]).await?;
        let with_lonely: Vec<Joined> = streamed(db, query(), usize::MAX).await?;
        assert_eq!(with_lonely.len(), loaded.len() + 1);
        assert!(with_lonely.last().is_some_and(|(user, post)| user.0 == 9 && post.is_none()));
        Ok(())
    }

    /// Dropping the rows after a few leaves the connection ready for the
    /// next statement, with nothing of the abandoned query in its way.
    async fn early_drop_leaves_connection_usable(db) {
        db.seed_blog().await?;
        let n = 20_000;
        match db {
            Db::Sqlite(conn) => conn.execute(
                "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ?1) \
                 INSERT INTO users (id, name, score, rating) SELECT 100 + i, 'user ' || i, i, 1.5 FROM s",
                &[Value::Int(n)],
            ).map(drop)?,
            #[cfg(feature = "postgres")]
            Db::Pg(_) => many_users(db, n).await?,
            #[cfg(feature = "mysql")]
            Db::Mysql(conn) => conn.execute(
                "INSERT INTO users (id, name, score, rating) \
                 SELECT 100 + seq, CONCAT('user ', seq), seq, 1.5 FROM seq_1_to_20000",
                &[],
            ).await.map(drop)?,
        }
        let first: Vec<(i32, String)> =
            streamed(db, users::table.select((users::id, users::name)).order(users::id), 3).await?;
        assert_eq!(first.iter().map(|r| r.0).collect::<Vec<_>>(), [1, 2, 3]);
        let count: i64 = db.get_result(users::table.count()).await?;
        assert_eq!(count, 3 + i64::from(n));
        let again: Vec<i32> = db.load(users::table.select(users::id).filter(users::id.lt(3)).order(users::id)).await?;
        assert_eq!(again, [1, 2]);
        Ok(())
    }
}

/// A decoding error comes as an item, and ends the iterator.
#[test]
fn sqlite_decode_error_ends_the_iterator() {
    let mut db = common::seeded();
    db.execute("UPDATE users SET name = NULL WHERE id = 2", &[])
        .map(drop)
        .unwrap_or_else(|_| {
            // `name` is NOT NULL: make a text that is not one instead.
            db.execute("UPDATE users SET score = 'x' WHERE id = 2", &[])
                .expect("store a text in an integer column");
        });
    let rows: Vec<Result<i64, Error>> = users::table
        .select(users::score)
        .order(users::id)
        .load_iter(&mut db)
        .expect("start")
        .collect();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows[0].is_ok());
    assert!(
        matches!(rows[1], Err(Error::Decode { .. })),
        "{:?}",
        rows[1]
    );
}
