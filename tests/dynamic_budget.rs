//! Past the budget of kept dynamic SQL text, a new shape is rendered for
//! each run and still runs. In a test binary of its own: the budget is the
//! process's, and every test here runs with none.

mod common;

use std::borrow::Cow;

use common::{posts, skip_mysql};
#[cfg(feature = "postgres")]
use quarry::Pg;
use quarry::prelude::*;
use quarry::query::{BoxedBool, BoxedSelect, rendered_shapes, set_dynamic_sql_budget};
use quarry::{Backend, Sqlite};

/// Posts by any of `ids`, an OR of one condition per id: a shape per
/// length, the kind of shape a request can multiply.
fn any_of<'a, DB: Backend>(
    ids: &[i32],
) -> BoxedSelect<'a, DB, posts::table, quarry::sql_types::Integer>
where
    posts::table: quarry::query::QueryDsl,
{
    let condition = ids
        .iter()
        .fold(BoxedBool::false_(), |acc, id| acc.or(posts::id.eq(*id)));
    posts::table
        .select(posts::id)
        .into_boxed::<DB>()
        .filter(condition)
        .order(posts::id)
}

skip_mysql! {
    reason = "boxed queries run on MariaDB through quarry::mysql::BoxedMysql; this body calls the PostgreSQL runner";
    async fn a_shape_past_the_budget_is_rendered_for_each_run_and_runs(db) {
        set_dynamic_sql_budget(0);
        db.seed_blog().await?;
        let kept_before = rendered_shapes();
        for _ in 0..2 {
            let rows: Vec<i32> = match db {
                common::Db::Sqlite(conn) => {
                    let query = any_of::<Sqlite>(&[2, 4, 9]);
                    assert!(matches!(query.sql()?, Cow::Owned(_)), "nothing is kept");
                    query.load(conn)?
                }
                #[cfg(feature = "mysql")]
                common::Db::Mysql(_) => {
                    return Err(quarry::Error::Config(
                        "not run on MariaDB: boxed queries and eager loading have no MariaDB runner yet".into(),
                    ))
                }
                #[cfg(feature = "postgres")]
                common::Db::Pg(conn) => {
                    let query = any_of::<Pg>(&[2, 4, 9]);
                    assert!(matches!(query.sql()?, Cow::Owned(_)), "nothing is kept");
                    query.load_async(conn).await?
                }
            };
            assert_eq!(rows, [2, 4]);
        }
        let first: Option<i32> = match db {
            common::Db::Sqlite(conn) => any_of::<Sqlite>(&[3]).get_result(conn).optional()?,
            #[cfg(feature = "mysql")]
            common::Db::Mysql(_) => {
                return Err(quarry::Error::Config(
                    "not run on MariaDB: boxed queries and eager loading have no MariaDB runner yet".into(),
                ))
            }
            #[cfg(feature = "postgres")]
            common::Db::Pg(conn) => any_of::<Pg>(&[3]).get_result_async(conn).await.optional()?,
        };
        assert_eq!(first, Some(3));
        assert_eq!(rendered_shapes(), kept_before);
        Ok(())
    }
}
