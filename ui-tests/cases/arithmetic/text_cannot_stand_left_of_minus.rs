use quarry::prelude::*;

quarry::table! {
    posts (id) {
        id -> Integer,
        views -> Integer,
    }
}

fn main() {
    let _ = posts::table.select("10" - posts::views);
}
