use quarry::prelude::*;

quarry::table! {
    articles (id) {
        id -> Integer,
        tags -> Array<Text>,
    }
}

fn main() -> Result<(), quarry::Error> {
    let mut db = quarry::sqlite::Connection::open_in_memory()?;
    let ids: Vec<i32> = articles::table
        .select(articles::id)
        .filter(articles::tags.eq(vec!["rust"]))
        .load(&mut db)?;
    let _ = ids;
    Ok(())
}
