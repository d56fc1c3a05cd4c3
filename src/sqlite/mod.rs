//! SQLite: the embedded, synchronous backend (rusqlite, bundled).
//!
//! ```
//! use quarry::prelude::*;
//! # quarry::table! { users (id) { id -> Integer, name -> Text, } }
//! let mut db = quarry::sqlite::Connection::open_in_memory()?;
//! db.execute_batch("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")?;
//! db.execute("INSERT INTO users (id, name) VALUES (?, ?)", &[Value::Int(1), Value::Text("Ada")])?;
//! let names: Vec<String> = users::table.select(users::name).load(&mut db)?;
//! assert_eq!(names, ["Ada"]);
//! # Ok::<(), quarry::Error>(())
//! ```

mod decode;
mod load_iter;
mod run;
mod sql_value;

pub use load_iter::LoadIter;
pub use quarry_runtime::sqlite::{Connection, Row, ValueRef};
pub use run::RunQueryDsl;
#[doc(hidden)]
pub use sql_value::decode_sql_value;
