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
    }
}

fn main() {
    let inner = posts::table.correlated_with(users::table).filter(posts::author_id.eq(users::id));
    let _ = posts::table.filter(exists(inner));
}
