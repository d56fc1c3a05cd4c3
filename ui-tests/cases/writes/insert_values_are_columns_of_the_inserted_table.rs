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
    let _ = quarry::insert_into(users::table).values((users::id.eq(1), posts::title.eq("Hello")));
}
