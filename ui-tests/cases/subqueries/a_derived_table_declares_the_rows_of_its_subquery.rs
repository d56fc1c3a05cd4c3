use quarry::prelude::*;
use quarry::query::derived;

quarry::table! {
    posts (id) {
        id -> Integer,
        author_id -> Integer,
        title -> Text,
    }
    author_stats (author_id) {
        author_id -> Integer,
        post_count -> BigInt,
    }
}

fn main() {
    // The subquery returns a title where the table declares a count.
    let _ = derived(
        author_stats::table,
        posts::table.select((posts::author_id, posts::title)),
    );
}
