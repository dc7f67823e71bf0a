//! Mutations of valid inputs for property tests: insert, delete or replace fragments that
//! matter to the PSL grammar at arbitrary char boundaries. Used by the parser and audit
//! property tests.

use proptest::prelude::*;

/// Characters and fragments that matter to the PSL grammar.
pub const ALPHABET: &[&str] = &[
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    "@",
    "@@",
    ".",
    ",",
    ":",
    "=",
    "?",
    "!",
    "\"",
    "\\",
    "/",
    "*",
    "//",
    "///",
    "/*",
    "*/",
    "\n",
    "\r",
    "\r\n",
    "\t",
    " ",
    "-",
    "_",
    "a",
    "Z",
    "0",
    "9",
    "é",
    "\u{a0}",
    "\u{feff}",
    "model ",
    "enum ",
    "type ",
    "datasource ",
    "@id",
    "Int",
    "[]",
    "\0",
];

#[derive(Debug, Clone)]
pub enum Edit {
    Insert(usize, usize),
    Delete(usize, usize),
    Replace(usize, usize),
}

pub fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), 0..ALPHABET.len()).prop_map(|(p, c)| Edit::Insert(p, c)),
        (any::<usize>(), 1usize..8).prop_map(|(p, n)| Edit::Delete(p, n)),
        (any::<usize>(), 0..ALPHABET.len()).prop_map(|(p, c)| Edit::Replace(p, c)),
    ]
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

pub fn apply(base: &str, edits: &[Edit]) -> String {
    let mut s = base.to_string();
    for e in edits {
        let len = s.len().max(1);
        match *e {
            Edit::Insert(p, c) => {
                let at = floor_boundary(&s, p % (len + 1));
                s.insert_str(at, ALPHABET[c]);
            }
            Edit::Delete(p, n) => {
                let at = floor_boundary(&s, p % len);
                let end = floor_boundary(&s, at + n);
                s.replace_range(at..end, "");
            }
            Edit::Replace(p, c) => {
                let at = floor_boundary(&s, p % len);
                let end = s[at..].chars().next().map_or(at, |ch| at + ch.len_utf8());
                s.replace_range(at..end, ALPHABET[c]);
            }
        }
    }
    s
}
