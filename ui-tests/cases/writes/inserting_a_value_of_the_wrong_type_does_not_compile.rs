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
    age: String,
}

fn main() {
    let row = NewUser { name: "Ada".into(), age: "36".into() };
    let _ = quarry::insert_into(users::table).values(&row);
}
