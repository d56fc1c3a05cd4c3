use quarry::prelude::*;

quarry::table! {
    users (id) {
        id -> Integer,
        name -> Text,
    }
    posts (id) {
        id -> Integer,
        author_id -> Integer references users(id),
        title -> Text,
    }
}

fn titles(db: &mut quarry::sqlite::Connection) -> Result<Vec<String>, quarry::Error> {
    users::table.select(posts::title).load(db)
}

fn main() {
    let _ = titles;
}
