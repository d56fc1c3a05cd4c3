use quarry::pg::PgArrayExpressionMethods;
use quarry::prelude::*;

quarry::table! { articles (id) { id -> Integer, tags -> Array<Text>, } }

fn main() {
    let mut db = quarry::sqlite::Connection::open_in_memory().unwrap();
    let _: Vec<i32> = articles::table
        .filter(articles::tags.overlaps_with(vec!["rust", "sql"]))
        .select(articles::id)
        .load(&mut db)
        .unwrap();
}
