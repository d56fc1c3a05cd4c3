use quarry::dsl::sum;
use quarry::prelude::*;

quarry::table! {
    orders (id) {
        id -> Integer,
        customer -> Text,
        amount -> Integer,
    }
}

fn main() {
    let total = quarry::label!(total);
    let _ = orders::table
        .group_by(orders::customer)
        .select((orders::customer, sum(orders::amount)))
        .order(total.desc());
}
