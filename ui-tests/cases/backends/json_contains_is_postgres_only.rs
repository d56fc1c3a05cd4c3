use quarry::pg::JsonExpressionMethods;
use quarry::prelude::*;

quarry::table! { prefs (id) { id -> Integer, settings -> Json, defaults -> Json, } }

fn main() -> Result<(), quarry::Error> {
    let mut db = quarry::sqlite::Connection::open_in_memory()?;
    let ids: Vec<i32> = prefs::table
        .filter(prefs::settings.json_contains(prefs::defaults))
        .select(prefs::id)
        .load(&mut db)?;
    let _ = ids;
    Ok(())
}
