use quarry::prelude::*;

quarry::table! {
    users (id) {
        id -> Integer,
        name -> Text,
    }
}

async fn names(db: &quarry::sqlite::Connection) -> Vec<String> {
    users::table.select(users::name).load_async(db).await.unwrap()
}

fn main() {
    let _ = names;
}
