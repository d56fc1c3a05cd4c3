use quarry::mysql::RunQueryAsync;
use quarry::prelude::*;

quarry::table! {
    users (id) {
        id -> Integer,
        email -> Text,
    }
}

async fn upsert(db: &quarry::mysql::Connection) -> Result<u64, quarry::Error> {
    quarry::insert_into(users::table)
        .values((users::id.eq(1), users::email.eq("ada@example.com")))
        .on_conflict_on_constraint(quarry::constraint!("users_email_key"))
        .do_nothing()
        .execute_async(db)
        .await
}

fn main() {
    let _ = upsert;
}
