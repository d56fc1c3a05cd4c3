use quarry::dsl::scalar;
use quarry::prelude::*;

quarry::table! {
    users (id) {
        id -> Integer,
        name -> Text,
    }
    posts (id) {
        id -> Integer,
        author_id -> Integer references users(id),
        views -> Integer,
    }
}

fn main() {
    let top = posts::table.select((posts::author_id, posts::views));
    let _ = users::table.select((users::name, scalar(top)));
}
