use quarry::prelude::*;

quarry::table! {
    users (id) {
        id -> Integer,
        name -> Text,
    }
}

// A batch of several statements runs in one transaction, on one connection
// held mutably: a shared `&Connection` cannot hold it.
async fn insert(conn: &quarry::pg::Connection) -> u64 {
    let rows = vec![(users::id.eq(1), users::name.eq("Ada"))];
    quarry::insert_into(users::table).values(rows).execute_async(conn).await.unwrap()
}

fn main() {
    let _ = insert;
}
