use quarry::pg::JsonExpressionMethods;
use quarry::prelude::*;

quarry::table! { prefs (id) { id -> Integer, settings -> Json, } }

fn main() {
    let mut db = quarry::sqlite::Connection::open_in_memory().unwrap();
    let _: Vec<i32> = prefs::table
        .filter(prefs::settings.has_key("theme"))
        .select(prefs::id)
        .load(&mut db)
        .unwrap();
}
