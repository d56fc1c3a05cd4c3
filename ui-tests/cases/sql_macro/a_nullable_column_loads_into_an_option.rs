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
        views -> Integer,
    }
}

fn main() {
    let mut db = quarry::sqlite::Connection::open_in_memory().unwrap();
    let _: Vec<String> = quarry::sql!("SELECT email FROM users").load(&mut db).unwrap();
}
