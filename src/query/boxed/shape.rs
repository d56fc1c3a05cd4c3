//! The SQL text of dynamic queries, cached by shape.
//!
//! A dynamic query is a list of static parts (each node's build-time
//! fragment, plus keyword parts). Its text is rendered from them with the
//! same walk as a static query, once per distinct list: the cache key is
//! the parts' identities (addresses of `'static` fragments), not the text,
//! so a repeated shape costs a hash of a few pointers, never a render.
//!
//! Each thread looks in its own cache first (no lock); a miss goes to the
//! process-wide one, which renders and keeps one text per shape, so every
//! thread gets the same `&'static str` for a shape (it is also the
//! prepared-statement cache key).

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasher, Hash, Hasher};
use std::sync::{Mutex, OnceLock};

use rustc_hash::FxBuildHasher;

use crate::backend::Dialect;
use crate::sql_text::{self, Part};
use quarry_runtime::Error;

/// A part compared by identity: which variant, and the address and length
/// of what it points to. Equal keys render equal text.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct PartKey(u8, usize, usize);

fn key(part: &Part) -> PartKey {
    match *part {
        Part::Str(s) => PartKey(0, s.as_ptr() as usize, s.len()),
        Part::Ident(s) => PartKey(1, s.as_ptr() as usize, s.len()),
        Part::Param => PartKey(2, 0, 0),
        Part::Paren(p) => PartKey(3, p as *const Part as usize, 0),
        Part::Seq(p) => PartKey(4, p.as_ptr() as usize, p.len()),
        Part::List(p) => PartKey(5, p.as_ptr() as usize, p.len()),
        Part::Columns(q, names) => PartKey(6, q.as_ptr() as usize, names.as_ptr() as usize),
        Part::ByDialect(p) => PartKey(7, p.as_ptr() as usize, 0),
    }
}

/// A dynamic query's parts, visited in order without collecting them.
pub(crate) type Visit<'v> = &'v dyn Fn(&mut dyn FnMut(Part));

/// Parts of a shape up to this many are keyed on the stack.
const INLINE: usize = 24;

/// Writes the identities of the visited parts into `inline`, and returns
/// how many there are. When they do not fit, `heap` gets all of them.
fn keys_of(visit: Visit<'_>, inline: &mut [PartKey; INLINE], heap: &mut Vec<PartKey>) -> usize {
    let mut len = 0;
    visit(&mut |part| {
        if len < INLINE {
            inline[len] = key(&part);
        }
        len += 1;
    });
    if len > INLINE {
        heap.reserve(len);
        visit(&mut |part| heap.push(key(&part)));
    }
    len
}

fn shape_hash(keys: &[PartKey], dialect: Dialect) -> u64 {
    let mut hasher = FxBuildHasher.build_hasher();
    dialect.hash(&mut hasher);
    keys.hash(&mut hasher);
    hasher.finish()
}

/// Shapes by hash; a bucket holds the (rare) shapes that share a hash.
type Shapes = HashMap<(u64, Dialect), Vec<(Box<[PartKey]>, &'static str)>, FxBuildHasher>;

fn lookup(shapes: &Shapes, hash: u64, dialect: Dialect, keys: &[PartKey]) -> Option<&'static str> {
    shapes
        .get(&(hash, dialect))?
        .iter()
        .find(|(stored, _)| **stored == *keys)
        .map(|(_, sql)| *sql)
}

fn insert(shapes: &mut Shapes, hash: u64, dialect: Dialect, keys: &[PartKey], sql: &'static str) {
    shapes
        .entry((hash, dialect))
        .or_default()
        .push((keys.into(), sql));
}

fn global() -> &'static Mutex<Shapes> {
    static SHAPES: OnceLock<Mutex<Shapes>> = OnceLock::new();
    SHAPES.get_or_init(|| Mutex::new(HashMap::default()))
}

thread_local! {
    static LOCAL: RefCell<Shapes> = RefCell::new(HashMap::default());
}

/// The SQL text of `parts` for `dialect`: rendered the first time this
/// shape is seen in the process, then looked up. Each distinct shape's text
/// is kept for the life of the process, so a program keeps as many as it
/// has shapes.
pub(crate) fn sql_for(visit: Visit<'_>, dialect: Dialect) -> Result<&'static str, Error> {
    let mut inline = [PartKey(0, 0, 0); INLINE];
    let mut heap = Vec::new();
    let len = keys_of(visit, &mut inline, &mut heap);
    let keys = if len <= INLINE {
        &inline[..len]
    } else {
        &heap[..]
    };
    let hash = shape_hash(keys, dialect);
    if let Some(sql) = LOCAL.with(|local| lookup(&local.borrow(), hash, dialect, keys)) {
        return Ok(sql);
    }
    let mut parts = Vec::new();
    visit(&mut |part| parts.push(part));
    let parts = &parts[..];
    let sql = {
        let mut shared = global().lock().map_err(|_| {
            Error::Config("the dynamic query cache was poisoned by a panic".to_owned())
        })?;
        match lookup(&shared, hash, dialect, keys) {
            Some(sql) => sql,
            None => {
                let sql = render(parts, dialect)?;
                insert(&mut shared, hash, dialect, keys, sql);
                sql
            }
        }
    };
    LOCAL.with(|local| insert(&mut local.borrow_mut(), hash, dialect, keys, sql));
    Ok(sql)
}

/// Renders `parts` with the same walk as static queries, numbering
/// placeholders across them.
fn render(parts: &[Part], dialect: Dialect) -> Result<&'static str, Error> {
    let mut text = String::new();
    let mut params = 0;
    for part in parts {
        if !sql_text::append_at_run_time(part, dialect, params, &mut text) {
            return Err(Error::Config(
                "a dynamic query's SQL text is longer than 64 KiB".to_owned(),
            ));
        }
        params += sql_text::count_params(part);
    }
    Ok(Box::leak(text.into_boxed_str()))
}

/// How many distinct dynamic shapes the process has rendered, for tests.
#[doc(hidden)]
pub fn rendered_shapes() -> usize {
    global()
        .lock()
        .map(|shapes| shapes.values().map(Vec::len).sum())
        .unwrap_or(0)
}
