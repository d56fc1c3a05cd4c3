use quarry::prelude::*;

quarry::table! {
    users (id) {
        id -> Integer,
        name -> Text,
    }
    tags (id) {
        id -> Integer,
        label -> Text,
    }
}

#[derive(Queryable, Related)]
#[quarry(table = users)]
struct User {
    id: i32,
    name: String,
}

#[derive(Queryable, Related)]
#[quarry(table = tags)]
struct Tag {
    id: i32,
    label: String,
}

fn main() {
    let users: Vec<User> = Vec::new();
    let _ = Tag::belonging_to(&users);
}
