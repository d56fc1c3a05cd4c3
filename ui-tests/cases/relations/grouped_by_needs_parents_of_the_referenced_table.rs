use quarry::prelude::*;

quarry::table! {
    users (id) {
        id -> Integer,
        name -> Text,
    }
    posts (id) {
        id -> Integer,
        author_id -> Integer references users(id),
    }
    tags (id) {
        id -> Integer,
        label -> Text,
    }
}

#[derive(Queryable, Related)]
#[quarry(table = posts)]
struct Post {
    id: i32,
    author_id: i32,
}

#[derive(Queryable, Related)]
#[quarry(table = tags)]
struct Tag {
    id: i32,
    label: String,
}

fn main() {
    let posts: Vec<Post> = Vec::new();
    let tags: Vec<Tag> = Vec::new();
    let _ = posts.grouped_by(&tags);
}
