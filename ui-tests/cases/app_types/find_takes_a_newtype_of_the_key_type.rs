use quarry::prelude::*;

#[derive(SqlNewtype)]
struct Email(String);

quarry::table! { users (id) { id -> Integer, email -> Text, } }

fn main() {
    let _ = users::table.find(Email("a@b".into()));
}
