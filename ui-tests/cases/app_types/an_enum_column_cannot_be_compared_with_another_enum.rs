use quarry::prelude::*;

#[derive(SqlEnum)]
enum Mood { Happy, Sad }

#[derive(SqlEnum)]
enum Color { Red, Blue }

quarry::table! { people (id) { id -> Integer, mood -> crate::Mood, } }

fn main() {
    let _ = people::table.filter(people::mood.eq(Color::Red));
}
