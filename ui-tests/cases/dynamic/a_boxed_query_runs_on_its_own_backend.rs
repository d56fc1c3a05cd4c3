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

async fn run(conn: &quarry::pg::Connection) {
    let q = users::table.select(users::name).into_boxed::<Sqlite>();
    let _: Vec<String> = q.load_async(conn).await.unwrap();
}

fn main() {}
