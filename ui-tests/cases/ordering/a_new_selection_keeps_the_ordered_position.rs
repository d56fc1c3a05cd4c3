use quarry::prelude::*;
use quarry::query::selected;

quarry::table! {
    users (id) {
        id -> Integer,
        name -> Text,
    }
}

fn main() {
    let _ = users::table.select((users::id, users::name)).order(selected::<1>()).select(users::id);
}
