//! SQL functions and free-standing query builders under one name, for
//! `use quarry::dsl::*;` where Diesel code has `use diesel::dsl::*;`.
//!
//! Everything here lives elsewhere too ([`crate::expression`], the crate
//! root); this module only gathers it where Diesel users look for it.
//!
//! ```
//! # quarry::__doc_setup!();
//! # fn main() -> Result<(), quarry::Error> {
//! use quarry::dsl::{avg, count_star, max, sum};
//! use quarry::prelude::*;
//! # let mut db = db();
//!
//! let per_author: Vec<(i32, i64, Option<i64>, Option<f64>, Option<i32>)> = posts::table
//!     .group_by(posts::author_id)
//!     .select((posts::author_id, count_star(), sum(posts::views), avg(posts::views), max(posts::views)))
//!     .order_by(posts::author_id)
//!     .load(&mut db)?;
//! assert_eq!(per_author[0], (1, 2, Some(160), Some(80.0), Some(120)));
//! # Ok(()) }
//! ```

#[doc(no_inline)]
pub use crate::expression::{
    add_days, add_months, add_years, avg, case_when, cast, coalesce, count, count_distinct,
    count_star, day, day_of_week, day_of_year, hour, length, lower, max, min, minute, month,
    not_exists, rank, row_number, scalar, second, substring, sum, trim, upper, window, year,
};
#[doc(no_inline)]
pub use crate::not;
#[doc(no_inline)]
pub use crate::query::{
    delete, derived, exists, insert_into, select, selected, update, with, with_recursive,
};
