use quarry::prelude::*;

quarry::table! {
    posts (id) {
        id -> Integer,
        title -> Text,
        views -> Integer,
    }
}

fn main() {
    let _ = posts::table.select(posts::title + 1);
}
