use quarry::mysql::RunQueryAsync;
use quarry::prelude::*;

quarry::table! {
    posts (id) {
        id -> Integer,
        author_id -> Integer,
        title -> Text,
    }
}

async fn latest(db: &quarry::mysql::Connection) -> Result<Vec<(i32, String)>, quarry::Error> {
    posts::table
        .distinct_on(posts::author_id)
        .select((posts::author_id, posts::title))
        .order((posts::author_id, posts::id.desc()))
        .load_async(db)
        .await
}

fn main() {
    let _ = latest;
}
