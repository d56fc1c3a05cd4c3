//! The SQL text of the PostgreSQL-only shapes: `ILIKE`, `DISTINCT ON`, row
//! locks and arrays, read in `const` items. They have no SQLite text: on
//! SQLite they do not compile (see `ui-tests/cases/backends`).

mod common;

use common::{posts, users};
use quarry::prelude::*;

quarry::table! {
    articles (id) {
        id -> Integer,
        tags -> Array<Text>,
        scores -> Nullable<Array<Nullable<Integer>>>,
    }
}

#[test]
fn ilike_and_not_ilike() {
    const ILIKE: &str = quarry::const_sql!(
        Pg,
        users::table.select(users::id).filter(
            users::name
                .ilike("a%")
                .or(users::email.not_ilike("%@example.com"))
        )
    );
    assert_eq!(
        ILIKE,
        r#"SELECT "users"."id" FROM "users" WHERE "users"."name" ILIKE $1 OR "users"."email" NOT ILIKE $2"#
    );
    // Its operands keep their precedence, like `LIKE`'s.
    const CONCAT: &str = quarry::const_sql!(
        Pg,
        users::table
            .select(users::id)
            .filter(users::name.concat("!").ilike("%a!"))
    );
    assert_eq!(
        CONCAT,
        r#"SELECT "users"."id" FROM "users" WHERE "users"."name" || $1 ILIKE $2"#
    );
}

#[test]
fn distinct_on_one_expression_or_several() {
    const ONE: &str = quarry::const_sql!(
        Pg,
        posts::table
            .distinct_on(posts::author_id)
            .select((posts::author_id, posts::title))
            .order((posts::author_id, posts::views.desc()))
    );
    assert_eq!(
        ONE,
        r#"SELECT DISTINCT ON ("posts"."author_id") "posts"."author_id", "posts"."title" FROM "posts" ORDER BY "posts"."author_id", "posts"."views" DESC"#
    );
    const SEVERAL: &str = quarry::const_sql!(
        Pg,
        posts::table
            .select(posts::id)
            .distinct_on((posts::author_id, posts::published))
            .order((posts::author_id, posts::published, posts::id))
    );
    assert_eq!(
        SEVERAL,
        r#"SELECT DISTINCT ON ("posts"."author_id", "posts"."is_published") "posts"."id" FROM "posts" ORDER BY "posts"."author_id", "posts"."is_published", "posts"."id""#
    );
    // A bind value in DISTINCT ON is the first placeholder.
    const BOUND: &str = quarry::const_sql!(
        Pg,
        users::table
            .distinct_on(users::name.concat("!"))
            .select(users::id)
            .filter(users::id.gt(1))
    );
    assert_eq!(
        BOUND,
        r#"SELECT DISTINCT ON ("users"."name" || $1) "users"."id" FROM "users" WHERE "users"."id" > $2"#
    );
}

#[test]
fn row_locks_come_last() {
    let cases: [(&str, &str); 6] = [
        (
            quarry::const_sql!(Pg, users::table.select(users::id).for_update()),
            r#"SELECT "users"."id" FROM "users" FOR UPDATE"#,
        ),
        (
            quarry::const_sql!(
                Pg,
                users::table
                    .select(users::id)
                    .filter(users::score.gt(10_i64))
                    .order(users::id)
                    .limit(1)
                    .for_update()
                    .skip_locked()
            ),
            r#"SELECT "users"."id" FROM "users" WHERE "users"."score" > $1 ORDER BY "users"."id" LIMIT $2 FOR UPDATE SKIP LOCKED"#,
        ),
        (
            quarry::const_sql!(Pg, users::table.find(1).for_update().no_wait()),
            r#"SELECT "users"."id", "users"."name", "users"."email", "users"."age", "users"."score", "users"."rating" FROM "users" WHERE "users"."id" = $1 FOR UPDATE NOWAIT"#,
        ),
        (
            quarry::const_sql!(Pg, users::table.select(users::id).for_share()),
            r#"SELECT "users"."id" FROM "users" FOR SHARE"#,
        ),
        (
            quarry::const_sql!(Pg, users::table.select(users::id).for_no_key_update()),
            r#"SELECT "users"."id" FROM "users" FOR NO KEY UPDATE"#,
        ),
        (
            quarry::const_sql!(
                Pg,
                users::table.select(users::id).for_key_share().skip_locked()
            ),
            r#"SELECT "users"."id" FROM "users" FOR KEY SHARE SKIP LOCKED"#,
        ),
    ];
    for (sql, expected) in cases {
        assert_eq!(sql, expected);
    }
}

#[test]
fn an_array_is_one_bind_value() {
    const FILTER: &str = quarry::const_sql!(
        Pg,
        articles::table
            .select((articles::tags, articles::scores))
            .filter(articles::tags.eq(vec!["a", "b"]))
    );
    assert_eq!(
        FILTER,
        r#"SELECT "articles"."tags", "articles"."scores" FROM "articles" WHERE "articles"."tags" = $1"#
    );
}
