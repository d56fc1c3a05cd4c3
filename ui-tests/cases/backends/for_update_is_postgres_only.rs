use quarry::prelude::*;

quarry::table! {
    jobs (id) {
        id -> Integer,
        done -> Bool,
    }
}

fn main() -> Result<(), quarry::Error> {
    let mut db = quarry::sqlite::Connection::open_in_memory()?;
    let next: Vec<i32> = jobs::table
        .select(jobs::id)
        .filter(jobs::done.eq(false))
        .limit(1)
        .for_update()
        .skip_locked()
        .load(&mut db)?;
    let _ = next;
    Ok(())
}
