//! The SQL text of dynamic queries, cached by shape.
//!
//! A dynamic query is a sequence of static parts: each node's build-time
//! fragment, and keyword parts. Its text is rendered from them with the
//! same walk as a static query, once per distinct sequence. The cache key
//! is the parts' addresses, not the text: every part is a `'static`
//! constant, so equal addresses mean equal text, and a repeated shape costs
//! a comparison of a few pointers, never a render. (Two addresses holding
//! equal parts only make two entries with the same text.)
//!
//! Each thread first compares with the shape it found last, then looks in
//! its own table (no lock); a miss goes to the process-wide one, which
//! renders and keeps one text per shape, so every thread gets the same
//! `&'static str` for a shape (it is also the prepared-statement cache
//! key).

use std::borrow::Cow;
use std::cell::RefCell;
use std::hash::{BuildHasher, Hasher};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;

use crate::backend::Dialect;
use crate::sql_text::{self, Part};
#[cfg(feature = "postgres")]
use quarry_runtime::TypedSql;
use quarry_runtime::{Error, ParamType};

/// A dynamic statement as the static parts of its text.
pub(crate) trait Shape {
    /// Calls `f` with each part of the text, in order.
    fn visit(&self, f: &mut impl FnMut(&'static Part));
}

fn address(part: &'static Part) -> usize {
    core::ptr::from_ref(part) as usize
}

/// A rendered shape: its key (the dialect, then the parts' addresses), its
/// text and how many placeholders the text has.
struct Entry {
    hash: u64,
    key: Box<[usize]>,
    text: Text,
}

/// A dynamic statement's text and its placeholders' types.
#[derive(Clone, Copy)]
pub(crate) struct Text {
    pub(crate) sql: &'static str,
    pub(crate) types: &'static [ParamType],
}

impl Text {
    /// The text with its parameters' types, as the prepared-statement
    /// cache keys it.
    #[cfg(feature = "postgres")]
    pub(crate) fn typed(self) -> TypedSql {
        TypedSql::new(self.sql, self.types)
    }
}

type Shapes = HashTable<Entry>;

/// Keys of up to this many words are built on the stack.
const INLINE: usize = 24;

fn lookup(shapes: &Shapes, hash: u64, key: &[usize]) -> Option<Text> {
    shapes
        .find(hash, |entry| *entry.key == *key)
        .map(|entry| entry.text)
}

fn insert(shapes: &mut Shapes, hash: u64, key: &[usize], text: Text) {
    let entry = Entry {
        hash,
        key: key.into(),
        text,
    };
    shapes.insert_unique(hash, entry, |entry| entry.hash);
}

/// The process-wide cache: the shapes, and the bytes of text they keep.
struct Global {
    shapes: Shapes,
    bytes: usize,
}

fn global() -> &'static Mutex<Global> {
    static GLOBAL: Mutex<Global> = Mutex::new(Global {
        shapes: HashTable::new(),
        bytes: 0,
    });
    &GLOBAL
}

/// How many bytes of dynamic SQL text the process keeps; see
/// [`set_dynamic_sql_budget`].
static BUDGET: AtomicUsize = AtomicUsize::new(16 << 20);

/// Sets how many bytes of SQL text the process keeps for dynamic query
/// shapes (16 MiB unless set). Each distinct shape's text is kept, so that
/// running it again renders nothing and reuses its prepared statement. A
/// program whose shapes depend on its input (an OR of as many conditions as
/// a request holds) could otherwise keep text without end; past the budget
/// a new shape is rendered for each run and prepared each time, and the
/// shapes already kept stay. Lowering the budget keeps what is kept.
pub fn set_dynamic_sql_budget(bytes: usize) {
    BUDGET.store(bytes, Ordering::Relaxed);
}

/// The shape this thread looked up last, with its key kept inline: a
/// query built the same way again (a request handler's, in a loop) is
/// found without probing the table.
struct Last {
    len: usize,
    key: [usize; INLINE],
    text: Option<Text>,
}

impl Last {
    /// The text, if `shape` in `dialect` is the shape found last.
    fn matching(&self, shape: &impl Shape, dialect: Dialect) -> Option<Text> {
        let mut len = 1;
        let mut same = self.key[0] == dialect as usize;
        shape.visit(&mut |part| {
            same &= self.key.get(len) == Some(&address(part));
            len += 1;
        });
        if same && len == self.len {
            self.text
        } else {
            None
        }
    }

    fn set(&mut self, key: &[usize], text: Text) {
        if let Some(slot) = self.key.get_mut(..key.len()) {
            slot.copy_from_slice(key);
            self.len = key.len();
            self.text = Some(text);
        }
    }
}

thread_local! {
    static LOCAL: RefCell<Shapes> = const { RefCell::new(HashTable::new()) };
    static LAST: RefCell<Last> = const {
        RefCell::new(Last { len: 0, key: [0; INLINE], text: None })
    };
}

/// A dynamic statement's text: kept for the process, or rendered for this
/// run only once the texts kept reach the budget.
pub(crate) enum Found {
    /// Kept, and the prepared-statement cache's key.
    Kept(Text),
    /// Rendered for this run, with its placeholders' types.
    Once(String, Vec<ParamType>),
}

impl Found {
    /// The number of placeholders.
    pub(crate) fn params(&self) -> usize {
        match self {
            Found::Kept(text) => text.types.len(),
            Found::Once(_, types) => types.len(),
        }
    }

    /// The text.
    pub(crate) fn into_sql(self) -> Cow<'static, str> {
        match self {
            Found::Kept(text) => Cow::Borrowed(text.sql),
            Found::Once(sql, _) => Cow::Owned(sql),
        }
    }
}

/// The SQL text of `shape` for `dialect`: rendered the first time this
/// shape is seen in the process, then looked up. Each distinct shape's text
/// is kept for the life of the process, up to the budget of
/// [`set_dynamic_sql_budget`].
pub(crate) fn text_for(shape: &impl Shape, dialect: Dialect) -> Result<Found, Error> {
    // The key: the dialect, then the parts' addresses, written once into
    // a buffer on the stack (on the heap for a shape of more parts). The
    // shape found last is compared first, as the parts are visited.
    if let Some(text) = LAST.with(|last| last.borrow().matching(shape, dialect)) {
        return Ok(Found::Kept(text));
    }
    let mut inline = [0usize; INLINE];
    let mut len = 1;
    inline[0] = dialect as usize;
    shape.visit(&mut |part| {
        if let Some(slot) = inline.get_mut(len) {
            *slot = address(part);
        }
        len += 1;
    });
    let heap: Vec<usize>;
    let key: &[usize] = match inline.get(..len) {
        Some(key) => key,
        None => {
            let mut all = Vec::with_capacity(len);
            all.push(dialect as usize);
            shape.visit(&mut |part| all.push(address(part)));
            heap = all;
            &heap
        }
    };
    let mut hasher = FxBuildHasher.build_hasher();
    for word in key {
        hasher.write_usize(*word);
    }
    let hash = hasher.finish();
    if let Some(text) = LOCAL.with(|local| lookup(&local.borrow(), hash, key)) {
        LAST.with(|last| last.borrow_mut().set(key, text));
        return Ok(Found::Kept(text));
    }
    let text = {
        let mut shared = global().lock().map_err(|_| {
            Error::Config("the dynamic query cache was poisoned by a panic".to_owned())
        })?;
        match lookup(&shared.shapes, hash, key) {
            Some(text) => text,
            None => {
                let mut parts: Vec<&'static Part> = Vec::with_capacity(key.len());
                shape.visit(&mut |part| parts.push(part));
                let (sql, types) = render(&parts, dialect)?;
                let bytes = shared
                    .bytes
                    .saturating_add(sql.len())
                    .saturating_add(std::mem::size_of_val(types.as_slice()));
                if bytes > BUDGET.load(Ordering::Relaxed) {
                    return Ok(Found::Once(sql, types));
                }
                shared.bytes = bytes;
                let text = Text {
                    sql: Box::leak(sql.into_boxed_str()),
                    types: Box::leak(types.into_boxed_slice()),
                };
                insert(&mut shared.shapes, hash, key, text);
                text
            }
        }
    };
    LOCAL.with(|local| insert(&mut local.borrow_mut(), hash, key, text));
    LAST.with(|last| last.borrow_mut().set(key, text));
    Ok(Found::Kept(text))
}

/// Renders `parts` with the same walk as static queries, numbering
/// placeholders across them, and collects the placeholders' types.
fn render(parts: &[&'static Part], dialect: Dialect) -> Result<(String, Vec<ParamType>), Error> {
    let mut text = String::new();
    let mut types = Vec::new();
    for part in parts {
        if !sql_text::append_at_run_time(part, dialect, types.len(), &mut text) {
            return Err(Error::Config(
                "a dynamic query's SQL text is longer than 64 KiB".to_owned(),
            ));
        }
        sql_text::append_param_types(part, dialect, &mut types);
    }
    Ok((text, types))
}

/// How many distinct dynamic shapes the process has rendered, for tests.
#[doc(hidden)]
pub fn rendered_shapes() -> usize {
    global()
        .lock()
        .map(|global| global.shapes.len())
        .unwrap_or(0)
}
