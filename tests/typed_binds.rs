//! Every bind carries its SQL type to PostgreSQL, so no placeholder's type
//! is left for the server to guess from its context.
//!
//! Each body runs on SQLite and PostgreSQL. Before typed binds, the
//! PostgreSQL side of most of these failed at run time: a bind inside
//! `CASE`, `COALESCE`, an aggregate or a select list was inferred as
//! `text` (`function sum(text) does not exist`), a bind compared with a
//! bind had no type at all (`could not determine data type of parameter
//! $1`), and an empty list had no element type.

mod common;

use common::{both_backends, posts, users};
use quarry::expression::{Bound, case_when, coalesce, count_star, max, sum};
use quarry::prelude::*;
use quarry::sql_types::{BigInt, Double, Integer, Nullable, SmallInt, Text};
use quarry::{ParamType, StaticSql, const_sql};

/// The parameter types a statement declares on PostgreSQL.
fn pg_types<Q: AsQuery>(query: Q) -> &'static [ParamType]
where
    Q::Query: StaticSql<Pg>,
{
    let _ = query;
    <Q::Query as StaticSql<Pg>>::PARAM_TYPES
}

both_backends! {
    /// The issue's first query: `SUM(CASE WHEN .. THEN $n ELSE $m END)`.
    async fn sum_of_a_case_of_bound_integers(db) {
        db.seed_blog().await?;
        let published = sum(case_when(posts::published, Bound::<Integer, _>::new(1)).otherwise(0));
        let rows: Vec<(i32, Option<i64>)> = db
            .load(
                posts::table
                    .group_by(posts::author_id)
                    .select((posts::author_id, published))
                    .order(posts::author_id),
            )
            .await?;
        assert_eq!(rows, [(1, Some(1)), (2, Some(1)), (3, Some(1))]);
        Ok(())
    }

    /// A bind compared with a bind: nothing in the SQL tells its type.
    async fn bind_compared_with_bind(db) {
        db.seed_blog().await?;
        let ids: Vec<i32> = db
            .load(
                users::table
                    .filter(Bound::<BigInt, _>::new(7_i64).gt(Bound::<BigInt, _>::new(3_i64)))
                    .select(users::id)
                    .order(users::id),
            )
            .await?;
        assert_eq!(ids, [1, 2, 3]);
        Ok(())
    }

    /// Binds in the select list come back as their own SQL types, NULL
    /// included.
    async fn binds_in_the_select_list(db) {
        db.seed_blog().await?;
        let rows: Vec<(i32, i64, f64, Option<i16>, String)> = db
            .load(
                users::table
                    .filter(users::id.eq(1))
                    .select((
                        users::id,
                        Bound::<BigInt, _>::new(i64::MAX),
                        Bound::<Double, _>::new(0.1_f64),
                        Bound::<Nullable<SmallInt>, _>::new(None::<i16>),
                        Bound::<Text, _>::new("x"),
                    )),
            )
            .await?;
        assert_eq!(rows, [(1, i64::MAX, 0.1, None, "x".to_owned())]);
        Ok(())
    }

    /// `COALESCE(col, $1)` and a `CASE` whose branches are all binds, one
    /// of them NULL.
    async fn coalesce_and_case_of_binds(db) {
        db.seed_blog().await?;
        let rows: Vec<(i32, i16, Option<i64>)> = db
            .load(
                users::table
                    .select((
                        users::id,
                        coalesce(users::age, Bound::<SmallInt, _>::new(-1_i16)),
                        case_when(users::id.eq(2), Bound::<Nullable<BigInt>, _>::new(None::<i64>))
                            .otherwise(5_i64),
                    ))
                    .order(users::id),
            )
            .await?;
        assert_eq!(rows, [(1, 36, Some(5)), (2, -1, None), (3, 29, Some(5))]);
        Ok(())
    }

    /// An aggregate compared with a bind in HAVING, and a bind in
    /// arithmetic with an aggregate.
    async fn aggregate_against_bind(db) {
        db.seed_blog().await?;
        let rows: Vec<(i32, Option<i32>)> = db
            .load(
                posts::table
                    .group_by(posts::author_id)
                    .having(count_star().gt(Bound::<BigInt, _>::new(1_i64)))
                    .select((posts::author_id, max(posts::views)))
                    .order(posts::author_id),
            )
            .await?;
        assert_eq!(rows, [(1, Some(120))]);
        Ok(())
    }

    /// An empty list still has its element type: `= ANY($1::int4[])`.
    async fn empty_and_null_lists(db) {
        db.seed_blog().await?;
        let none: Vec<i32> = db
            .load(users::table.filter(users::id.eq_any(Vec::<i32>::new())).select(users::id))
            .await?;
        assert!(none.is_empty());
        let all: Vec<i32> = db
            .load(
                users::table
                    .filter(users::id.ne_all(Vec::<i32>::new()))
                    .select(users::id)
                    .order(users::id),
            )
            .await?;
        assert_eq!(all, [1, 2, 3]);
        Ok(())
    }

    /// A dynamic (boxed) query declares the types of its parts' binds too.
    #[cfg(feature = "postgres")]
    async fn boxed_query_with_binds_in_a_case(db) {
        db.seed_blog().await?;
        let score = sum(case_when(posts::views.gt(10), Bound::<Integer, _>::new(2)).otherwise(1));
        let mut query = posts::table
            .group_by(posts::author_id)
            .select((posts::author_id, score))
            .into_boxed::<Pg>();
        query = query.filter(posts::id.gt(0));
        if let Some(conn) = db.pg() {
            let rows: Vec<(i32, Option<i64>)> = query.load_async(conn).await?;
            let mut rows = rows;
            rows.sort();
            assert_eq!(rows, [(1, Some(3)), (2, Some(2)), (3, Some(1))]);
        }
        Ok(())
    }
}

#[test]
fn statements_declare_their_parameter_types() {
    let query = posts::table
        .filter(posts::views.gt(3))
        .filter(posts::title.eq("x"))
        .select(sum(case_when(
            posts::published,
            Bound::<Integer, _>::new(1),
        )
        .otherwise(0)))
        .limit(2);
    assert_eq!(
        pg_types(query),
        [
            ParamType::Int,
            ParamType::Int,
            ParamType::Int,
            ParamType::Text,
            ParamType::BigInt
        ]
    );
    assert_eq!(
        pg_types(users::table.filter(users::id.eq_any(vec![1, 2]))),
        [ParamType::Array(&ParamType::Int)]
    );
    // The text is the same as before: the types travel beside it.
    assert_eq!(
        const_sql!(
            Pg,
            users::table
                .filter(users::id.eq_any(vec![1, 2]))
                .select(users::id)
        ),
        r#"SELECT "users"."id" FROM "users" WHERE "users"."id" = ANY($1)"#
    );
    assert_eq!(
        const_sql!(
            Sqlite,
            users::table
                .filter(users::id.eq_any(vec![1, 2]))
                .select(users::id)
        ),
        r#"SELECT "users"."id" FROM "users" WHERE "users"."id" IN (SELECT value FROM json_each(?))"#
    );
}
