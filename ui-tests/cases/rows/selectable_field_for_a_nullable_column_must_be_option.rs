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

#[derive(Selectable)]
#[quarry(table = users)]
struct User {
    id: i32,
    email: String,
}

fn main() {}
