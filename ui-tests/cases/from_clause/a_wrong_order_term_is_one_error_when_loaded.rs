use quarry::pg::RunQueryAsync;
use quarry::prelude::*;

quarry::table! {
    users (id) {
        id -> Integer,
        name -> Text,
    }
    posts (id) {
        id -> Integer,
        author_id -> Integer references users(id),
        title -> Text,
    }
}

async fn names(pool: &quarry::pg::Pool) -> Result<Vec<String>, quarry::Error> {
    users::table
        .select(users::name)
        .order((users::id, posts::title.desc()))
        .load_async(pool)
        .await
}

fn main() {
    let _ = names;
}
