use quarry::mysql::RunQueryAsync;
use quarry::prelude::*;

quarry::table! {
    users (id) {
        id -> Integer,
        name -> Text,
    }
}

async fn ids(db: &quarry::mysql::Connection) -> Result<Vec<i32>, quarry::Error> {
    users::table
        .select(users::id)
        .filter(users::name.ilike("ada%"))
        .load_async(db)
        .await
}

fn main() {
    let _ = ids;
}
