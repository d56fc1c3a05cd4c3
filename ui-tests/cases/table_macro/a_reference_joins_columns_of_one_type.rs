use quarry::prelude::*;

quarry::table! {
    users (id) {
        id -> Integer,
        name -> Text,
    }
    posts (id) {
        id -> Integer,
        author_id -> Integer references users(name),
    }
}

fn main() {
    let _ = posts::table.inner_join(users::table);
}
