quarry::table! {
    users (id) {
        id -> Integer,
        name Text,
    }
}

fn main() {}
