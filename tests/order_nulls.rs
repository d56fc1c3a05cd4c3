//! Where NULLs sort, the same on every backend: last ascending, first
//! descending, as PostgreSQL sorts them. MariaDB has no `NULLS LAST`, so
//! quarry writes a key, `(x) IS NULL`, before a term that can be NULL
//! where it is ordered, and only there: a key on a NOT NULL column would
//! keep the server from reading an index in order.

mod common;

use common::{both_backends, posts, users};
use quarry::prelude::*;

both_backends! {
    /// A NOT NULL column on the optional side of a LEFT JOIN is NULL for
    /// the rows without a match: those sort last ascending, first
    /// descending, on every backend.
    async fn outer_joined_nulls_sort_as_on_postgres(db) {
        db.seed_blog().await?;
        db.execute(
            "INSERT INTO users (id, name, score, rating) VALUES ($1, $2, $3, $4)",
            &[Value::Int(4), Value::Text("Dan"), Value::BigInt(0), Value::Double(1.0)],
        )
        .await?;
        let ascending: Vec<(i32, Option<i32>)> = db
            .load(
                users::table
                    .left_join(posts::table)
                    .select((users::id, posts::views))
                    .order((posts::views.asc(), users::id)),
            )
            .await?;
        assert_eq!(
            ascending,
            [(1, Some(3)), (3, Some(7)), (2, Some(40)), (1, Some(120)), (4, None)]
        );
        let descending: Vec<(i32, Option<i32>)> = db
            .load(
                users::table
                    .left_join(posts::table)
                    .select((users::id, posts::views))
                    .order((posts::views.desc(), users::id.desc())),
            )
            .await?;
        assert_eq!(
            descending,
            [(4, None), (1, Some(120)), (2, Some(40)), (3, Some(7)), (1, Some(3))]
        );
        // A nullable column of the table itself.
        let by_age: Vec<(i32, Option<i16>)> = db
            .load(users::table.select((users::id, users::age)).order((users::age, users::id)))
            .await?;
        assert_eq!(by_age, [(3, Some(29)), (1, Some(36)), (2, None), (4, None)]);
        Ok(())
    }
}

#[cfg(feature = "mysql")]
#[test]
fn mariadb_keys_only_the_terms_that_can_be_null() {
    use quarry::Mysql;
    // NOT NULL and in the FROM clause's own table: no key.
    const BY_ID: &str = quarry::const_sql!(
        Mysql,
        users::table.select(users::id).order(users::id.desc())
    );
    // Nullable: keyed.
    const BY_AGE: &str =
        quarry::const_sql!(Mysql, users::table.select(users::id).order(users::age));
    // NOT NULL, but on the optional side of a LEFT JOIN: keyed; the inner
    // side's NOT NULL column is not.
    const JOINED: &str = quarry::const_sql!(
        Mysql,
        users::table
            .left_join(posts::table)
            .select(users::id)
            .order((posts::views.asc(), users::id))
    );
    // An inner join leaves both sides NOT NULL.
    const INNER: &str = quarry::const_sql!(
        Mysql,
        users::table
            .inner_join(posts::table)
            .select(users::id)
            .order((posts::views.desc(), users::id))
    );
    assert_eq!(
        BY_ID,
        "SELECT `users`.`id` FROM `users` ORDER BY `users`.`id` DESC"
    );
    assert_eq!(
        BY_AGE,
        "SELECT `users`.`id` FROM `users` ORDER BY (`users`.`age`) IS NULL, `users`.`age`"
    );
    assert_eq!(
        JOINED,
        "SELECT `users`.`id` FROM `users` LEFT JOIN `posts` ON `posts`.`author_id` = `users`.`id` \
         ORDER BY (`posts`.`views`) IS NULL, `posts`.`views` ASC, `users`.`id`"
    );
    assert_eq!(
        INNER,
        "SELECT `users`.`id` FROM `users` INNER JOIN `posts` ON `posts`.`author_id` = `users`.`id` \
         ORDER BY `posts`.`views` DESC, `users`.`id`"
    );
}

/// An order term chosen at run time ([`BoxedOrder`]) places NULLs as a
/// typed one does: it used to be written without `NULLS FIRST` on SQLite.
#[test]
fn a_boxed_order_term_places_nulls_as_a_typed_one() {
    use quarry::Sqlite;
    use quarry::query::BoxedOrder;

    let mut conn = quarry::sqlite::Connection::open_in_memory().unwrap();
    conn.execute_batch(common::DDL).unwrap();
    conn.execute_batch(
        "INSERT INTO users (id, name, email, age, score, rating) VALUES
           (1, 'Ada', NULL, 36, 1, 1.0), (2, 'Brian', NULL, NULL, 1, 1.0), (3, 'Chloé', NULL, 29, 1, 1.0)",
    )
    .unwrap();
    let by_age = |order: BoxedOrder<'static, users::table, Sqlite>| {
        users::table
            .select(users::id)
            .into_boxed::<Sqlite>()
            .order_by_boxed(order)
            .then_order_by(users::id)
    };
    let descending: Vec<i32> = by_age(BoxedOrder::new(users::age.desc()))
        .load(&mut conn)
        .unwrap();
    assert_eq!(descending, [2, 1, 3], "NULL first, descending");
    let ascending: Vec<i32> = by_age(BoxedOrder::new(users::age.asc()))
        .load(&mut conn)
        .unwrap();
    assert_eq!(ascending, [3, 1, 2], "NULL last, ascending");
}
