use quarry::expression::{OverDsl, row_number, window};
use quarry::prelude::*;

quarry::table! {
    orders (id) {
        id -> Integer,
        amount -> Integer,
    }
}

fn main() {
    let big = quarry::label!(big);
    let _ = orders::table.select((
        orders::amount.as_(big),
        row_number().over(window().order_by(big.desc())),
    ));
}
