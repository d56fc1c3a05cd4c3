use quarry::mysql::RunQueryAsync;
use quarry::prelude::*;

quarry::table! {
    articles (id) {
        id -> Integer,
        tags -> Array<Text>,
    }
}

async fn tags(db: &quarry::mysql::Connection) -> Result<Vec<Vec<String>>, quarry::Error> {
    articles::table.select(articles::tags).load_async(db).await
}

fn main() {
    let _ = tags;
}
