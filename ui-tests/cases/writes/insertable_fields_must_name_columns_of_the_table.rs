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

#[derive(Insertable)]
#[quarry(table = users)]
struct NewUser {
    name: String,
    nickname: String,
}

fn main() {}
