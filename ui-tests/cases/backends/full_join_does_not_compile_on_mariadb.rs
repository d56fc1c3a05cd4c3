use quarry::mysql::RunQueryAsync;
use quarry::prelude::*;

quarry::table! {
    users (id) {
        id -> Integer,
        name -> Text,
    }
    posts (id) {
        id -> Integer,
        author_id -> Integer references users(id),
    }
}

async fn pairs(db: &quarry::mysql::Connection) -> Result<Vec<(Option<String>, Option<i32>)>, quarry::Error> {
    users::table
        .full_join(posts::table)
        .select((users::name, posts::id))
        .load_async(db)
        .await
}

fn main() {
    let _ = pairs;
}
