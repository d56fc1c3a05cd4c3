use quarry::prelude::*;

quarry::table! {
    users (id) {
        id -> Integer,
        name -> String,
        email -> Text,
    }
}

fn main() {
    let mut db = quarry::sqlite::Connection::open_in_memory().unwrap();
    let _: Vec<(i32, String)> = users::table.select((users::id, users::email)).load(&mut db).unwrap();
}
