//! A static reading of `prisma.config.ts` (or `.config/prisma.ts`) without running Node: the
//! properties of the object literal passed to `defineConfig` (or exported), with their
//! dotted paths (`migrations.path`, `datasource.url`) and byte ranges.
//!
//! Values are understood when they are string literals, `env("X")` / `env('X')`,
//! `process.env.X` / `process.env["X"]`, or anything else (kept as raw text).

use std::ops::Range;

/// The value of one property.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigValue {
    /// `'text'`, `"text"` or a template without substitutions.
    Str(String),
    /// `env("NAME")` from `prisma/config`.
    Env(String),
    /// `process.env.NAME` / `process.env["NAME"]` (optionally with `!` or `?? fallback`).
    ProcessEnv(String),
    /// Anything else, as written (first 200 bytes).
    Other(String),
}

/// One property of the config object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigEntry {
    /// Dotted path, e.g. `datasource.url`.
    pub path: String,
    /// The value.
    pub value: ConfigValue,
    /// Byte range of the value expression.
    pub range: Range<usize>,
    /// Byte range of the property name.
    pub key_range: Range<usize>,
}

/// The statically known parts of a Prisma config file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrismaConfig {
    /// Every property found, in source order.
    pub entries: Vec<ConfigEntry>,
}

impl PrismaConfig {
    /// The entry at `path` (e.g. `schema`, `migrations.path`, `datasource.url`).
    pub fn get(&self, path: &str) -> Option<&ConfigEntry> {
        self.entries.iter().find(|e| e.path == path)
    }
    /// The string value at `path`.
    pub fn str(&self, path: &str) -> Option<&str> {
        match &self.get(path)?.value {
            ConfigValue::Str(s) => Some(s),
            _ => None,
        }
    }
    /// `schema`
    pub fn schema(&self) -> Option<&str> {
        self.str("schema")
    }
    /// `migrations.path`
    pub fn migrations_path(&self) -> Option<&str> {
        self.str("migrations.path")
    }
    /// `true` if the config declares a driver adapter for the CLI (`adapter`, or the early
    /// `migrate.adapter` / `studio.adapter`), or `engine: "js"`.
    pub fn has_adapter(&self) -> bool {
        self.entries
            .iter()
            .any(|e| e.path == "adapter" || e.path.ends_with(".adapter"))
            || matches!(self.get("engine").map(|e| &e.value), Some(ConfigValue::Str(s)) if s == "js")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Ident(String),
    Str(String),
    Punct(char),
    Other,
}

fn lex(text: &str) -> Vec<(Tok, Range<usize>)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if c == b'/' && b.get(i + 1) == Some(&b'/') {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        if c == b'/' && b.get(i + 1) == Some(&b'*') {
            i += 2;
            while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                i += 1;
            }
            i = (i + 2).min(b.len());
            continue;
        }
        if matches!(c, b'"' | b'\'' | b'`') {
            let start = i;
            i += 1;
            let mut s = String::new();
            let mut simple = true;
            let mut chunk = i;
            while i < b.len() && b[i] != c {
                if b[i] == b'\\' {
                    s.push_str(text.get(chunk..i).unwrap_or(""));
                    if let Some(&e) = b.get(i + 1) {
                        s.push(match e {
                            b'n' => '\n',
                            b't' => '\t',
                            other => other as char,
                        });
                    }
                    i += 2;
                    chunk = i.min(b.len());
                    continue;
                }
                if c == b'`' && b[i] == b'$' && b.get(i + 1) == Some(&b'{') {
                    simple = false;
                }
                i += 1;
            }
            s.push_str(text.get(chunk..i.min(b.len())).unwrap_or(""));
            i = (i + 1).min(b.len());
            out.push((if simple { Tok::Str(s) } else { Tok::Other }, start..i));
            continue;
        }
        if c.is_ascii_alphabetic() || c == b'_' || c == b'$' {
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'$') {
                i += 1;
            }
            out.push((Tok::Ident(text[start..i].to_string()), start..i));
            continue;
        }
        if c.is_ascii() {
            out.push((Tok::Punct(c as char), i..i + 1));
            i += 1;
        } else {
            let len = text[i..].chars().next().map_or(1, char::len_utf8);
            out.push((Tok::Other, i..i + len));
            i += len;
        }
    }
    out
}

/// Read a config file's text.
pub fn parse(text: &str) -> PrismaConfig {
    let toks = lex(text);
    // Start at the object literal passed to `defineConfig(` or after `export default`.
    let start = toks
        .windows(3)
        .position(|w| {
            matches!(&w[0].0, Tok::Ident(n) if n == "defineConfig")
                && w[1].0 == Tok::Punct('(')
                && w[2].0 == Tok::Punct('{')
        })
        .map(|p| p + 2)
        .or_else(|| {
            toks.windows(3)
                .position(|w| {
                    matches!(&w[0].0, Tok::Ident(n) if n == "export")
                        && matches!(&w[1].0, Tok::Ident(n) if n == "default")
                        && w[2].0 == Tok::Punct('{')
                })
                .map(|p| p + 2)
        })
        .or_else(|| toks.iter().position(|t| t.0 == Tok::Punct('{')));
    let mut config = PrismaConfig::default();
    if let Some(start) = start {
        object(text, &toks, start, "", &mut config.entries, 0);
    }
    config
}

/// Read the object literal whose `{` is at `toks[open]`; returns the index after its `}`.
fn object(
    text: &str,
    toks: &[(Tok, Range<usize>)],
    open: usize,
    prefix: &str,
    out: &mut Vec<ConfigEntry>,
    depth: usize,
) -> usize {
    let mut i = open + 1;
    while i < toks.len() {
        match &toks[i].0 {
            Tok::Punct('}') => return i + 1,
            Tok::Punct(',') => {
                i += 1;
                continue;
            }
            Tok::Ident(key) | Tok::Str(key)
                if toks.get(i + 1).is_some_and(|t| t.0 == Tok::Punct(':')) =>
            {
                let key_range = toks[i].1.clone();
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                let vstart = i + 2;
                if toks.get(vstart).is_some_and(|t| t.0 == Tok::Punct('{')) && depth < 16 {
                    i = object(text, toks, vstart, &path, out, depth + 1);
                    continue;
                }
                let vend = expr_end(toks, vstart);
                if vstart < vend {
                    let range = toks[vstart].1.start..toks[vend - 1].1.end;
                    out.push(ConfigEntry {
                        path,
                        value: classify(&toks[vstart..vend], &text[range.clone()]),
                        range,
                        key_range,
                    });
                }
                i = vend;
            }
            Tok::Ident(key) => {
                // Shorthand property `{ adapter }` or a method `adapter() {...}` /
                // `async adapter() {...}`.
                let key_range = toks[i].1.clone();
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                if key == "async" {
                    i += 1;
                    continue;
                }
                out.push(ConfigEntry {
                    path,
                    value: ConfigValue::Other(key.clone()),
                    range: key_range.clone(),
                    key_range,
                });
                i = expr_end(toks, i + 1).max(i + 1);
            }
            _ => i = expr_end(toks, i + 1).max(i + 1),
        }
    }
    toks.len()
}

/// The index after the expression starting at `start` (stops at `,` or `}` at depth 0).
fn expr_end(toks: &[(Tok, Range<usize>)], start: usize) -> usize {
    let mut depth = 0i32;
    let mut i = start;
    while i < toks.len() {
        match toks[i].0 {
            Tok::Punct('(' | '[' | '{') => depth += 1,
            Tok::Punct(')' | ']' | '}') => {
                if depth == 0 {
                    return i;
                }
                depth -= 1;
            }
            Tok::Punct(',') if depth == 0 => return i,
            _ => {}
        }
        i += 1;
    }
    i
}

fn classify(toks: &[(Tok, Range<usize>)], raw: &str) -> ConfigValue {
    let t: Vec<&Tok> = toks.iter().map(|(t, _)| t).collect();
    match t.as_slice() {
        [Tok::Str(s)] => ConfigValue::Str(s.clone()),
        [Tok::Ident(f), Tok::Punct('('), Tok::Str(name), ..] if f == "env" => {
            ConfigValue::Env(name.clone())
        }
        [
            Tok::Ident(p),
            Tok::Punct('.'),
            Tok::Ident(e),
            Tok::Punct('.'),
            Tok::Ident(name),
            ..,
        ] if p == "process" && e == "env" => ConfigValue::ProcessEnv(name.clone()),
        [
            Tok::Ident(p),
            Tok::Punct('.'),
            Tok::Ident(e),
            Tok::Punct('['),
            Tok::Str(name),
            ..,
        ] if p == "process" && e == "env" => ConfigValue::ProcessEnv(name.clone()),
        _ => {
            let mut end = raw.len().min(200);
            while !raw.is_char_boundary(end) {
                end -= 1;
            }
            ConfigValue::Other(raw[..end].to_string())
        }
    }
}
