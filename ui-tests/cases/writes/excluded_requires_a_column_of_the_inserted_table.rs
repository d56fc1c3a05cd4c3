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
    let _ = quarry::insert_into(users::table)
        .values(users::name.eq("Ada"))
        .on_conflict(users::id)
        .do_update()
        .set(users::name.eq(quarry::excluded(posts::title)));
}
