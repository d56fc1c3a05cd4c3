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
    let _ = quarry::sql!(
        "SELECT u.name FROM users u WHERE EXISTS (SELECT o.id FROM users o WHERE o.id > u.id)"
    );
}
