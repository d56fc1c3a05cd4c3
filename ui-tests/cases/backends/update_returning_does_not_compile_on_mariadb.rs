use quarry::mysql::RunQueryAsync;
use quarry::prelude::*;

quarry::table! {
    users (id) {
        id -> Integer,
        name -> Text,
    }
}

async fn rename(db: &quarry::mysql::Connection) -> Result<Vec<i32>, quarry::Error> {
    quarry::update(users::table.filter(users::id.eq(1)))
        .set(users::name.eq("Ada"))
        .returning(users::id)
        .load_async(db)
        .await
}

fn main() {
    let _ = rename;
}
