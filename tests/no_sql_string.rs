//! Running a cached static query builds no SQL string: its text is a
//! constant. A counting allocator watches every allocation while the same
//! query runs repeatedly and fails if one is as large as the SQL text.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::{seeded, users};
use quarry::prelude::*;

struct Counting;

thread_local! {
    // Only the test's own thread is watched: the harness allocates on others.
    static WATCHING: Cell<bool> = const { Cell::new(false) };
}
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);
static LARGEST: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator; the
// counters are atomics and allocate nothing.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if WATCHING.try_with(Cell::get).unwrap_or(false) {
            ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
            LARGEST.fetch_max(layout.size(), Ordering::Relaxed);
        }
        // SAFETY: same layout, forwarded.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System.alloc` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

#[test]
fn a_repeated_static_query_allocates_no_sql_text() {
    let mut db = seeded();
    let run = |db: &mut quarry::sqlite::Connection| -> i64 {
        users::table
            .filter(users::score.gt(10_i64).and(users::name.ne("nobody")))
            .filter(users::id.between(1, 3))
            .select(users::score + users::score)
            .order(users::id.desc())
            .first(db)
            .unwrap()
    };
    const SQL: &str = quarry::const_sql!(
        Sqlite,
        users::table
            .filter(users::score.gt(10_i64).and(users::name.ne("nobody")))
            .filter(users::id.between(1, 3))
            .select(users::score + users::score)
            .order(users::id.desc())
            .limit(1)
    );
    assert!(SQL.len() > 150, "{SQL}");
    assert_eq!(run(&mut db), 150); // warms the statement cache

    WATCHING.with(|w| w.set(true));
    for _ in 0..1000 {
        assert_eq!(run(&mut db), 150);
    }
    WATCHING.with(|w| w.set(false));

    let per_run = ALLOCATIONS.load(Ordering::SeqCst) as f64 / 1000.0;
    let largest = LARGEST.load(Ordering::SeqCst);
    println!(
        "allocations per run: {per_run}, largest: {largest} bytes, SQL: {} bytes",
        SQL.len()
    );
    // The binds (5 values) live on the stack (`Binds` holds eight without
    // allocating), so a run allocates nothing; a copy of the SQL would be
    // an allocation at least as large as the SQL.
    assert_eq!(per_run, 0.0, "allocations per run");
    assert!(
        largest < SQL.len(),
        "an allocation of {largest} bytes: was the SQL copied?"
    );
}
