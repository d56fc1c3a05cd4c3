use quarry::prelude::*;

quarry::table! { people (id) { id -> Integer, first -> Text, } }

quarry::computed! {
    pub fn initial(people) -> quarry::sql_types::Integer {
        people::first.concat(".")
    }
}

fn main() {
    let _ = initial();
}
