use quarry::prelude::*;

quarry::table! {
    posts (id) {
        id -> Integer,
        author_id -> Integer,
        title -> Text,
    }
}

fn main() -> Result<(), quarry::Error> {
    let mut db = quarry::sqlite::Connection::open_in_memory()?;
    let latest: Vec<(i32, String)> = posts::table
        .distinct_on(posts::author_id)
        .select((posts::author_id, posts::title))
        .order((posts::author_id, posts::id.desc()))
        .load(&mut db)?;
    let _ = latest;
    Ok(())
}
