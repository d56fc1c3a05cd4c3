quarry::table! {
    users (id) {
        id -> Integer,
        name -> String,
    }
}

fn main() {}
