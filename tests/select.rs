//! SELECT queries on real SQLite: every builder method, typed rows.

mod common;

use common::{posts, seeded, tags, users};
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

#[test]
fn a_table_loads_every_column_into_a_queryable_struct() {
    let mut db = seeded();
    let users: Vec<UserRow> = users::table.order(users::id).load(&mut db).unwrap();
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
}

#[test]
fn select_a_column_a_tuple_and_an_expression() {
    let mut db = seeded();
    let names: Vec<String> = users::table
        .select(users::name)
        .order(users::id)
        .load(&mut db)
        .unwrap();
    assert_eq!(names, ["Ada", "Brian", "Chloé"]);

    let pairs: Vec<(i32, Option<String>)> = users::table
        .select((users::id, users::email))
        .order(users::id)
        .load(&mut db)
        .unwrap();
    assert_eq!(pairs[0], (1, Some("ada@example.com".to_owned())));
    assert_eq!(pairs[1], (2, None));

    let doubled: Vec<i32> = posts::table
        .select(posts::views * 2 + 1)
        .order(posts::id)
        .load(&mut db)
        .unwrap();
    assert_eq!(doubled, [241, 7, 81, 15]);

    let labels: Vec<String> = users::table
        .select(users::name.concat(" <").concat(users::name).concat(">"))
        .filter(users::id.eq(1))
        .load(&mut db)
        .unwrap();
    assert_eq!(labels, ["Ada <Ada>"]);
}

#[test]
fn selectable_struct_reads_columns_by_field_name() {
    let mut db = seeded();
    let posts: Vec<PostTitle> = posts::table
        .select(PostTitle::as_select())
        .filter(posts::published.eq(true))
        .order(posts::id.desc())
        .load(&mut db)
        .unwrap();
    let ids: Vec<i32> = posts.iter().map(|p| p.id).collect();
    assert_eq!(ids, [4, 3, 1]);
    assert!(posts.iter().all(|p| p.published));
}

#[test]
fn chained_filters_are_joined_with_and() {
    let mut db = seeded();
    let ids: Vec<i32> = posts::table
        .select(posts::id)
        .filter(posts::author_id.eq(1))
        .filter(posts::published.eq(true))
        .load(&mut db)
        .unwrap();
    assert_eq!(ids, [1]);
}

#[test]
fn comparisons_between_like_and_null_tests() {
    let mut db = seeded();
    let ids = |v: Vec<i32>| v;
    assert_eq!(
        ids(users::table
            .select(users::id)
            .filter(users::score.gt(60))
            .order(users::id)
            .load(&mut db)
            .unwrap()),
        [1, 3]
    );
    assert_eq!(
        ids(users::table
            .select(users::id)
            .filter(users::score.ge(75))
            .order(users::id)
            .load(&mut db)
            .unwrap()),
        [1, 3]
    );
    assert_eq!(
        ids(users::table
            .select(users::id)
            .filter(users::score.lt(75))
            .load(&mut db)
            .unwrap()),
        [2]
    );
    assert_eq!(
        ids(users::table
            .select(users::id)
            .filter(users::score.le(75))
            .order(users::id)
            .load(&mut db)
            .unwrap()),
        [2, 3]
    );
    assert_eq!(
        ids(users::table
            .select(users::id)
            .filter(users::id.ne(2))
            .order(users::id)
            .load(&mut db)
            .unwrap()),
        [1, 3]
    );
    assert_eq!(
        ids(posts::table
            .select(posts::id)
            .filter(posts::views.between(5, 50))
            .order(posts::id)
            .load(&mut db)
            .unwrap()),
        [3, 4]
    );
    assert_eq!(
        ids(posts::table
            .select(posts::id)
            .filter(posts::title.like("%world%"))
            .load(&mut db)
            .unwrap()),
        [3]
    );
    assert_eq!(
        ids(posts::table
            .select(posts::id)
            .filter(posts::title.not_like("%o%"))
            .load(&mut db)
            .unwrap()),
        Vec::<i32>::new()
    );
    assert_eq!(
        ids(users::table
            .select(users::id)
            .filter(users::email.is_null())
            .load(&mut db)
            .unwrap()),
        [2]
    );
    assert_eq!(
        ids(users::table
            .select(users::id)
            .filter(users::email.is_not_null())
            .order(users::id)
            .load(&mut db)
            .unwrap()),
        [1, 3]
    );
    // A nullable column compares with a plain value.
    assert_eq!(
        ids(users::table
            .select(users::id)
            .filter(users::age.gt(30))
            .load(&mut db)
            .unwrap()),
        [1]
    );
    // Two columns of the same type.
    assert_eq!(
        ids(posts::table
            .select(posts::id)
            .filter(posts::views.gt(posts::id))
            .order(posts::id)
            .load(&mut db)
            .unwrap()),
        [1, 2, 3, 4]
    );
}

#[test]
fn and_or_not_group_correctly() {
    let mut db = seeded();
    // (author 1 AND published) OR views < 10
    let ids: Vec<i32> = posts::table
        .select(posts::id)
        .filter(
            posts::author_id
                .eq(1)
                .and(posts::published.eq(true))
                .or(posts::views.lt(10)),
        )
        .order(posts::id)
        .load(&mut db)
        .unwrap();
    assert_eq!(ids, [1, 2, 4]);

    // author 1 AND (published OR views < 10)
    let ids: Vec<i32> = posts::table
        .select(posts::id)
        .filter(
            posts::author_id
                .eq(1)
                .and(posts::published.eq(true).or(posts::views.lt(10))),
        )
        .order(posts::id)
        .load(&mut db)
        .unwrap();
    assert_eq!(ids, [1, 2]);

    let ids: Vec<i32> = posts::table
        .select(posts::id)
        .filter(not(posts::published))
        .load(&mut db)
        .unwrap();
    assert_eq!(ids, [2]);
}

#[test]
fn eq_any_takes_lists_of_any_length_including_empty() {
    let mut db = seeded();
    let ids: Vec<i32> = users::table
        .select(users::id)
        .filter(users::name.eq_any(["Ada", "Chloé", "O'Brien \"x\""]))
        .order(users::id)
        .load(&mut db)
        .unwrap();
    assert_eq!(ids, [1, 3]);

    let none: Vec<i32> = users::table
        .select(users::id)
        .filter(users::id.eq_any(Vec::<i32>::new()))
        .load(&mut db)
        .unwrap();
    assert!(none.is_empty());

    let many: Vec<i32> = (0..10_000).collect();
    let count: i64 = users::table
        .filter(users::id.eq_any(many))
        .count()
        .get_result(&mut db)
        .unwrap();
    assert_eq!(count, 3);

    let rest: Vec<i32> = users::table
        .select(users::id)
        .filter(users::id.ne_all([1, 2]))
        .load(&mut db)
        .unwrap();
    assert_eq!(rest, [3]);
}

#[test]
fn order_by_several_keys_limit_offset_distinct() {
    let mut db = seeded();
    let rows: Vec<(i32, i32)> = posts::table
        .select((posts::author_id, posts::id))
        .order((posts::author_id.desc(), posts::id.asc()))
        .load(&mut db)
        .unwrap();
    assert_eq!(rows, [(3, 4), (2, 3), (1, 1), (1, 2)]);

    let rows: Vec<i32> = posts::table
        .select(posts::id)
        .order(posts::author_id)
        .then_order_by(posts::id.desc())
        .limit(2)
        .offset(1)
        .load(&mut db)
        .unwrap();
    assert_eq!(rows, [1, 3]);

    let skipped: Vec<i32> = posts::table
        .select(posts::id)
        .order(posts::id)
        .offset(3)
        .load(&mut db)
        .unwrap();
    assert_eq!(skipped, [4]);

    let authors: Vec<i32> = posts::table
        .select(posts::author_id)
        .distinct()
        .order(posts::author_id)
        .load(&mut db)
        .unwrap();
    assert_eq!(authors, [1, 2, 3]);
}

#[test]
fn count_find_first_exists_and_optional() {
    let mut db = seeded();
    let n: i64 = posts::table
        .filter(posts::published.eq(true))
        .count()
        .get_result(&mut db)
        .unwrap();
    assert_eq!(n, 3);

    let ada: UserRow = users::table.find(1).get_result(&mut db).unwrap();
    assert_eq!(ada.name, "Ada");

    let missing: Option<UserRow> = users::table
        .find(99)
        .get_result(&mut db)
        .optional()
        .unwrap();
    assert!(missing.is_none());
    let err = users::table
        .find(99)
        .get_result::<UserRow>(&mut db)
        .unwrap_err();
    assert!(matches!(err, quarry::Error::NotFound), "{err:?}");

    let tag: (i32, String) = tags::table.find((1, "math")).get_result(&mut db).unwrap();
    assert_eq!(tag, (1, "math".to_owned()));

    let first: String = users::table
        .select(users::name)
        .order(users::name.desc())
        .first(&mut db)
        .unwrap();
    assert_eq!(first, "Chloé");

    let yes: bool = select(exists(posts::table.filter(posts::views.gt(100))))
        .get_result(&mut db)
        .unwrap();
    let no: bool = select(exists(posts::table.filter(posts::views.gt(1000))))
        .get_result(&mut db)
        .unwrap();
    assert!(yes && !no);
}

#[test]
fn a_value_the_schema_did_not_promise_is_a_decode_error_naming_the_column() {
    let mut db = seeded();
    db.execute("UPDATE users SET score = 'lots' WHERE id = 2", &[])
        .unwrap();
    let err = users::table
        .select((users::id, users::score))
        .order(users::id)
        .load::<(i32, i64)>(&mut db)
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
            assert_eq!(found, "TEXT (4 bytes)");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }

    // An integer too large for the Rust type is an error too, not a wrap.
    db.execute("UPDATE posts SET views = 5000000000 WHERE id = 1", &[])
        .unwrap();
    let err = posts::table
        .select(posts::views)
        .load::<i32>(&mut db)
        .unwrap_err();
    assert!(matches!(err, quarry::Error::Decode { .. }), "{err:?}");
    assert!(err.to_string().contains("views"), "{err}");
}

#[test]
fn binary_and_null_values_round_trip() {
    let mut db = seeded();
    db.execute(
        "UPDATE posts SET body = ? WHERE id = 1",
        &[Value::Blob(&[0, 159, 146, 150, 255])],
    )
    .unwrap();
    let bodies: Vec<Option<Vec<u8>>> = posts::table
        .select(posts::body)
        .order(posts::id)
        .load(&mut db)
        .unwrap();
    assert_eq!(bodies[0].as_deref(), Some(&[0u8, 159, 146, 150, 255][..]));
    assert_eq!(bodies[1], None);
}
