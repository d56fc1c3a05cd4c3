use quarry::expression::{OverDsl, row_number, window};
use quarry::prelude::*;

quarry::table! {
    posts (id) {
        id -> Integer,
        author_id -> Integer,
        views -> Integer,
    }
}

fn main() {
    let _ = posts::table.filter(
        row_number()
            .over(window().partition_by(posts::author_id).order_by(posts::views))
            .eq(1_i64),
    );
}
