use quarry::expression::count_star;
use quarry::prelude::*;
use quarry::query::with;

quarry::table! {
    users (id) {
        id -> Integer,
        name -> Text,
    }
    posts (id) {
        id -> Integer,
        author_id -> Integer references users(id),
    }
    author_stats (author_id) {
        author_id -> Integer,
        post_count -> BigInt,
    }
}

fn main() {
    let _ = with(
        author_stats::table,
        posts::table.group_by(posts::author_id).select((posts::author_id, count_star())),
    )
    .query(users::table.select((users::name, author_stats::post_count)));
}
