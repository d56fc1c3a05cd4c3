use quarry::prelude::*;

quarry::table! {
    users (id) {
        id -> Integer,
        favorite_post_id -> Nullable<Integer> references posts(id),
    }
    posts (id) {
        id -> Integer,
        author_id -> Integer references users(id),
    }
}

fn main() {
    let _ = posts::table.inner_join(users::table);
}
