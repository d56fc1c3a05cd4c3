use quarry::prelude::*;

quarry::table! {
    users (id) {
        id -> Integer,
        email -> Nullable<Text>,
    }
}

async fn emails(pool: &quarry::pg::Pool) -> Vec<String> {
    users::table.select(users::email).load_async(pool).await.unwrap()
}

fn main() {
    let _ = emails;
}
