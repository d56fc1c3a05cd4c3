use quarry::prelude::*;

quarry::table! {
    users (id) {
        id -> Integer,
        name -> Text,
        age -> Nullable<SmallInt>,
    }
    posts (id) {
        id -> Integer,
        title -> Text,
    }
}

fn main() -> Result<(), quarry::Error> {
    let mut db = quarry::sqlite::Connection::open_in_memory()?;
    quarry::insert_into(users::table)
        .values(users::name.eq("Ada"))
        .on_conflict_on_constraint(quarry::constraint!("users_name_key"))
        .do_nothing()
        .execute(&mut db)?;
    Ok(())
}
