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

fn main() {
    let mut db = quarry::sqlite::Connection::open_in_memory().unwrap();
    let _: Vec<String> = users::table.select(posts::title).load(&mut db).unwrap();
}
