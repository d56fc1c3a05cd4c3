use quarry::prelude::*;

quarry::table! {
    customers (id) {
        id -> Integer,
        name -> Text,
        city -> Text,
    }
}

fn main() {
    // `name` is not the key: grouping by it says nothing of `city`.
    let _ = customers::table
        .group_by(customers::name)
        .select(customers::city);
}
