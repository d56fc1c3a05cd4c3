//! Default expressions, normalized so that what a live database reports and
//! what DDL says print alike: PostgreSQL reports `'draft'::text` and
//! `'-1'::integer` for `DEFAULT 'draft'` and `DEFAULT -1`; SQLite reports
//! the text as written; sqlparser prints keywords in its own case.

/// The default as printed in the column's note. `numeric`: the column has a
/// numeric type, so a quoted number (`'-1'::integer`) is printed as one.
pub fn normalize(text: &str, numeric: bool) -> String {
    let mut text: String = text
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_owned();
    while let Some(inner) = unwrap_parens(&text) {
        text = inner.trim().to_owned();
    }
    if let Some((literal, content)) = literal_with_casts(&text) {
        if numeric && is_number(content) {
            return content.to_owned();
        }
        return literal.to_owned();
    }
    // PostgreSQL reports `DEFAULT -2.5` on a float column as
    // `'-2.5'::numeric`, `DEFAULT 0::bigint` as `0`; a bare cast of a number
    // carries no information for the reader either.
    if let Some((number, rest)) = text.split_once("::")
        && is_number(number)
        && is_cast_chain(&format!("::{rest}"))
    {
        return number.to_owned();
    }
    let lower = text.to_ascii_lowercase();
    match lower.as_str() {
        "true" | "false" | "null" => lower,
        "current_timestamp" | "current_date" | "current_time" | "localtime" | "localtimestamp" => {
            text.to_ascii_uppercase()
        }
        _ => text,
    }
}

/// `(x)` → `x` when the outer parentheses match each other.
fn unwrap_parens(text: &str) -> Option<&str> {
    let inner = text.strip_prefix('(')?.strip_suffix(')')?;
    let mut depth = 0usize;
    let mut quoted = false;
    for c in inner.chars() {
        match c {
            '\'' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => {
                // Closes the outer `(` early: `(a) + (b)`.
                depth = depth.checked_sub(1)?;
            }
            _ => {}
        }
    }
    (depth == 0 && !quoted).then_some(inner)
}

/// `'text'` followed by nothing or by casts (`::character varying`,
/// `::text[]`): the literal with its quotes, and its content.
fn literal_with_casts(text: &str) -> Option<(&str, &str)> {
    let rest = text.strip_prefix('\'')?;
    let mut chars = rest.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\'' {
            if chars.peek().is_some_and(|&(_, next)| next == '\'') {
                chars.next();
                continue;
            }
            let end = i + 2; // the opening quote and this one
            let (literal, casts) = text.split_at(end);
            return (casts.is_empty() || is_cast_chain(casts)).then(|| (literal, &rest[..i]));
        }
    }
    None
}

fn is_cast_chain(text: &str) -> bool {
    text.starts_with("::")
        && text.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || matches!(c, '_' | ' ' | ':' | '(' | ')' | ',' | '[' | ']' | '"' | '.')
        })
}

fn is_number(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    !digits.is_empty()
        && digits.chars().any(|c| c.is_ascii_digit())
        && digits
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
        && digits.starts_with(|c: char| c.is_ascii_digit() || c == '.')
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn postgres_reports_and_ddl_agree() {
        // (what PostgreSQL reports, what sqlparser prints of the DDL)
        for (live, ddl, numeric, expected) in [
            ("'-1'::integer", "-1", true, "-1"),
            ("'x'::text", "'x'", false, "'x'"),
            ("'y'::character varying", "'y'::VARCHAR", false, "'y'"),
            ("'{}'::jsonb", "'{}'::JSONB", false, "'{}'"),
            ("'{}'::text[]", "'{}'", false, "'{}'"),
            ("'-2.5'::numeric", "-2.5", true, "-2.5"),
            ("1.5", "1.5", true, "1.5"),
            ("true", "TRUE", false, "true"),
            ("now()", "now()", false, "now()"),
            (
                "CURRENT_TIMESTAMP",
                "current_timestamp",
                false,
                "CURRENT_TIMESTAMP",
            ),
            ("'it''s'::text", "'it''s'", false, "'it''s'"),
            ("'42'::text", "'42'", false, "'42'"),
            (
                "(datetime('now'))",
                "datetime('now')",
                false,
                "datetime('now')",
            ),
            ("0::bigint", "0", true, "0"),
        ] {
            assert_eq!(normalize(live, numeric), expected, "{live}");
            assert_eq!(normalize(ddl, numeric), expected, "{ddl}");
        }
    }

    #[test]
    fn expressions_stay_as_they_are() {
        assert_eq!(normalize("(a) + (b)", false), "(a) + (b)");
        assert_eq!(normalize("'a' || 'b'", false), "'a' || 'b'");
        assert_eq!(normalize("lower('X')", false), "lower('X')");
        assert_eq!(normalize("'unclosed", false), "'unclosed");
        assert_eq!(normalize("x\n  + 1", false), "x   + 1");
    }
}
