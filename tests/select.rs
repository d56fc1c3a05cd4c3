//! SELECT queries on real SQLite and real PostgreSQL: every builder method,
//! typed rows. Each body runs on both backends (see `common::db`).

mod common;

use common::{both_backends, posts, tags, users};
use quarry::prelude::*;

#[derive(Queryable, Debug, PartialEq)]
struct UserRow {
    id: i32,
    name: String,
    email: Option<String>,
    age: Option<i16>,
    score: i64,
    rating: f64,
}

#[derive(Selectable, Debug, PartialEq)]
#[quarry(table = posts)]
struct PostTitle {
    id: i32,
    title: String,
    published: bool,
}

both_backends! {
    async fn a_table_loads_every_column_into_a_queryable_struct(db) {
        db.seed_blog().await?;
        let users: Vec<UserRow> = db.load(users::table.order(users::id)).await?;
        assert_eq!(users.len(), 3);
        assert_eq!(
            users[1],
            UserRow {
                id: 2,
                name: "Brian".into(),
                email: None,
                age: None,
                score: 50,
                rating: 3.0
            }
        );
        assert_eq!(users[2].name, "Chloé");
        Ok(())
    }

    async fn select_a_column_a_tuple_and_an_expression(db) {
        db.seed_blog().await?;
        let names: Vec<String> = db
            .load(users::table.select(users::name).order(users::id))
            .await?;
        assert_eq!(names, ["Ada", "Brian", "Chloé"]);

        let pairs: Vec<(i32, Option<String>)> = db
            .load(users::table.select((users::id, users::email)).order(users::id))
            .await?;
        assert_eq!(pairs[0], (1, Some("ada@example.com".to_owned())));
        assert_eq!(pairs[1], (2, None));

        let doubled: Vec<i32> = db
            .load(posts::table.select(posts::views * 2 + 1).order(posts::id))
            .await?;
        assert_eq!(doubled, [241, 7, 81, 15]);

        let labels: Vec<String> = db
            .load(
                users::table
                    .select(users::name.concat(" <").concat(users::name).concat(">"))
                    .filter(users::id.eq(1)),
            )
            .await?;
        assert_eq!(labels, ["Ada <Ada>"]);
        Ok(())
    }

    async fn selectable_struct_reads_columns_by_field_name(db) {
        db.seed_blog().await?;
        let posts: Vec<PostTitle> = db
            .load(
                posts::table
                    .select(PostTitle::as_select())
                    .filter(posts::published.eq(true))
                    .order(posts::id.desc()),
            )
            .await?;
        let ids: Vec<i32> = posts.iter().map(|p| p.id).collect();
        assert_eq!(ids, [4, 3, 1]);
        assert!(posts.iter().all(|p| p.published));
        Ok(())
    }

    async fn chained_filters_are_joined_with_and(db) {
        db.seed_blog().await?;
        let ids: Vec<i32> = db
            .load(
                posts::table
                    .select(posts::id)
                    .filter(posts::author_id.eq(1))
                    .filter(posts::published.eq(true)),
            )
            .await?;
        assert_eq!(ids, [1]);
        Ok(())
    }

    async fn comparisons_between_like_and_null_tests(db) {
        db.seed_blog().await?;
        let ids: Vec<i32> = db
            .load(users::table.select(users::id).filter(users::score.gt(60)).order(users::id))
            .await?;
        assert_eq!(ids, [1, 3]);
        let ids: Vec<i32> = db
            .load(users::table.select(users::id).filter(users::score.ge(75)).order(users::id))
            .await?;
        assert_eq!(ids, [1, 3]);
        let ids: Vec<i32> = db
            .load(users::table.select(users::id).filter(users::score.lt(75)))
            .await?;
        assert_eq!(ids, [2]);
        let ids: Vec<i32> = db
            .load(users::table.select(users::id).filter(users::score.le(75)).order(users::id))
            .await?;
        assert_eq!(ids, [2, 3]);
        let ids: Vec<i32> = db
            .load(users::table.select(users::id).filter(users::id.ne(2)).order(users::id))
            .await?;
        assert_eq!(ids, [1, 3]);
        let ids: Vec<i32> = db
            .load(
                posts::table
                    .select(posts::id)
                    .filter(posts::views.between(5, 50))
                    .order(posts::id),
            )
            .await?;
        assert_eq!(ids, [3, 4]);
        let ids: Vec<i32> = db
            .load(posts::table.select(posts::id).filter(posts::title.like("%world%")))
            .await?;
        assert_eq!(ids, [3]);
        let ids: Vec<i32> = db
            .load(posts::table.select(posts::id).filter(posts::title.not_like("%o%")))
            .await?;
        assert_eq!(ids, Vec::<i32>::new());
        let ids: Vec<i32> = db
            .load(users::table.select(users::id).filter(users::email.is_null()))
            .await?;
        assert_eq!(ids, [2]);
        let ids: Vec<i32> = db
            .load(
                users::table
                    .select(users::id)
                    .filter(users::email.is_not_null())
                    .order(users::id),
            )
            .await?;
        assert_eq!(ids, [1, 3]);
        // A nullable column compares with a plain value.
        let ids: Vec<i32> = db
            .load(users::table.select(users::id).filter(users::age.gt(30)))
            .await?;
        assert_eq!(ids, [1]);
        // Two columns of the same type.
        let ids: Vec<i32> = db
            .load(
                posts::table
                    .select(posts::id)
                    .filter(posts::views.gt(posts::id))
                    .order(posts::id),
            )
            .await?;
        assert_eq!(ids, [1, 2, 3, 4]);
        Ok(())
    }

    /// `LIKE` tells upper from lower case on every backend (SQLite's own
    /// ignores the case of ASCII letters; quarry's connections turn that
    /// off), so one pattern finds the same rows everywhere.
    async fn like_tells_upper_from_lower_case(db) {
        db.seed_blog().await?;
        let like = async |db: &mut common::Db, pattern: &'static str| -> Result<Vec<i32>, quarry::Error> {
            db.load(users::table.select(users::id).filter(users::name.like(pattern)).order(users::id))
                .await
        };
        assert_eq!(like(db, "a%").await?, Vec::<i32>::new(), "on {}", db.backend());
        assert_eq!(like(db, "A%").await?, [1], "on {}", db.backend());
        assert_eq!(like(db, "%É").await?, Vec::<i32>::new(), "on {}", db.backend());
        assert_eq!(like(db, "%é").await?, [3], "on {}", db.backend());
        let ids: Vec<i32> = db
            .load(users::table.select(users::id).filter(users::name.not_like("brian")).order(users::id))
            .await?;
        assert_eq!(ids, [1, 2, 3], "on {}", db.backend());
        Ok(())
    }

    /// `\` escapes `%`, `_` and itself in a `LIKE` pattern on every
    /// backend: PostgreSQL and MariaDB read it so by default, and SQLite's
    /// `LIKE` is written with `ESCAPE '\'`. One pattern, the same rows.
    async fn like_backslash_escapes_on_every_backend(db) {
        db.seed_blog().await?;
        let names = [(10, "a%b"), (11, "a\\xb"), (12, "a_b"), (13, "axb"), (14, "a\\b"), (15, "a\\\\b")];
        for (id, name) in names {
            db.execute(
                "INSERT INTO users (id, name, score, rating) VALUES ($1, $2, 0, 0)",
                &[quarry::Value::Int(id), quarry::Value::Text(name)],
            )
            .await?;
        }
        let like = async |db: &mut common::Db, pattern: &'static str| -> Result<Vec<i32>, quarry::Error> {
            db.load(
                users::table
                    .select(users::id)
                    .filter(users::id.ge(10).and(users::name.like(pattern)))
                    .order(users::id),
            )
            .await
        };
        assert_eq!(like(db, r"a\%b").await?, [10], "on {}", db.backend());
        assert_eq!(like(db, r"a\_b").await?, [12], "on {}", db.backend());
        assert_eq!(like(db, r"a\\b").await?, [14], "on {}", db.backend());
        assert_eq!(like(db, r"a\\%").await?, [11, 14, 15], "on {}", db.backend());
        assert_eq!(like(db, r"a\\\\b").await?, [15], "on {}", db.backend());
        assert_eq!(like(db, "a%b").await?, [10, 11, 12, 13, 14, 15], "on {}", db.backend());
        assert_eq!(like(db, "a_b").await?, [10, 12, 13, 14], "on {}", db.backend());
        let ids: Vec<i32> = db
            .load(
                users::table
                    .select(users::id)
                    .filter(users::id.ge(10).and(users::name.not_like(r"a\%b")))
                    .order(users::id),
            )
            .await?;
        assert_eq!(ids, [11, 12, 13, 14, 15], "on {}", db.backend());
        Ok(())
    }

    async fn and_or_not_group_correctly(db) {
        db.seed_blog().await?;
        // (author 1 AND published) OR views < 10
        let ids: Vec<i32> = db
            .load(
                posts::table
                    .select(posts::id)
                    .filter(
                        posts::author_id
                            .eq(1)
                            .and(posts::published.eq(true))
                            .or(posts::views.lt(10)),
                    )
                    .order(posts::id),
            )
            .await?;
        assert_eq!(ids, [1, 2, 4]);

        // author 1 AND (published OR views < 10)
        let ids: Vec<i32> = db
            .load(
                posts::table
                    .select(posts::id)
                    .filter(
                        posts::author_id
                            .eq(1)
                            .and(posts::published.eq(true).or(posts::views.lt(10))),
                    )
                    .order(posts::id),
            )
            .await?;
        assert_eq!(ids, [1, 2]);

        let ids: Vec<i32> = db
            .load(posts::table.select(posts::id).filter(not(posts::published)))
            .await?;
        assert_eq!(ids, [2]);
        Ok(())
    }

    /// `IN (SELECT value FROM json_each(?))` on SQLite, `= ANY($1)` on
    /// PostgreSQL: one bind, whatever the length.
    async fn eq_any_takes_lists_of_any_length_including_empty(db) {
        db.seed_blog().await?;
        let ids: Vec<i32> = db
            .load(
                users::table
                    .select(users::id)
                    .filter(users::name.eq_any(["Ada", "Chloé", "O'Brien \"x\""]))
                    .order(users::id),
            )
            .await?;
        assert_eq!(ids, [1, 3]);

        let none: Vec<i32> = db
            .load(users::table.select(users::id).filter(users::id.eq_any(Vec::<i32>::new())))
            .await?;
        assert!(none.is_empty());

        let one: Vec<i32> = db
            .load(users::table.select(users::id).filter(users::id.eq_any([2])))
            .await?;
        assert_eq!(one, [2]);

        let many: Vec<i32> = (0..10_000).collect();
        let count: i64 = db
            .get_result(users::table.filter(users::id.eq_any(many)).count())
            .await?;
        assert_eq!(count, 3);

        let rest: Vec<i32> = db
            .load(users::table.select(users::id).filter(users::id.ne_all([1, 2])))
            .await?;
        assert_eq!(rest, [3]);
        Ok(())
    }

    async fn order_by_several_keys_limit_offset_distinct(db) {
        db.seed_blog().await?;
        let rows: Vec<(i32, i32)> = db
            .load(
                posts::table
                    .select((posts::author_id, posts::id))
                    .order((posts::author_id.desc(), posts::id.asc())),
            )
            .await?;
        assert_eq!(rows, [(3, 4), (2, 3), (1, 1), (1, 2)]);

        let rows: Vec<i32> = db
            .load(
                posts::table
                    .select(posts::id)
                    .order(posts::author_id)
                    .then_order_by(posts::id.desc())
                    .limit(2)
                    .offset(1),
            )
            .await?;
        assert_eq!(rows, [1, 3]);

        let skipped: Vec<i32> = db
            .load(posts::table.select(posts::id).order(posts::id).offset(3))
            .await?;
        assert_eq!(skipped, [4]);

        let authors: Vec<i32> = db
            .load(
                posts::table
                    .select(posts::author_id)
                    .distinct()
                    .order(posts::author_id),
            )
            .await?;
        assert_eq!(authors, [1, 2, 3]);
        Ok(())
    }

    async fn count_find_first_exists_and_optional(db) {
        db.seed_blog().await?;
        let n: i64 = db
            .get_result(posts::table.filter(posts::published.eq(true)).count())
            .await?;
        assert_eq!(n, 3);

        let ada: UserRow = db.get_result(users::table.find(1)).await?;
        assert_eq!(ada.name, "Ada");

        let missing: Option<UserRow> = db.get_result(users::table.find(99)).await.optional()?;
        assert!(missing.is_none());
        let err = db.get_result::<_, UserRow>(users::table.find(99)).await.unwrap_err();
        assert!(matches!(err, quarry::Error::NotFound), "{err:?}");

        let tag: (i32, String) = db.get_result(tags::table.find((1, "math"))).await?;
        assert_eq!(tag, (1, "math".to_owned()));

        let first: String = db
            .first(users::table.select(users::name).order(users::name.desc()))
            .await?;
        assert_eq!(first, "Chloé");
        let err = db
            .first::<_, String>(users::table.select(users::name).filter(users::id.gt(3)))
            .await
            .unwrap_err();
        assert!(matches!(err, quarry::Error::NotFound), "{err:?}");

        let yes: bool = db
            .get_result(select(exists(posts::table.filter(posts::views.gt(100)))))
            .await?;
        let no: bool = db
            .get_result(select(exists(posts::table.filter(posts::views.gt(1000)))))
            .await?;
        assert!(yes && !no);
        Ok(())
    }

    async fn binary_and_null_values_round_trip(db) {
        db.seed_blog().await?;
        db.execute(
            "UPDATE posts SET body = $1 WHERE id = 1",
            &[Value::Blob(&[0, 159, 146, 150, 255])],
        )
        .await?;
        let bodies: Vec<Option<Vec<u8>>> = db
            .load(posts::table.select(posts::body).order(posts::id))
            .await?;
        assert_eq!(bodies[0].as_deref(), Some(&[0u8, 159, 146, 150, 255][..]));
        assert_eq!(bodies[1], None);
        Ok(())
    }

    /// Values the schema did not promise are decode errors naming the
    /// column and both types, never a panic. On SQLite a column can hold any
    /// storage class; on PostgreSQL the column's type is what differs.
    async fn a_value_the_schema_did_not_promise_is_a_decode_error_naming_the_column(db) {
        db.seed_blog().await?;
        db.batch3(
            "UPDATE users SET score = 'lots' WHERE id = 2",
            "ALTER TABLE users ALTER COLUMN score TYPE TEXT; \
             UPDATE users SET score = 'lots' WHERE id = 2",
            "ALTER TABLE users MODIFY score TEXT NOT NULL; \
             UPDATE users SET score = 'lots' WHERE id = 2",
        )
        .await?;
        let err = db
            .load::<_, (i32, i64)>(users::table.select((users::id, users::score)).order(users::id))
            .await
            .unwrap_err();
        match err {
            quarry::Error::Decode {
                column,
                index,
                expected,
                found,
            } => {
                assert_eq!(column, "score");
                assert_eq!(index, 1);
                assert_eq!(expected, "BigInt as i64");
                let want = match db.backend() {
                    "PostgreSQL" => "text",
                    "MariaDB" => "BLOB",
                    _ => "TEXT (4 bytes)",
                };
                assert_eq!(found, want);
            }
            other => panic!("expected a decode error, got {other:?}"),
        }

        // An integer too large for the Rust type is an error too, not a wrap.
        db.batch3(
            "UPDATE posts SET views = 5000000000 WHERE id = 1",
            "ALTER TABLE posts ALTER COLUMN views TYPE BIGINT; \
             UPDATE posts SET views = 5000000000 WHERE id = 1",
            "ALTER TABLE posts MODIFY views BIGINT NOT NULL; \
             UPDATE posts SET views = 5000000000 WHERE id = 1",
        )
        .await?;
        let err = db
            .load::<_, i32>(posts::table.select(posts::views))
            .await
            .unwrap_err();
        assert!(matches!(err, quarry::Error::Decode { .. }), "{err:?}");
        assert!(err.to_string().contains("views"), "{err}");

        // NULL where the schema says NOT NULL.
        db.batch(
            "CREATE TABLE loose (id INTEGER, title TEXT); INSERT INTO loose VALUES (1, NULL)",
            "CREATE TABLE loose (id INTEGER, title TEXT); INSERT INTO loose VALUES (1, NULL)",
        )
        .await?;
        let err = db
            .load::<_, String>(loose::table.select(loose::title))
            .await
            .unwrap_err();
        match err {
            quarry::Error::Decode { column, found, .. } => {
                assert_eq!(column, "title");
                assert_eq!(found, "NULL");
            }
            other => panic!("expected a decode error, got {other:?}"),
        }
        Ok(())
    }
}

quarry::table! {
    /// A table whose real columns allow NULL, declared as if they did not.
    loose (id) {
        id -> Integer,
        title -> Text,
    }
}
