use quarry::expression::sum;
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
        views -> Integer,
    }
}

fn main() {
    let _ = posts::table.group_by(posts::author_id).filter(sum(posts::views).gt(10_i64));
}
