//! Dynamic queries: built at run time, still checked, cached by shape.

mod common;

use std::borrow::Cow;

use common::{both_backends, load_boxed, posts, users};
use quarry::expression::count_star;
use quarry::prelude::*;
use quarry::query::{BoxedBool, BoxedOrder, BoxedSelect};
use quarry::{Backend, Pg, Sqlite, Value};

/// A search form: every field optional.
#[derive(Default)]
struct Search {
    min_views: Option<i32>,
    title_like: Option<&'static str>,
    authors: Vec<i32>,
}

/// A sort column chosen by the user, mapped to typed columns.
#[derive(Clone, Copy)]
enum SortBy {
    Views,
    Title,
}

fn sort<'a, DB: Backend>(by: SortBy) -> BoxedOrder<'a, posts::table, DB> {
    match by {
        SortBy::Views => BoxedOrder::new(posts::views.desc()),
        SortBy::Title => BoxedOrder::new(posts::title.asc()),
    }
}

fn search<'a, DB: Backend>(
    form: &'a Search,
    by: SortBy,
) -> BoxedSelect<'a, DB, posts::table, quarry::sql_types::Integer>
where
    posts::table: quarry::query::QueryDsl,
{
    let mut q = posts::table.select(posts::id).into_boxed::<DB>();
    if let Some(min) = form.min_views {
        q = q.filter(posts::views.ge(min));
    }
    if let Some(pattern) = form.title_like {
        q = q.filter(posts::title.like(pattern));
    }
    if !form.authors.is_empty() {
        q = q.filter(posts::author_id.eq_any(form.authors.iter().copied()));
    }
    q.order_by_boxed(sort(by)).then_order_by(posts::id)
}

async fn run_search(
    db: &mut common::Db,
    form: &Search,
    by: SortBy,
) -> Result<Vec<i32>, quarry::Error> {
    load_boxed!(db, DB => search::<DB>(form, by))
}

/// Users by email, a nullable column, chosen at run time.
fn by_email<'a, DB: Backend>(desc: bool) -> BoxedOrder<'a, users::table, DB> {
    if desc {
        BoxedOrder::new(users::email.desc())
    } else {
        BoxedOrder::new(users::email.asc())
    }
}

/// Post ids in order, boxed for `DB`, to add conditions to.
fn ordered_ids<'a, DB: Backend>() -> BoxedSelect<'a, DB, posts::table, quarry::sql_types::Integer>
where
    posts::table: quarry::query::QueryDsl,
{
    posts::table
        .select(posts::id)
        .into_boxed::<DB>()
        .order(posts::id)
}

/// `((a OR b) AND NOT (c AND d)) OR e`, folded at run time from boxed
/// pieces; with wrong grouping it keeps other rows.
fn nested<'a, DB: Backend>() -> BoxedSelect<'a, DB, posts::table, quarry::sql_types::Integer>
where
    posts::table: quarry::query::QueryDsl,
{
    let either = BoxedBool::false_()
        .or(posts::views.gt(100))
        .or(posts::author_id.eq(3));
    let both = BoxedBool::true_()
        .and(posts::published.eq(true))
        .and(posts::views.lt(50));
    let condition = either.and(!both).or(posts::views.eq(3));
    posts::table
        .select(posts::id)
        .into_boxed::<DB>()
        .filter(condition)
        .order(posts::id)
}

/// Conditions and order terms with and without binds, mixed: each bind
/// must meet its placeholder.
fn mixed_binds<'a, DB: Backend>(
    author: i32,
) -> BoxedSelect<'a, DB, posts::table, quarry::sql_types::Integer>
where
    posts::table: quarry::query::QueryDsl,
{
    posts::table
        .select(posts::id)
        .into_boxed::<DB>()
        .filter(posts::views.gt(5))
        .filter(posts::body.is_null())
        .or_filter(posts::author_id.eq(author))
        .order((posts::views * 2).desc())
        .then_order_by(posts::id)
}

both_backends! {
    async fn nested_boxed_conditions_keep_their_grouping(db) {
        db.seed_blog().await?;
        let statically = posts::table
            .filter(
                posts::views.gt(100)
                    .or(posts::author_id.eq(3))
                    .and(quarry::expression::not(posts::published.eq(true).and(posts::views.lt(50))))
                    .or(posts::views.eq(3)),
            )
            .select(posts::id)
            .order(posts::id);
        let expected: Vec<i32> = db.load(statically).await?;
        let rows: Vec<i32> = load_boxed!(db, DB => nested::<DB>())?;
        assert_eq!(rows, expected);
        assert_eq!(rows, [1, 2]);
        Ok(())
    }

    async fn binds_meet_their_placeholders_when_some_parts_have_none(db) {
        db.seed_blog().await?;
        let rows: Vec<i32> = load_boxed!(db, DB => mixed_binds::<DB>(1))?;
        // views > 5 with no body: 1, 3, 4; or by author 1: 2; by views desc.
        assert_eq!(rows, [1, 3, 4, 2]);
        Ok(())
    }

    async fn constant_conditions_and_or_filter_on_an_empty_filter(db) {
        db.seed_blog().await?;
        let only_two: Vec<i32> = load_boxed!(db, DB => ordered_ids::<DB>().or_filter(posts::id.eq(2)))?;
        let all: Vec<i32> = load_boxed!(db, DB => ordered_ids::<DB>().filter(BoxedBool::true_()))?;
        let none: Vec<i32> = load_boxed!(db, DB => ordered_ids::<DB>().filter(!BoxedBool::true_()))?;
        assert_eq!(only_two, [2]);
        assert_eq!(all, [1, 2, 3, 4]);
        assert!(none.is_empty());
        Ok(())
    }

    async fn optional_filters_present_and_absent(db) {
        db.seed_blog().await?;
        assert_eq!(run_search(db, &Search::default(), SortBy::Views).await?, [1, 3, 4, 2]);
        let form = Search { min_views: Some(5), ..Search::default() };
        assert_eq!(run_search(db, &form, SortBy::Title).await?, [4, 3, 1]);
        let form = Search { min_views: Some(5), title_like: Some("%o%"), authors: vec![1, 2] };
        assert_eq!(run_search(db, &form, SortBy::Views).await?, [1, 3]);
        Ok(())
    }

    async fn or_folded_conditions_from_lists_of_0_1_and_50(db) {
        db.seed_blog().await?;
        for (n, expected) in [(0usize, vec![]), (1, vec![1]), (50, vec![1, 2, 3, 4])] {
            let ids: Vec<i32> = (1..=n as i32).collect();
            let rows: Vec<i32> = load_boxed!(db, DB => ordered_ids::<DB>().filter(
                ids.iter().fold(BoxedBool::<posts::table, DB>::false_(), |acc, id| acc.or(posts::id.eq(*id))),
            ))?;
            assert_eq!(rows, expected, "{n} conditions");
        }
        Ok(())
    }

    async fn a_grouped_boxed_query_with_having(db) {
        db.seed_blog().await?;
        let min_posts: i64 = 2;
        let rows: Vec<(i32, i64)> = load_boxed!(db, DB => posts::table
            .group_by(posts::author_id)
            .select((posts::author_id, count_star()))
            .into_boxed::<DB>()
            .having(count_star().ge(min_posts))
            .order(posts::author_id))?;
        assert_eq!(rows, [(1, 2)]);
        Ok(())
    }

    /// A term chosen at run time places NULLs as the same term in a
    /// static `order` does: last ascending, first descending.
    async fn a_boxed_order_term_places_nulls_as_a_static_one(db) {
        db.seed_blog().await?;
        for desc in [false, true] {
            let boxed: Vec<i32> = load_boxed!(db, DB => users::table
                .select(users::id)
                .into_boxed::<DB>()
                .order_by_boxed(by_email::<DB>(desc))
                .then_order_by(users::id))?;
            let statically: Vec<i32> = if desc {
                db.load(users::table.select(users::id).order((users::email.desc(), users::id))).await?
            } else {
                db.load(users::table.select(users::id).order((users::email.asc(), users::id))).await?
            };
            assert_eq!(boxed, statically, "desc: {desc}");
            // Brian has no email.
            assert_eq!(boxed, if desc { [2, 3, 1] } else { [1, 3, 2] }, "desc: {desc}");
        }
        Ok(())
    }

    async fn eq_any_with_0_1_and_10_000_values(db) {
        db.seed_blog().await?;
        for (n, expected) in [(0, 0usize), (1, 1), (10_000, 3)] {
            let ids: Vec<i32> = (1..=n).collect();
            let rows: Vec<i32> = load_boxed!(db, DB => users::table
                .select(users::id)
                .into_boxed::<DB>()
                .filter(users::id.eq_any(ids.iter().copied())))?;
            assert_eq!(rows.len(), expected, "{n} values");
        }
        Ok(())
    }
}

/// A text the process keeps (a shape within the budget).
fn kept(sql: Cow<'static, str>) -> &'static str {
    match sql {
        Cow::Borrowed(sql) => sql,
        Cow::Owned(sql) => panic!("a shape within the budget is kept: {sql}"),
    }
}

#[test]
fn a_repeated_shape_is_rendered_once_and_keeps_one_sql_text() {
    let form = Search {
        min_views: Some(1),
        title_like: Some("%"),
        authors: vec![1],
    };
    let first = kept(search::<Sqlite>(&form, SortBy::Views).sql().unwrap());
    for min in 0..100 {
        let form = Search {
            min_views: Some(min),
            title_like: Some("x%"),
            authors: vec![1, 2, 3],
        };
        let again = kept(search::<Sqlite>(&form, SortBy::Views).sql().unwrap());
        // The same text, by address: the prepared-statement cache key. A
        // second rendering would have kept a second text. (The process-wide
        // `rendered_shapes()` count is not compared: the other tests of
        // this binary render shapes at the same time.)
        assert!(std::ptr::eq(first, again));
    }
    assert_eq!(
        first,
        r#"SELECT "posts"."id" FROM "posts" WHERE ("posts"."views" >= ?) AND ("posts"."title" LIKE ? ESCAPE '\') AND ("posts"."author_id" IN (SELECT value FROM json_each(?))) ORDER BY "posts"."views" DESC NULLS FIRST, "posts"."id" NULLS LAST"#
    );
    let pg = search::<Pg>(&form, SortBy::Title).sql().unwrap();
    assert_eq!(
        pg,
        r#"SELECT "posts"."id" FROM "posts" WHERE ("posts"."views" >= $1) AND ("posts"."title" LIKE $2) AND ("posts"."author_id" = ANY($3)) ORDER BY "posts"."title" ASC, "posts"."id""#
    );
}

#[test]
fn nested_conditions_render_with_their_parentheses() {
    assert_eq!(
        nested::<Sqlite>().sql().unwrap(),
        r#"SELECT "posts"."id" FROM "posts" WHERE ((("posts"."views" > ?) OR ("posts"."author_id" = ?)) AND NOT (("posts"."is_published" = ?) AND ("posts"."views" < ?))) OR ("posts"."views" = ?) ORDER BY "posts"."id" NULLS LAST"#
    );
    let query = mixed_binds::<Pg>(7);
    let (sql, binds) = query.debug().unwrap();
    assert_eq!(
        sql,
        r#"SELECT "posts"."id" FROM "posts" WHERE (("posts"."views" > $1) AND ("posts"."body" IS NULL)) OR ("posts"."author_id" = $2) ORDER BY "posts"."views" * $3 DESC, "posts"."id""#
    );
    assert_eq!(binds, [Value::Int(5), Value::Int(7), Value::Int(2)]);
    #[cfg(feature = "mysql")]
    {
        // The terms cannot be NULL: no NULL ordering key, each bind once.
        let query = mixed_binds::<quarry::Mysql>(7);
        let (sql, binds) = query.debug().unwrap();
        assert_eq!(
            sql,
            "SELECT `posts`.`id` FROM `posts` WHERE ((`posts`.`views` > ?) AND (`posts`.`body` IS NULL)) OR (`posts`.`author_id` = ?) ORDER BY `posts`.`views` * ? DESC, `posts`.`id`"
        );
        assert_eq!(binds, [Value::Int(5), Value::Int(7), Value::Int(2)]);
        // A term that can be NULL gets MariaDB's key, which repeats the
        // term and its bind.
        let query = users::table
            .select(users::id)
            .into_boxed::<quarry::Mysql>()
            .order((users::age * 2_i16).desc());
        let (sql, binds) = query.debug().unwrap();
        assert_eq!(
            sql,
            "SELECT `users`.`id` FROM `users` ORDER BY (`users`.`age` * ?) IS NULL DESC, `users`.`age` * ? DESC"
        );
        assert_eq!(binds, [Value::SmallInt(2), Value::SmallInt(2)]);
        let form = Search {
            min_views: Some(1),
            title_like: Some("%"),
            authors: vec![1],
        };
        assert_eq!(
            search::<quarry::Mysql>(&form, SortBy::Views).sql().unwrap(),
            "SELECT `posts`.`id` FROM `posts` WHERE (`posts`.`views` >= ?) AND (`posts`.`title` LIKE ?) AND (`posts`.`author_id` IN (SELECT v FROM JSON_TABLE(?, '$[*]' COLUMNS (v BIGINT PATH '$')) AS quarry_list)) ORDER BY `posts`.`views` DESC, `posts`.`id`"
        );
    }
}

#[test]
fn a_shape_found_on_one_thread_is_the_same_text_on_another() {
    let here = kept(nested::<Pg>().sql().unwrap());
    let there = std::thread::spawn(|| kept(nested::<Pg>().sql().unwrap()))
        .join()
        .unwrap();
    assert!(std::ptr::eq(here, there));
    // A query built on one thread and run on another finds its text too.
    let built = nested::<Sqlite>();
    let moved = std::thread::spawn(move || built.sql().unwrap())
        .join()
        .unwrap();
    assert_eq!(moved, nested::<Sqlite>().sql().unwrap());
}
