quarry::table! {
    users (id) {
        id -> Integer,
    }
    posts (id) {
        id -> Integer,
        author_id -> Integer references users(uid),
    }
}

fn main() {}
