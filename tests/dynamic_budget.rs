//! Past the budget of kept dynamic SQL text, a new shape is rendered for
//! each run and still runs. In a test binary of its own: the budget is the
//! process's, and every test here runs with none.

mod common;

use std::borrow::Cow;

use common::{both_backends, load_boxed, posts};
use quarry::Backend;
use quarry::prelude::*;
use quarry::query::{BoxedBool, BoxedSelect, rendered_shapes, set_dynamic_sql_budget};

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

both_backends! {
    async fn a_shape_past_the_budget_is_rendered_for_each_run_and_runs(db) {
        set_dynamic_sql_budget(0);
        db.seed_blog().await?;
        let kept_before = rendered_shapes();
        for _ in 0..2 {
            let rows: Vec<i32> = load_boxed!(db, DB => {
                let query = any_of::<DB>(&[2, 4, 9]);
                assert!(matches!(query.sql()?, Cow::Owned(_)), "nothing is kept");
                query
            })?;
            assert_eq!(rows, [2, 4]);
        }
        let first: Option<i32> =
            load_boxed!(get_result: db, DB => any_of::<DB>(&[3])).optional()?;
        assert_eq!(first, Some(3));
        assert_eq!(rendered_shapes(), kept_before);
        Ok(())
    }
}
