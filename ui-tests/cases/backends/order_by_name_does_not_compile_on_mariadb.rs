use quarry::mysql::RunQueryAsync;
use quarry::prelude::*;

quarry::table! {
    posts (id) {
        id -> Integer,
        views -> Nullable<Integer>,
    }
}

async fn top(db: &quarry::mysql::Connection) -> Result<Vec<(i32, Option<i32>)>, quarry::Error> {
    let views = quarry::label!(views);
    posts::table
        .select((posts::id, posts::views.as_(views)))
        .order(views.desc())
        .load_async(db)
        .await
}

fn main() {
    let _ = top;
}
