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
    let _ = quarry::update(users::table).filter(posts::id.eq(1)).set(users::name.eq("Ada"));
}
