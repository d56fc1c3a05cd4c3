//! The SQL text of each query shape, read in `const` items: computed at
//! build time, for every dialect side by side.

mod common;

use common::{posts, tags, users};
use quarry::prelude::*;

const FILTERED_SQLITE: &str = quarry::const_sql!(
    Sqlite,
    users::table
        .filter(users::id.eq(1))
        .filter(users::name.like("A%").or(users::email.is_null()))
        .select((users::id, users::name))
        .order(users::id.desc())
        .limit(10)
);
const FILTERED_PG: &str = quarry::const_sql!(
    Pg,
    users::table
        .filter(users::id.eq(1))
        .filter(users::name.like("A%").or(users::email.is_null()))
        .select((users::id, users::name))
        .order(users::id.desc())
        .limit(10)
);

#[test]
fn a_filtered_query_reads_its_sql_in_a_const() {
    assert_eq!(
        FILTERED_SQLITE,
        r#"SELECT "users"."id", "users"."name" FROM "users" WHERE "users"."id" = ? AND ("users"."name" LIKE ? ESCAPE '\' OR "users"."email" IS NULL) ORDER BY "users"."id" DESC NULLS FIRST LIMIT ?"#
    );
    assert_eq!(
        FILTERED_PG,
        r#"SELECT "users"."id", "users"."name" FROM "users" WHERE "users"."id" = $1 AND ("users"."name" LIKE $2 OR "users"."email" IS NULL) ORDER BY "users"."id" DESC LIMIT $3"#
    );
}

#[test]
fn the_default_selection_is_every_column_and_sql_names_are_used() {
    const SQLITE: &str = quarry::const_sql!(Sqlite, posts::table);
    assert_eq!(
        SQLITE,
        r#"SELECT "posts"."id", "posts"."author_id", "posts"."title", "posts"."is_published", "posts"."views", "posts"."body" FROM "posts""#
    );
    const COMPOSITE: &str = quarry::const_sql!(Sqlite, tags::table.find((1, "x")));
    assert_eq!(
        COMPOSITE,
        r#"SELECT "post_tags"."post_id", "post_tags"."label" FROM "post_tags" WHERE "post_tags"."post_id" = ? AND "post_tags"."label" = ?"#
    );
}

#[test]
fn each_shape_side_by_side() {
    let cases: [(&str, &str, &str); 7] = [
        (
            "arithmetic keeps precedence",
            quarry::const_sql!(
                Sqlite,
                posts::table.select((posts::views + 1) * 2 - posts::id / 3)
            ),
            quarry::const_sql!(
                Pg,
                posts::table.select((posts::views + 1) * 2 - posts::id / 3)
            ),
        ),
        (
            "IN list is one bind",
            quarry::const_sql!(
                Sqlite,
                users::table
                    .select(users::id)
                    .filter(users::id.eq_any([1, 2]))
            ),
            quarry::const_sql!(
                Pg,
                users::table
                    .select(users::id)
                    .filter(users::id.eq_any([1, 2]))
            ),
        ),
        (
            "offset without limit",
            quarry::const_sql!(Sqlite, users::table.select(users::id).offset(5)),
            quarry::const_sql!(Pg, users::table.select(users::id).offset(5)),
        ),
        (
            "count, distinct",
            quarry::const_sql!(
                Sqlite,
                posts::table
                    .select(posts::author_id)
                    .distinct()
                    .filter(posts::views.between(1, 9))
            ),
            quarry::const_sql!(
                Pg,
                posts::table
                    .select(posts::author_id)
                    .distinct()
                    .filter(posts::views.between(1, 9))
            ),
        ),
        (
            "exists",
            quarry::const_sql!(Sqlite, select(exists(posts::table.filter(posts::id.eq(1))))),
            quarry::const_sql!(Pg, select(exists(posts::table.filter(posts::id.eq(1))))),
        ),
        (
            "not, concat",
            quarry::const_sql!(
                Sqlite,
                users::table
                    .select(users::name.concat("!"))
                    .filter(not(users::id.eq(1).or(users::id.eq(2))))
            ),
            quarry::const_sql!(
                Pg,
                users::table
                    .select(users::name.concat("!"))
                    .filter(not(users::id.eq(1).or(users::id.eq(2))))
            ),
        ),
        (
            "count",
            quarry::const_sql!(Sqlite, users::table.filter(users::score.gt(1_i64)).count()),
            quarry::const_sql!(Pg, users::table.filter(users::score.gt(1_i64)).count()),
        ),
    ];
    let expected = [
        (
            r#"SELECT ("posts"."views" + ?) * ? - "posts"."id" / ? FROM "posts""#,
            r#"SELECT ("posts"."views" + $1) * $2 - "posts"."id" / $3 FROM "posts""#,
        ),
        (
            r#"SELECT "users"."id" FROM "users" WHERE "users"."id" IN (SELECT value FROM json_each(?))"#,
            r#"SELECT "users"."id" FROM "users" WHERE "users"."id" = ANY($1)"#,
        ),
        (
            r#"SELECT "users"."id" FROM "users" LIMIT -1 OFFSET ?"#,
            r#"SELECT "users"."id" FROM "users" OFFSET $1"#,
        ),
        (
            r#"SELECT DISTINCT "posts"."author_id" FROM "posts" WHERE "posts"."views" BETWEEN ? AND ?"#,
            r#"SELECT DISTINCT "posts"."author_id" FROM "posts" WHERE "posts"."views" BETWEEN $1 AND $2"#,
        ),
        (
            r#"SELECT EXISTS (SELECT 1 FROM "posts" WHERE "posts"."id" = ?)"#,
            r#"SELECT EXISTS (SELECT 1 FROM "posts" WHERE "posts"."id" = $1)"#,
        ),
        (
            r#"SELECT "users"."name" || ? FROM "users" WHERE NOT ("users"."id" = ? OR "users"."id" = ?)"#,
            r#"SELECT "users"."name" || $1 FROM "users" WHERE NOT ("users"."id" = $2 OR "users"."id" = $3)"#,
        ),
        (
            r#"SELECT COUNT(*) FROM "users" WHERE "users"."score" > ?"#,
            r#"SELECT COUNT(*) FROM "users" WHERE "users"."score" > $1"#,
        ),
    ];
    for ((name, sqlite, pg), (want_sqlite, want_pg)) in cases.iter().zip(expected) {
        assert_eq!(*sqlite, want_sqlite, "{name} (SQLite)");
        assert_eq!(*pg, want_pg, "{name} (PostgreSQL)");
    }
}

#[test]
fn values_are_binds_never_text() {
    let evil = "'; DROP TABLE users; --";
    let q = users::table.select(users::id).filter(users::name.eq(evil));
    let shown = quarry::debug_query::<Sqlite, _>(q);
    assert_eq!(
        shown.sql(),
        r#"SELECT "users"."id" FROM "users" WHERE "users"."name" = ?"#
    );
    assert!(!shown.sql().contains("DROP"));
    assert_eq!(shown.binds(), [Value::Text(evil)]);
    assert!(
        shown
            .to_string()
            .ends_with(r#"-- binds: [Text("'; DROP TABLE users; --")]"#)
    );
}
