use quarry::prelude::*;

quarry::table! {
    users (id) {
        id -> Integer,
        name -> Text,
    }
}

fn main() -> Result<(), quarry::Error> {
    let mut db = quarry::sqlite::Connection::open_in_memory()?;
    let ids: Vec<i32> = users::table
        .select(users::id)
        .filter(users::name.ilike("ada%"))
        .load(&mut db)?;
    let _ = ids;
    Ok(())
}
