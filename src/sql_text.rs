//! SQL text at build time.
//!
//! Every node of a query carries its SQL as a constant [`Part`] tree. The
//! tree of a whole query is rendered to a `&'static str` in constant
//! evaluation by `render`; placeholders are numbered in that same pass
//! (`?` on SQLite, `$1, $2, ...` on PostgreSQL). Executing a static query
//! therefore builds no string: its text is a constant, and also the key of
//! the prepared-statement cache.

use crate::backend::Dialect;
use quarry_runtime::ParamType;

/// A piece of SQL text. Trees of parts are built in constants; see the
/// module documentation.
#[derive(Debug, Clone, Copy)]
pub enum Part {
    /// Literal SQL: keywords, operators, punctuation.
    Str(&'static str),
    /// An identifier, quoted for the dialect.
    Ident(&'static str),
    /// A bind parameter's placeholder, and the parameter's SQL type, which
    /// PostgreSQL receives when the statement is prepared.
    Param(ParamType),
    /// The inner part in parentheses.
    Paren(&'static Part),
    /// Parts one after another.
    Seq(&'static [Part]),
    /// Parts separated by `, `.
    List(&'static [Part]),
    /// `"qualifier"."c1", "qualifier"."c2", ...`: a table's or alias's
    /// columns; with an empty qualifier, `"c1", "c2", ...`.
    Columns(&'static str, &'static [&'static str]),
    /// One part per dialect, in [`Dialect`] order.
    ByDialect(&'static [Part; Dialect::COUNT]),
}

/// A fixed-capacity byte buffer written by [`render`]. Writes past the
/// capacity are counted but not stored, so a zero-capacity buffer measures.
pub(crate) struct Buffer<const N: usize> {
    pub(crate) bytes: [u8; N],
    pub(crate) len: usize,
    params: usize,
}

impl<const N: usize> Buffer<N> {
    const fn push(&mut self, s: &str) {
        let s = s.as_bytes();
        let mut i = 0;
        while i < s.len() {
            if self.len < N {
                self.bytes[self.len] = s[i];
            }
            self.len += 1;
            i += 1;
        }
    }

    const fn push_byte(&mut self, b: u8) {
        if self.len < N {
            self.bytes[self.len] = b;
        }
        self.len += 1;
    }

    const fn push_number(&mut self, mut n: usize) {
        let mut digits = [0u8; 20];
        let mut count = 0;
        loop {
            digits[count] = b'0' + (n % 10) as u8;
            count += 1;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        while count > 0 {
            count -= 1;
            self.push_byte(digits[count]);
        }
    }

    const fn part(&mut self, part: &Part, dialect: Dialect) {
        match *part {
            Part::Str(s) => self.push(s),
            Part::Ident(name) => {
                let quote = dialect.identifier_quote();
                self.push_byte(quote);
                // A quote inside the identifier is doubled.
                let bytes = name.as_bytes();
                let mut i = 0;
                while i < bytes.len() {
                    if bytes[i] == quote {
                        self.push_byte(quote);
                    }
                    self.push_byte(bytes[i]);
                    i += 1;
                }
                self.push_byte(quote);
            }
            Part::Param(ty) => {
                self.params += 1;
                if dialect.numbered_placeholders() {
                    self.push_byte(b'$');
                    self.push_number(self.params);
                    // A type quarry does not know travels as text and is
                    // converted by the server (`ParamType::Named`).
                    match ty {
                        ParamType::Named(name) => {
                            self.push("::text::");
                            self.push(name);
                        }
                        ParamType::Array(ParamType::Named(name)) => {
                            self.push("::text[]::");
                            self.push(name);
                            self.push("[]");
                        }
                        _ => {}
                    }
                } else if let Some(cast) = dialect.placeholder_cast(ty) {
                    self.push("CAST(? AS ");
                    self.push(cast);
                    self.push_byte(b')');
                } else {
                    self.push_byte(b'?');
                }
            }
            Part::Paren(inner) => {
                self.push_byte(b'(');
                self.part(inner, dialect);
                self.push_byte(b')');
            }
            Part::Seq(parts) => {
                let mut i = 0;
                while i < parts.len() {
                    self.part(&parts[i], dialect);
                    i += 1;
                }
            }
            Part::List(parts) => {
                let mut i = 0;
                while i < parts.len() {
                    if i > 0 {
                        self.push(", ");
                    }
                    self.part(&parts[i], dialect);
                    i += 1;
                }
            }
            Part::Columns(qualifier, names) => {
                let mut i = 0;
                while i < names.len() {
                    if i > 0 {
                        self.push(", ");
                    }
                    if !qualifier.is_empty() {
                        self.part(&Part::Ident(qualifier), dialect);
                        self.push_byte(b'.');
                    }
                    self.part(&Part::Ident(names[i]), dialect);
                    i += 1;
                }
            }
            Part::ByDialect(parts) => self.part(&parts[dialect as usize], dialect),
        }
    }
}

/// Renders `part` for `dialect` into a buffer of capacity `N`.
pub(crate) const fn render<const N: usize>(part: &Part, dialect: Dialect) -> Buffer<N> {
    render_from(part, dialect, 0)
}

/// As [`render`], with placeholders numbered after the first `params_before`
/// of the statement: for a fragment rendered in the middle of one.
const fn render_from<const N: usize>(
    part: &Part,
    dialect: Dialect,
    params_before: usize,
) -> Buffer<N> {
    let mut buffer = Buffer {
        bytes: [0; N],
        len: 0,
        params: params_before,
    };
    buffer.part(part, dialect);
    buffer
}

/// Appends `part`, rendered for `dialect` by the same walk as the
/// build-time [`render`], to `out` at run time, numbering placeholders after
/// the first `params_before`. Statements whose shape is known only at run
/// time (a multi-row `VALUES` list) compose their static fragments with it.
///
/// Returns `false`, appending nothing, when the fragment is longer than the
/// 64 KiB a static query may have.
pub(crate) fn append_at_run_time(
    part: &Part,
    dialect: Dialect,
    params_before: usize,
    out: &mut String,
) -> bool {
    fn push<const N: usize>(
        part: &Part,
        dialect: Dialect,
        before: usize,
        out: &mut String,
    ) -> bool {
        let buffer = render_from::<N>(part, dialect, before);
        match core::str::from_utf8(&buffer.bytes[..buffer.len.min(N)]) {
            Ok(text) => {
                out.push_str(text);
                true
            }
            Err(_) => false,
        }
    }
    match render_from::<0>(part, dialect, params_before).len {
        0..=256 => push::<256>(part, dialect, params_before, out),
        257..=2048 => push::<2048>(part, dialect, params_before, out),
        2049..=16384 => push::<16384>(part, dialect, params_before, out),
        16385..=65536 => push::<65536>(part, dialect, params_before, out),
        _ => false,
    }
}

/// The length in bytes of `part` rendered for `dialect`.
pub(crate) const fn measure(part: &Part, dialect: Dialect) -> usize {
    render::<0>(part, dialect).len
}

/// The number of placeholders in `part`.
pub const fn count_params(part: &Part) -> usize {
    match *part {
        Part::Param(_) => 1,
        Part::Str(_) | Part::Ident(_) | Part::Columns(..) => 0,
        Part::Paren(inner) => count_params(inner),
        Part::Seq(parts) | Part::List(parts) => {
            let mut n = 0;
            let mut i = 0;
            while i < parts.len() {
                n += count_params(&parts[i]);
                i += 1;
            }
            n
        }
        // Every dialect's variant binds the same values.
        Part::ByDialect(parts) => count_params(&parts[0]),
    }
}

/// The types of a statement's parameters, in placeholder order, collected
/// into a buffer of capacity `N` (types past it are counted, not stored).
pub(crate) struct Types<const N: usize> {
    pub(crate) types: [ParamType; N],
    pub(crate) len: usize,
}

impl<const N: usize> Types<N> {
    const fn part(&mut self, part: &Part, dialect: Dialect) {
        match *part {
            Part::Param(ty) => {
                if self.len < N {
                    self.types[self.len] = ty;
                }
                self.len += 1;
            }
            Part::Str(_) | Part::Ident(_) | Part::Columns(..) => {}
            Part::Paren(inner) => self.part(inner, dialect),
            Part::Seq(parts) | Part::List(parts) => {
                let mut i = 0;
                while i < parts.len() {
                    self.part(&parts[i], dialect);
                    i += 1;
                }
            }
            Part::ByDialect(parts) => self.part(&parts[dialect as usize], dialect),
        }
    }
}

/// Collects the parameter types of `part` as `dialect` renders it.
pub(crate) const fn param_types<const N: usize>(part: &Part, dialect: Dialect) -> Types<N> {
    let mut types = Types {
        types: [ParamType::Inferred; N],
        len: 0,
    };
    types.part(part, dialect);
    types
}

/// The first `len` types of `types`.
pub(crate) const fn first_types(types: &'static [ParamType], len: usize) -> &'static [ParamType] {
    types.split_at(len).0
}

/// Which capacity step of [`param_types`] fits `params` parameters.
pub(crate) const fn types_step(params: usize) -> u8 {
    if params <= 8 {
        0
    } else if params <= 64 {
        1
    } else if params <= 512 {
        2
    } else if params <= 4096 {
        3
    } else if params <= 65535 {
        4
    } else {
        panic!(
            "quarry: this statement has more than 65535 bind parameters, more than PostgreSQL accepts"
        )
    }
}

/// Appends the parameter types of `part` as `dialect` renders it to `out`,
/// by the same walk as the build-time [`param_types`]: for statements
/// composed at run time.
pub(crate) fn append_param_types(part: &Part, dialect: Dialect, out: &mut Vec<ParamType>) {
    match *part {
        Part::Param(ty) => out.push(ty),
        Part::Str(_) | Part::Ident(_) | Part::Columns(..) => {}
        Part::Paren(inner) => append_param_types(inner, dialect, out),
        Part::Seq(parts) | Part::List(parts) => {
            for part in parts {
                append_param_types(part, dialect, out);
            }
        }
        Part::ByDialect(parts) => append_param_types(&parts[dialect as usize], dialect, out),
    }
}

/// The first `len` bytes of `bytes` as text.
pub(crate) const fn text(bytes: &'static [u8], len: usize) -> &'static str {
    match core::str::from_utf8(bytes.split_at(len).0) {
        Ok(s) => s,
        Err(_) => panic!("quarry: SQL fragments are built from `&str`, so they are UTF-8"),
    }
}

/// Which capacity step of [`render`] fits `len` bytes. The steps keep
/// short queries small in the binary.
pub(crate) const fn capacity_step(len: usize) -> u8 {
    if len <= 256 {
        0
    } else if len <= 2048 {
        1
    } else if len <= 16384 {
        2
    } else if len <= 65536 {
        3
    } else {
        panic!("quarry: this query's SQL text is longer than 64 KiB")
    }
}
