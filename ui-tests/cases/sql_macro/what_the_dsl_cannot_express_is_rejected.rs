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
    let _ = quarry::sql!("SELECT p.title FROM posts p NATURAL JOIN users u");
}
