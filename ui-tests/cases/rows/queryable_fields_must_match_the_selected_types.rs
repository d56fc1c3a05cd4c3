use quarry::prelude::*;

quarry::table! {
    users (id) {
        id -> Integer,
        name -> Text,
        email -> Nullable<Text>,
    }
    posts (id) {
        id -> Integer,
        author_id -> Integer references users(id),
        title -> Text,
    }
}

#[derive(Queryable)]
struct Post {
    id: i32,
    title: i64,
}

fn main() {
    let mut db = quarry::sqlite::Connection::open_in_memory().unwrap();
    let _: Vec<Post> = posts::table.select((posts::id, posts::title)).load(&mut db).unwrap();
}
