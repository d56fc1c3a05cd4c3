use quarry::prelude::*;

quarry::table! {
    articles (id) {
        id -> Integer,
        tags -> Array<Text>,
    }
}

fn main() -> Result<(), quarry::Error> {
    let mut db = quarry::sqlite::Connection::open_in_memory()?;
    let tags: Vec<Vec<String>> = articles::table.select(articles::tags).load(&mut db)?;
    let _ = tags;
    Ok(())
}
