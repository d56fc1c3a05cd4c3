use quarry::mysql::RunQueryAsync;
use quarry::prelude::*;

quarry::table! {
    jobs (id) {
        id -> Integer,
        done -> Bool,
    }
}

async fn next(db: &quarry::mysql::Connection) -> Result<Vec<i32>, quarry::Error> {
    jobs::table
        .select(jobs::id)
        .filter(jobs::done.eq(false))
        .limit(1)
        .for_update()
        .load_async(db)
        .await
}

fn main() {
    let _ = next;
}
