//! Dotenv files (`.env`, `.env.local`, ...) parsed the way the `dotenv` npm package reads
//! them, keeping the byte ranges of keys and values.
//!
//! Supported: `KEY=value`, `export KEY=value`, `KEY: value`, comments (`#` starts a comment
//! in unquoted values), single/double/backtick quotes, values spanning several lines inside
//! quotes, and `\n` / `\r` escapes in double quotes.

use std::ops::Range;

/// One assignment of a dotenv file.
#[derive(Clone, PartialEq, Eq)]
pub struct EnvEntry {
    /// The variable name.
    pub key: String,
    /// Byte range of the name.
    pub key_range: Range<usize>,
    /// The value as the program sees it (quotes removed, escapes resolved).
    pub value: String,
    /// Byte range of the raw value between the quotes (or of the trimmed unquoted value;
    /// empty at the insertion point when the value is empty).
    pub value_range: Range<usize>,
    /// The quote character, if the value was quoted.
    pub quote: Option<char>,
    /// 1-based line of the key.
    pub line: usize,
}

impl std::fmt::Debug for EnvEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Values may be secrets: never print them.
        f.debug_struct("EnvEntry")
            .field("key", &self.key)
            .field("key_range", &self.key_range)
            .field("value_range", &self.value_range)
            .field("quote", &self.quote)
            .field("line", &self.line)
            .finish_non_exhaustive()
    }
}

fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')
}

/// Parse a dotenv text. Lines that are not assignments are skipped; a later assignment of the
/// same key is kept as a separate entry (the `dotenv` package keeps the first one; see
/// [`lookup`]).
pub fn parse(text: &str) -> Vec<EnvEntry> {
    let mut entries = Vec::new();
    let bytes = text.as_bytes();
    let mut pos = 0usize;
    let mut line_no = 1usize;
    while pos < text.len() {
        let line_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let line_start = pos;
        let next = (line_end + 1).min(text.len());
        // Leading whitespace.
        let mut i = line_start;
        while i < line_end && matches!(bytes[i], b' ' | b'\t') {
            i += 1;
        }
        if text[i..line_end].starts_with("export ") || text[i..line_end].starts_with("export\t") {
            i += "export".len();
            while i < line_end && matches!(bytes[i], b' ' | b'\t') {
                i += 1;
            }
        }
        let key_start = i;
        while i < line_end && is_key_char(bytes[i] as char) {
            i += 1;
        }
        let key_end = i;
        while i < line_end && matches!(bytes[i], b' ' | b'\t') {
            i += 1;
        }
        let sep_ok = key_end > key_start && i < line_end && (bytes[i] == b'=' || bytes[i] == b':');
        if !sep_ok || bytes[key_start] == b'#' {
            pos = next;
            line_no += 1;
            continue;
        }
        i += 1;
        while i < line_end && matches!(bytes[i], b' ' | b'\t') {
            i += 1;
        }
        let key = text[key_start..key_end].to_string();
        let entry_line = line_no;
        let quote = text[i..]
            .chars()
            .next()
            .filter(|c| matches!(c, '"' | '\'' | '`'));
        if let Some(q) = quote {
            let body_start = i + 1;
            // Find the closing quote (a backslash escapes the quote), possibly on a later line.
            let mut j = body_start;
            let mut close = None;
            while j < bytes.len() {
                let b = bytes[j];
                if b == b'\\' && j + 1 < bytes.len() {
                    j += 2;
                    continue;
                }
                if b == q as u8 {
                    close = Some(j);
                    break;
                }
                j += 1;
            }
            if let Some(close) = close {
                let raw = &text[body_start..close];
                let value = match q {
                    '"' => unescape_double(raw),
                    _ => raw.to_string(),
                };
                line_no += raw.matches('\n').count();
                entries.push(EnvEntry {
                    key,
                    key_range: key_start..key_end,
                    value,
                    value_range: body_start..close,
                    quote: Some(q),
                    line: entry_line,
                });
                let after_close = text[close..].find('\n').map_or(text.len(), |k| close + k);
                pos = (after_close + 1).min(text.len());
                line_no += 1;
                continue;
            }
            // Unterminated quote: dotenv treats the rest of the line as an unquoted value.
        }
        let raw_end = text[i..line_end].find('#').map_or(line_end, |k| i + k);
        let raw = text[i..raw_end].trim_end_matches([' ', '\t', '\r']);
        entries.push(EnvEntry {
            key,
            key_range: key_start..key_end,
            value: raw.to_string(),
            value_range: i..i + raw.len(),
            quote: None,
            line: entry_line,
        });
        pos = next;
        line_no += 1;
    }
    entries
}

fn unescape_double(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('"') => out.push('"'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// The entry the `dotenv` package would use for `key`: the first assignment.
pub fn lookup<'a>(entries: &'a [EnvEntry], key: &str) -> Option<&'a EnvEntry> {
    entries.iter().find(|e| e.key == key)
}

/// Expand `${VAR}` / `$VAR` references (dotenv-expand style) using `entries`; unknown
/// variables expand to the empty string, `\$` stays a literal `$`. Depth-limited.
pub fn expand(value: &str, entries: &[EnvEntry]) -> String {
    expand_depth(value, entries, 0)
}

fn expand_depth(value: &str, entries: &[EnvEntry], depth: usize) -> String {
    if depth > 8 || !value.contains('$') {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(d) = rest.find('$') {
        if d > 0 && rest.as_bytes()[d - 1] == b'\\' {
            out.push_str(&rest[..d - 1]);
            out.push('$');
            rest = &rest[d + 1..];
            continue;
        }
        out.push_str(&rest[..d]);
        let after = &rest[d + 1..];
        let (name, consumed) = if let Some(inner) = after.strip_prefix('{') {
            match inner.find('}') {
                Some(end) => {
                    let name = inner[..end].split(":-").next().unwrap_or("");
                    (name, end + 2)
                }
                None => ("", 0),
            }
        } else {
            let len = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            (&after[..len], len)
        };
        if name.is_empty() {
            out.push('$');
            rest = after;
            continue;
        }
        if let Some(e) = lookup(entries, name) {
            out.push_str(&expand_depth(&e.value, entries, depth + 1));
        }
        rest = &after[consumed..];
    }
    out.push_str(rest);
    out
}
