use quarry::prelude::*;

quarry::table! {
    posts (id) {
        id -> Integer,
        title -> Text,
    }
    comments (id) {
        id -> Integer,
        post_id -> Integer references posts(id),
        body -> Text,
    }
}

fn main() {
    let _ = quarry::delete(posts::table).filter(comments::body.eq("spam"));
}
