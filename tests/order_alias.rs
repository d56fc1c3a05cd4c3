//! Naming a selected expression (`sum(..).as_(total)`, `AS "total"`) and
//! ordering by the name (`ORDER BY "total" DESC`): the build-time SQL text
//! of each dialect, and the rows compared with hand-written SQL on real
//! databases. Ordering by a name does not compile for MariaDB (see
//! `ui-tests/cases/ordering/`); naming does, and runs on all three.

mod common;

use common::{both_backends, posts, two_backends, users};
use quarry::expression::{count, count_star, max, scalar, sum};
use quarry::prelude::*;
use quarry::query::{derived, selected};
use quarry::sql_types::{BigInt, Integer, Nullable, SmallInt, Text};

quarry::table! {
    top_authors (author_id) {
        author_id -> Integer,
        total -> Nullable<BigInt>,
    }
}

/// Views per author, named `total`, largest first: a grouped aggregate.
macro_rules! views_per_author {
    () => {{
        let total = quarry::label!(total);
        posts::table
            .group_by(posts::author_id)
            .select((posts::author_id, sum(posts::views).as_(total)))
            .order((total.desc(), posts::author_id))
    }};
}

/// Posts and views per user over a join, by two names.
macro_rules! per_user_over_join {
    () => {{
        let n = quarry::label!(n);
        let total = quarry::label!(total);
        users::table
            .inner_join(posts::table)
            .group_by(users::id)
            .select((
                users::name,
                count(posts::id).as_(n),
                sum(posts::views).as_(total),
            ))
            .order(n.desc())
            .then_order_by(total.asc())
    }};
}

/// A nullable column under a name, ascending: NULLs last on every backend.
macro_rules! ages {
    () => {{
        let years = quarry::label!(years);
        users::table
            .select((users::name, users::age.as_(years)))
            .order(years.asc())
    }};
}

#[test]
fn order_by_name_sql() {
    assert_eq!(
        quarry::const_sql!(Sqlite, views_per_author!()),
        r#"SELECT "posts"."author_id", SUM("posts"."views") AS "total" FROM "posts" GROUP BY "posts"."author_id" ORDER BY "total" DESC NULLS FIRST, "posts"."author_id" NULLS LAST"#
    );
    assert_eq!(
        quarry::const_sql!(Pg, views_per_author!()),
        r#"SELECT "posts"."author_id", CAST(SUM("posts"."views") AS BIGINT) AS "total" FROM "posts" GROUP BY "posts"."author_id" ORDER BY "total" DESC, "posts"."author_id""#
    );
    assert_eq!(
        quarry::const_sql!(Sqlite, per_user_over_join!()),
        r#"SELECT "users"."name", COUNT("posts"."id") AS "n", SUM("posts"."views") AS "total" FROM "users" INNER JOIN "posts" ON "posts"."author_id" = "users"."id" GROUP BY "users"."id" ORDER BY "n" DESC NULLS FIRST, "total" ASC NULLS LAST"#
    );
    assert_eq!(
        quarry::const_sql!(Pg, per_user_over_join!()),
        r#"SELECT "users"."name", COUNT("posts"."id") AS "n", CAST(SUM("posts"."views") AS BIGINT) AS "total" FROM "users" INNER JOIN "posts" ON "posts"."author_id" = "users"."id" GROUP BY "users"."id" ORDER BY "n" DESC, "total" ASC"#
    );
    assert_eq!(
        quarry::const_sql!(Sqlite, ages!()),
        r#"SELECT "users"."name", "users"."age" AS "years" FROM "users" ORDER BY "years" ASC NULLS LAST"#
    );
    assert_eq!(
        quarry::const_sql!(Pg, ages!()),
        r#"SELECT "users"."name", "users"."age" AS "years" FROM "users" ORDER BY "years" ASC"#
    );
}

/// A name in the SELECT list, ordered by the expression itself: this one
/// runs on MariaDB too, where the name is quoted with backticks.
macro_rules! named_everywhere {
    () => {{
        let most = quarry::label!(most);
        posts::table
            .group_by(posts::author_id)
            .select((posts::author_id, max(posts::views).as_(most)))
            .order((max(posts::views).desc(), posts::author_id))
    }};
}

#[test]
fn name_sql_on_every_backend() {
    assert_eq!(
        quarry::const_sql!(Sqlite, named_everywhere!()),
        r#"SELECT "posts"."author_id", MAX("posts"."views") AS "most" FROM "posts" GROUP BY "posts"."author_id" ORDER BY MAX("posts"."views") DESC NULLS FIRST, "posts"."author_id" NULLS LAST"#
    );
    assert_eq!(
        quarry::const_sql!(Pg, named_everywhere!()),
        r#"SELECT "posts"."author_id", MAX("posts"."views") AS "most" FROM "posts" GROUP BY "posts"."author_id" ORDER BY MAX("posts"."views") DESC, "posts"."author_id""#
    );
    #[cfg(feature = "mysql")]
    assert_eq!(
        quarry::const_sql!(quarry::Mysql, named_everywhere!()),
        "SELECT `posts`.`author_id`, MAX(`posts`.`views`) AS `most` FROM `posts` GROUP BY `posts`.`author_id` \
         ORDER BY (MAX(`posts`.`views`)) IS NULL DESC, MAX(`posts`.`views`) DESC, `posts`.`author_id`"
    );
}

both_backends! {
    async fn a_name_leaves_the_rows_as_they_are(db) {
        db.seed_blog().await?;
        let rows: Vec<(i32, Option<i32>)> = db.load(named_everywhere!()).await?;
        let raw: Vec<(i32, Option<i32>)> = db
            .load_raw::<(Integer, Nullable<Integer>), _>(
                "SELECT author_id, MAX(views) AS most FROM posts GROUP BY author_id \
                 ORDER BY MAX(views) DESC, author_id",
            )
            .await?;
        assert_eq!(rows, raw);
        assert_eq!(rows, [(1, Some(120)), (2, Some(40)), (3, Some(7))]);

        // One named expression as the whole selection, and a nullable one.
        let years = quarry::label!(years);
        let ages: Vec<Option<i16>> = db
            .load(users::table.select(users::age.as_(years)).order(users::id))
            .await?;
        assert_eq!(ages, [Some(36), None, Some(29)]);
        Ok(())
    }
}

two_backends! {
    reason = "ORDER BY a selected expression's name does not compile for MariaDB (no NULLS FIRST/LAST; `name IS NULL` is refused for an aggregate's name)";

    async fn order_by_a_grouped_aggregate_name(db) {
        db.seed_blog().await?;
        let rows: Vec<(i32, Option<i64>)> = db.load(views_per_author!()).await?;
        let raw: Vec<(i32, Option<i64>)> = db
            .load_raw::<(Integer, Nullable<BigInt>), _>(
                "SELECT author_id, SUM(views) AS total FROM posts GROUP BY author_id \
                 ORDER BY total DESC, author_id",
            )
            .await?;
        assert_eq!(rows, raw);
        assert_eq!(rows, [(1, Some(123)), (2, Some(40)), (3, Some(7))]);
        Ok(())
    }

    async fn order_by_names_over_a_join(db) {
        db.seed_blog().await?;
        let rows: Vec<(String, i64, Option<i64>)> = db.load(per_user_over_join!()).await?;
        let raw: Vec<(String, i64, Option<i64>)> = db
            .load_raw::<(Text, BigInt, Nullable<BigInt>), _>(
                "SELECT users.name, COUNT(posts.id) AS n, SUM(posts.views) AS total \
                 FROM users INNER JOIN posts ON posts.author_id = users.id \
                 GROUP BY users.id, users.name ORDER BY n DESC, total ASC",
            )
            .await?;
        assert_eq!(rows, raw);
        assert_eq!(
            rows,
            [
                ("Ada".to_owned(), 2, Some(123)),
                ("Chloé".to_owned(), 1, Some(7)),
                ("Brian".to_owned(), 1, Some(40)),
            ]
        );
        Ok(())
    }

    async fn nulls_sort_as_postgresql_sorts_them(db) {
        db.seed_blog().await?;
        let rows: Vec<(String, Option<i16>)> = db.load(ages!()).await?;
        let raw: Vec<(String, Option<i16>)> = db
            .load_raw::<(Text, Nullable<SmallInt>), _>(
                "SELECT name, age AS years FROM users \
                 ORDER BY CASE WHEN age IS NULL THEN 1 ELSE 0 END, years",
            )
            .await?;
        assert_eq!(rows, raw);
        assert_eq!(rows.last(), Some(&("Brian".to_owned(), None)));

        let years = quarry::label!(years);
        let rows: Vec<(String, Option<i16>)> = db
            .load(users::table.select((users::name, users::age.as_(years))).order(years.desc()))
            .await?;
        assert_eq!(rows.first(), Some(&("Brian".to_owned(), None)));
        assert_eq!(rows[1], ("Ada".to_owned(), Some(36)));
        Ok(())
    }

    async fn a_name_shadows_a_column_of_the_same_name(db) {
        db.seed_blog().await?;
        // `ORDER BY "views"` is the selected expression, not `posts.views`.
        let views = quarry::label!(views);
        let q = posts::table
            .select((posts::id, (posts::views * -1).as_(views)))
            .order(views.asc());
        let rows: Vec<(i32, i32)> = db.load(q).await?;
        let raw: Vec<(i32, i32)> = db
            .load_raw::<(Integer, Integer), _>(
                "SELECT id, views * -1 AS views FROM posts ORDER BY 2",
            )
            .await?;
        assert_eq!(rows, raw);
        assert_eq!(rows[0], (1, -120));
        Ok(())
    }

    async fn names_with_positions_and_a_new_selection(db) {
        db.seed_blog().await?;
        let total = quarry::label!(total);
        let most = quarry::label!(most);
        // Ordered by name, then re-selected: the new selection keeps the name.
        let q = posts::table
            .group_by(posts::author_id)
            .select((posts::author_id, sum(posts::views).as_(total)))
            .order((total.desc(), selected::<0>()))
            .select((max(posts::views).as_(most), posts::author_id, count_star().as_(total)));
        let rows: Vec<(Option<i32>, i32, i64)> = db.load(q).await?;
        let raw: Vec<(Option<i32>, i32, i64)> = db
            .load_raw::<(Nullable<Integer>, Integer, BigInt), _>(
                "SELECT MAX(views) AS most, author_id, COUNT(*) AS total FROM posts \
                 GROUP BY author_id ORDER BY total DESC, 1",
            )
            .await?;
        assert_eq!(rows, raw);
        assert_eq!(rows[0], (Some(120), 1, 2));
        Ok(())
    }

    async fn a_derived_table_ordered_by_name_inside(db) {
        db.seed_blog().await?;
        let total = quarry::label!(total);
        let top = derived(
            top_authors::table,
            posts::table
                .group_by(posts::author_id)
                .select((posts::author_id, sum(posts::views).as_(total)))
                .order(total.desc())
                .limit(2),
        );
        let q = top.select(top_authors::author_id).order(top_authors::author_id);
        let rows: Vec<i32> = db.load(q).await?;
        let raw: Vec<i32> = db
            .load_raw::<Integer, _>(
                "SELECT author_id FROM (SELECT author_id, SUM(views) AS total FROM posts \
                 GROUP BY author_id ORDER BY total DESC LIMIT 2) AS t ORDER BY author_id",
            )
            .await?;
        assert_eq!(rows, raw);
        assert_eq!(rows, [1, 2]);
        Ok(())
    }

    async fn a_named_order_inside_a_scalar_subquery(db) {
        db.seed_blog().await?;
        let v = quarry::label!(v);
        let most = scalar(posts::table.select(posts::views.as_(v)).order(v.desc()).limit(1));
        let rows: Vec<(i32, Option<i32>)> = db
            .load(users::table.select((users::id, most)).order(users::id))
            .await?;
        let raw: Vec<(i32, Option<i32>)> = db
            .load_raw::<(Integer, Nullable<Integer>), _>(
                "SELECT id, (SELECT views AS v FROM posts ORDER BY v DESC LIMIT 1) FROM users ORDER BY id",
            )
            .await?;
        assert_eq!(rows, raw);
        assert_eq!(rows[0], (1, Some(120)));
        Ok(())
    }
}

/// Boxing a query keeps the order by name it was given before.
#[test]
fn a_boxed_query_keeps_its_named_order() -> Result<(), quarry::Error> {
    let mut db = common::seeded();
    let total = quarry::label!(total);
    let q = posts::table
        .group_by(posts::author_id)
        .select((posts::author_id, sum(posts::views).as_(total)))
        .order(total.desc())
        .into_boxed::<Sqlite>()
        .limit(2);
    let rows: Vec<(i32, Option<i64>)> = q.load(&mut db)?;
    assert_eq!(rows, [(1, Some(123)), (2, Some(40))]);
    Ok(())
}
