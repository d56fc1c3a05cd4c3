quarry::table! {
    users (id) {
        id -> Integer,
        name -> Text,
        email -> Nullable<Text>,
    }
    posts (id) {
        id -> Integer,
        author_id -> Integer references users(id),
        title -> Text,
        views -> Integer,
    }
}

fn main() {
    let _ = quarry::sql!("SELECT users.name FROM users JOIN users ON users.id = users.id");
}
