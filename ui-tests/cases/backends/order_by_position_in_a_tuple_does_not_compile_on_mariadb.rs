use quarry::mysql::RunQueryAsync;
use quarry::prelude::*;

use quarry::query::selected;

quarry::table! {
    posts (id) {
        id -> Integer,
        views -> Nullable<Integer>,
    }
}

async fn top(db: &quarry::mysql::Connection) -> Result<Vec<(i32, Option<i32>)>, quarry::Error> {
    posts::table
        .select((posts::id, posts::views))
        .order((posts::id, selected::<1>().desc()))
        .load_async(db)
        .await
}

fn main() {
    let _ = top;
}
