use quarry::prelude::*;

quarry::table! {
    posts (id) {
        id -> Integer,
        author_id -> Integer,
    }
}

async fn authors(conn: &quarry::pg::Connection) -> Result<Vec<i32>, quarry::Error> {
    posts::table
        .select(posts::author_id)
        .distinct()
        .for_update()
        .load_async(conn)
        .await
}

fn main() {
    let _ = authors;
}
