use quarry::prelude::*;

quarry::table! {
    events {
        name -> Text,
    }
}

fn main() {
    let _ = events::table.find("x");
}
