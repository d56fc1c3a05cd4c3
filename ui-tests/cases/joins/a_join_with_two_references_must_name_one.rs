use quarry::prelude::*;

quarry::table! {
    users (id) {
        id -> Integer,
        name -> Text,
    }
    posts (id) {
        id -> Integer,
        author_id -> Integer references users(id),
        editor_id -> Nullable<Integer> references users(id),
        title -> Text,
    }
    comments (id) {
        id -> Integer,
        post_id -> Integer references posts(id),
        body -> Text,
    }
    tags (id) {
        id -> Integer,
        label -> Text,
    }
}

fn main() {
    let _ = posts::table.inner_join(users::table);
}
