use quarry::prelude::*;

quarry::table! {
    users (id) {
        id -> Integer,
        name -> Text,
        name -> Text,
    }
}

fn main() {
    let mut db = quarry::sqlite::Connection::open_in_memory().unwrap();
    let _: Vec<String> = users::table.select(users::name).filter(users::id.eq(1)).load(&mut db).unwrap();
}
