//! Running a cached static statement does not copy its SQL text.
//!
//! A counting global allocator records every allocation made on the test's
//! thread while counting is on. After warming the cache, a query and an
//! execute whose SQL is over 2000 bytes run many times; no allocation as
//! large as the SQL may happen, on Rust's heap or on SQLite's. As a control,
//! `rusqlite`'s own `prepare_cached`, which copies the text into an
//! `Arc<str>` on every call, is caught by the same counter.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

use quarry_runtime::Value;
use quarry_runtime::sqlite::{Connection, ValueRef, rusqlite};

struct Counting;

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
}

static ALLOCS: AtomicUsize = AtomicUsize::new(0);
static BYTES: AtomicUsize = AtomicUsize::new(0);
static LARGEST: AtomicUsize = AtomicUsize::new(0);

fn note(size: usize) {
    if COUNTING.with(Cell::get) {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(size, Ordering::Relaxed);
        LARGEST.fetch_max(size, Ordering::Relaxed);
    }
}

// SAFETY: forwards to the system allocator unchanged.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note(new_size);
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

#[derive(Debug, Clone, Copy)]
struct Counts {
    allocs: usize,
    bytes: usize,
    largest: usize,
    /// The largest single allocation SQLite made meanwhile.
    sqlite_largest: i64,
}

/// Counts the allocations `f` makes on this thread.
fn count(f: impl FnOnce()) -> Counts {
    ALLOCS.store(0, Ordering::Relaxed);
    BYTES.store(0, Ordering::Relaxed);
    LARGEST.store(0, Ordering::Relaxed);
    sqlite_largest_malloc(true);
    COUNTING.with(|c| c.set(true));
    f();
    COUNTING.with(|c| c.set(false));
    Counts {
        allocs: ALLOCS.load(Ordering::Relaxed),
        bytes: BYTES.load(Ordering::Relaxed),
        largest: LARGEST.load(Ordering::Relaxed),
        sqlite_largest: sqlite_largest_malloc(false),
    }
}

/// The largest allocation SQLite was asked for since the last reset.
fn sqlite_largest_malloc(reset: bool) -> i64 {
    let (mut current, mut highwater) = (0i64, 0i64);
    // SAFETY: the out-pointers are valid for the call.
    let rc = unsafe {
        rusqlite::ffi::sqlite3_status64(
            rusqlite::ffi::SQLITE_STATUS_MALLOC_SIZE,
            &mut current,
            &mut highwater,
            i32::from(reset),
        )
    };
    assert_eq!(rc, rusqlite::ffi::SQLITE_OK);
    highwater
}

/// A query of 200 selected expressions, over 2000 bytes, static for the
/// program's life as a DSL's SQL literal is.
fn long_sql() -> &'static str {
    let columns: Vec<String> = (0..200).map(|i| format!("a + {i} AS c{i}")).collect();
    let sql = format!("SELECT {} FROM t WHERE a >= ?", columns.join(", "));
    Box::leak(sql.into_boxed_str())
}

const RUNS: usize = 1000;

#[test]
fn cached_static_statements_do_not_copy_their_sql() {
    let sql = long_sql();
    assert!(sql.len() > 2000, "{}", sql.len());

    let mut conn = Connection::open_in_memory().unwrap();
    conn.execute_batch("CREATE TABLE t (a INTEGER); INSERT INTO t VALUES (1), (2), (3);")
        .unwrap();

    let mut sum = 0i64;
    let mut query = |conn: &mut Connection| {
        let n = conn
            .query_static(sql, &[Value::BigInt(2)], |row| {
                if let ValueRef::Integer(i) = row.get_ref(199)? {
                    sum += i;
                }
                Ok(())
            })
            .unwrap();
        assert_eq!(n, 2);
    };

    // Warm the cache: the first run prepares the statement.
    query(&mut conn);
    conn.execute_static(sql, &[Value::BigInt(0)]).unwrap();
    assert_eq!(conn.statement_cache_len(), 1);

    let queries = count(|| {
        for _ in 0..RUNS {
            query(&mut conn);
        }
    });
    let executes = count(|| {
        for _ in 0..RUNS {
            assert_eq!(conn.execute_static(sql, &[Value::BigInt(0)]).unwrap(), 0);
        }
    });
    assert_eq!(sum, i64::try_from((RUNS + 1) * (201 + 202)).unwrap());

    eprintln!(
        "SQL of {} bytes, {RUNS} runs each:\n  query_static:   {queries:?}\n  execute_static: {executes:?}",
        sql.len()
    );
    for counts in [queries, executes] {
        assert!(
            counts.largest < sql.len(),
            "a Rust allocation as large as the SQL: {counts:?}"
        );
        assert!(
            counts.sqlite_largest < i64::try_from(sql.len()).unwrap(),
            "a SQLite allocation as large as the SQL: {counts:?}"
        );
        // Nothing at all is allocated on Rust's heap per run.
        assert_eq!((counts.allocs, counts.bytes), (0, 0), "{counts:?}");
    }

    // The control: rusqlite's `prepare_cached` copies the SQL on every call,
    // and the counter sees it.
    let raw = conn.raw();
    drop(raw.prepare_cached(sql).unwrap());
    let control = count(|| {
        for _ in 0..10 {
            let mut stmt = raw.prepare_cached(sql).unwrap();
            let mut rows = stmt.query([2]).unwrap();
            while rows.next().unwrap().is_some() {}
        }
    });
    eprintln!("  rusqlite prepare_cached, 10 runs: {control:?}");
    assert!(control.largest >= sql.len(), "{control:?}");

    // The control of SQLite's counter: a text parameter as long as the SQL,
    // which SQLite copies when it is bound, is seen.
    let long_text = "x".repeat(sql.len());
    let sqlite_control = count(|| {
        conn.query_static("SELECT length(?)", &[Value::Text(&long_text)], |_| Ok(()))
            .unwrap();
    });
    eprintln!("  binding a text of the SQL's length: {sqlite_control:?}");
    assert!(
        sqlite_control.sqlite_largest >= i64::try_from(sql.len()).unwrap(),
        "{sqlite_control:?}"
    );
}
