use quarry::prelude::*;

quarry::table! {
    users (id) {
        id -> Integer,
        name -> Text,
        age -> Nullable<SmallInt>,
    }
    posts (id) {
        id -> Integer,
        title -> Text,
    }
}

fn main() {
    let _ = quarry::update(users::table)
        .filter(users::id.eq(1))
        .set((users::name.eq("Ada"), posts::title.eq("Hello")));
}
