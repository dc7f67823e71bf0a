//! The PSL lexer: a single pass over the bytes of the input, no regex, no allocation per token.
//!
//! Every byte of the input ends up in exactly one token, so concatenating the token texts gives
//! the input back. The lexer never fails: bytes it does not understand become `ERROR_TOKEN`s
//! (consecutive ones are merged) and the parser reports them.
//!
//! Lexical facts checked against the Prisma 7 CLI:
//! - line ends are `\n`, `\r\n` and a lone `\r`;
//! - whitespace is spaces, tabs and the other Unicode space separators (e.g. U+00A0); form feed
//!   and vertical tab are not whitespace;
//! - identifiers start with a letter or digit (non-ASCII letters included) and continue with
//!   letters, digits, `_` and `-`; the lexer also accepts a leading `_` so the parser can report
//!   it precisely (Prisma rejects it);
//! - strings end at the closing quote or, unterminated, before the line end.

use super::kind::SyntaxKind::{self, *};

/// A lexed token: kind and byte length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Kind.
    pub kind: SyntaxKind,
    /// Length in bytes.
    pub len: u32,
}

/// Split `text` into tokens covering every byte, in order.
///
/// A UTF-8 byte order mark at offset 0 is lexed as `WHITESPACE`. Never panics.
pub fn lex(text: &str) -> Vec<Token> {
    let mut tokens: Vec<Token> = Vec::with_capacity(text.len() / 4 + 1);
    lex_with(text, |kind, len| tokens.push(Token { kind, len }));
    tokens
}

/// Lex `text`, handing every token (kind and byte length) to `sink` in order: what [`lex`]
/// returns, without materializing the vector (the parser keeps kinds and offsets apart).
pub(crate) fn lex_with(text: &str, mut sink: impl FnMut(SyntaxKind, u32)) {
    let bytes = text.as_bytes();
    let mut i = 0usize;
    while i < bytes.len() {
        let (kind, len) = next_token(text, bytes, i);
        // `len` is always >= 1, so the loop makes progress.
        let mut len = len.max(1);
        if kind == ERROR_TOKEN {
            len = error_run_len(text, bytes, i, len);
        }
        sink(kind, len as u32);
        i += len;
    }
}

/// Length of the run of error tokens starting at `i` (whose first token is `len` bytes long):
/// consecutive error tokens merge into one. Rare, so the one token re-lexed after the run costs
/// nothing that matters.
#[cold]
#[inline(never)]
fn error_run_len(text: &str, bytes: &[u8], i: usize, mut len: usize) -> usize {
    while i + len < bytes.len() {
        match next_token(text, bytes, i + len) {
            (ERROR_TOKEN, more) => len += more.max(1),
            _ => break,
        }
    }
    len
}

/// The kind and byte length of the token starting at `i` (a char boundary).
#[inline(always)]
fn next_token(text: &str, b: &[u8], i: usize) -> (SyntaxKind, usize) {
    let c = b[i];
    let next = b.get(i + 1).copied();
    match c {
        b' ' | b'\t' => (WHITESPACE, whitespace_len(text, b, i)),
        b'\n' => (NEWLINE, 1),
        b'\r' => (NEWLINE, if next == Some(b'\n') { 2 } else { 1 }),
        b'/' if next == Some(b'/') => {
            let kind = if b.get(i + 2) == Some(&b'/') {
                DOC_COMMENT
            } else {
                LINE_COMMENT
            };
            (kind, line_end(b, i) - i)
        }
        b'/' if next == Some(b'*') => (BLOCK_COMMENT, block_comment_len(b, i)),
        b'"' => (STRING, string_len(b, i)),
        b'0'..=b'9' => number_or_ident(text, b, i),
        b'-' if next.is_some_and(|n| n.is_ascii_digit()) => (NUMBER, 1 + number_len(b, i + 1)),
        b'A'..=b'Z' | b'a'..=b'z' | b'_' => (IDENT, ident_len(text, b, i)),
        b'{' => (L_BRACE, 1),
        b'}' => (R_BRACE, 1),
        b'(' => (L_PAREN, 1),
        b')' => (R_PAREN, 1),
        b'[' => (L_BRACK, 1),
        b']' => (R_BRACK, 1),
        b',' => (COMMA, 1),
        b':' => (COLON, 1),
        b'=' => (EQ, 1),
        b'.' => (DOT, 1),
        b'?' => (QUESTION, 1),
        b'@' if next == Some(b'@') => (AT_AT, 2),
        b'@' => (AT, 1),
        0x80.. => {
            let ch = char_at(text, i);
            if ch == '\u{FEFF}' && i == 0 {
                (WHITESPACE, ch.len_utf8())
            } else if is_space_separator(ch) {
                (WHITESPACE, whitespace_len(text, b, i))
            } else if ch.is_alphanumeric() {
                (IDENT, ident_len(text, b, i))
            } else {
                (ERROR_TOKEN, ch.len_utf8())
            }
        }
        _ => (ERROR_TOKEN, 1),
    }
}

/// The char starting at byte `i` (a char boundary of `text`).
fn char_at(text: &str, i: usize) -> char {
    text.get(i..)
        .and_then(|s| s.chars().next())
        .unwrap_or('\u{FFFD}')
}

/// Unicode `Zs` (space separators) other than the ASCII space.
fn is_space_separator(ch: char) -> bool {
    matches!(
        ch,
        '\u{00A0}' | '\u{1680}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}'
    )
}

fn whitespace_len(text: &str, b: &[u8], start: usize) -> usize {
    let mut i = start;
    while i < b.len() {
        match b[i] {
            b' ' | b'\t' => i += 1,
            0x80.. => {
                let ch = char_at(text, i);
                if is_space_separator(ch) {
                    i += ch.len_utf8();
                } else {
                    break;
                }
            }
            _ => break,
        }
    }
    i - start
}

/// Offset of the first `\n` or `\r` at or after `i`, or the end of input.
fn line_end(b: &[u8], i: usize) -> usize {
    b[i..]
        .iter()
        .position(|&c| c == b'\n' || c == b'\r')
        .map_or(b.len(), |p| i + p)
}

fn block_comment_len(b: &[u8], start: usize) -> usize {
    let mut i = start + 2;
    while i + 1 < b.len() {
        if b[i] == b'*' && b[i + 1] == b'/' {
            return i + 2 - start;
        }
        i += 1;
    }
    b.len() - start
}

/// A string from its opening quote to its closing quote, or up to (excluding) the line end.
/// A backslash escapes the next byte unless that is a line end. Multi-byte chars need no care:
/// their bytes never equal `"`, `\`, `\n` or `\r`.
fn string_len(b: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < b.len() {
        match b[i] {
            b'"' => return i + 1 - start,
            b'\n' | b'\r' => return i - start,
            b'\\' => match b.get(i + 1) {
                Some(b'\n' | b'\r') | None => i += 1,
                Some(_) => i += 2,
            },
            _ => i += 1,
        }
    }
    b.len().min(i) - start
}

/// Digits with an optional `.digits` fraction (the fraction only if a digit follows the dot).
fn number_len(b: &[u8], start: usize) -> usize {
    let mut i = start;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    if i + 1 < b.len() && b[i] == b'.' && b[i + 1].is_ascii_digit() {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
    }
    i - start
}

/// A run of digits is a `NUMBER` unless identifier characters follow (`1A` is an identifier,
/// which Prisma accepts as a name and rejects later for starting with a digit).
fn number_or_ident(text: &str, b: &[u8], start: usize) -> (SyntaxKind, usize) {
    let mut i = start;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    if i < b.len() && is_ident_continue_at(text, b, i) {
        return (IDENT, ident_len(text, b, start));
    }
    (NUMBER, number_len(b, start))
}

fn is_ident_continue_at(text: &str, b: &[u8], i: usize) -> bool {
    match b[i] {
        b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-' => true,
        0x80.. => char_at(text, i).is_alphanumeric(),
        _ => false,
    }
}

/// Bytes that continue an identifier in the ASCII fast path: letters, digits, `_`, `-`
/// (non-ASCII bytes stop it; the slow path decides on the whole char).
const IDENT_CONTINUE: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 128 {
        let b = c as u8;
        t[c] = b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
        c += 1;
    }
    t
};

fn ident_len(text: &str, b: &[u8], start: usize) -> usize {
    // ASCII fast path: one table lookup per byte.
    let rest = b.get(start..).unwrap_or_default();
    let mut i = start
        + rest
            .iter()
            .position(|&c| !IDENT_CONTINUE[c as usize])
            .unwrap_or(rest.len());
    while i < b.len() {
        match b[i] {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-' => i += 1,
            0x80.. => {
                let ch = char_at(text, i);
                if ch.is_alphanumeric() {
                    i += ch.len_utf8();
                } else {
                    break;
                }
            }
            _ => break,
        }
    }
    (i - start).max(1)
}
