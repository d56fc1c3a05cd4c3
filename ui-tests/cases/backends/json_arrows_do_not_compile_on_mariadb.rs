use quarry::mysql::RunQueryAsync;
use quarry::pg::JsonExpressionMethods;
use quarry::prelude::*;

quarry::table! { prefs (id) { id -> Integer, settings -> Json, } }

async fn light(db: &quarry::mysql::Connection) -> Result<Vec<i32>, quarry::Error> {
    prefs::table
        .filter(prefs::settings.json_field_text("theme").eq("light"))
        .select(prefs::id)
        .load_async(db)
        .await
}

fn main() {
    let _ = light;
}
