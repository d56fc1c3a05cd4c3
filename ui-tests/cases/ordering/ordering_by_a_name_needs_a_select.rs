use quarry::prelude::*;

quarry::table! {
    orders (id) {
        id -> Integer,
        amount -> Integer,
    }
}

fn main() {
    let total = quarry::label!(total);
    let _ = orders::table.order(total).select(orders::amount.as_(total));
}
