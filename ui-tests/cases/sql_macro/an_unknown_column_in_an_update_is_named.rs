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
    let _ = quarry::sql!("UPDATE posts SET veiws = veiws + 1 WHERE id = 1");
}
