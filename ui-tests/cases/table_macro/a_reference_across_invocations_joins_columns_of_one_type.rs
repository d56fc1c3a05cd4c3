use quarry::prelude::*;

quarry::table! {
    users (id) {
        id -> Integer,
        name -> Text,
    }
}

quarry::table! {
    posts (id) {
        id -> Integer,
        author_id -> Nullable<Integer> references users(name),
    }
}

fn main() {
    let _ = posts::table.inner_join(users::table);
}
