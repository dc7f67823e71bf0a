//! A SQL lexer and statement splitter that understands what breaks naive `;` splitting:
//! `'...'` strings (with `''`), `E'...'` strings (with backslash escapes), MySQL backslash
//! escapes, `"quoted"` and `` `backquoted` `` identifiers, `$$`/`$tag$` dollar quotes,
//! `--`/`#` line comments and nested `/* */` block comments, and `BEGIN ... END` bodies of
//! SQLite/MySQL triggers and `BEGIN ATOMIC` SQL functions.
//!
//! The lexer never fails: unterminated strings and comments run to the end of the input and are
//! flagged, so the caller can report them.

use super::Dialect;
use rowan::{TextRange, TextSize};

/// The kind of a lexed token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A bare word: keyword or unquoted identifier.
    Word,
    /// A quoted identifier (`"x"`, `` `x` ``, `[x]`).
    QuotedIdent,
    /// A string literal (`'x'`, `E'x'`, `N'x'`, `B'01'`, ...).
    String,
    /// A dollar-quoted string (`$$...$$`, `$tag$...$tag$`).
    DollarString,
    /// A number.
    Number,
    /// A positional parameter (`$1`) or `?`.
    Param,
    /// One punctuation character: `( ) , ; . [ ]`.
    Punct,
    /// An operator (`::`, `=`, `<>`, `||`, ...).
    Operator,
    /// A line or block comment.
    Comment,
}

/// One token: its kind and byte range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Kind.
    pub kind: TokenKind,
    /// Byte range in the file.
    pub start: u32,
    /// End (exclusive).
    pub end: u32,
    /// `true` for a string, quoted identifier or comment that runs to the end of input.
    pub unterminated: bool,
}

impl Token {
    /// The token's text.
    pub fn text<'a>(&self, src: &'a str) -> &'a str {
        src.get(self.start as usize..self.end as usize)
            .unwrap_or("")
    }
    /// The byte range.
    pub fn range(&self) -> TextRange {
        TextRange::new(TextSize::from(self.start), TextSize::from(self.end))
    }
    /// Whether this is the keyword `kw` (case-insensitive bare word).
    pub fn is_kw(&self, src: &str, kw: &str) -> bool {
        self.kind == TokenKind::Word && self.text(src).eq_ignore_ascii_case(kw)
    }
    /// Whether this is punctuation or an operator equal to `p`.
    pub fn is_punct(&self, src: &str, p: &str) -> bool {
        matches!(self.kind, TokenKind::Punct | TokenKind::Operator) && self.text(src) == p
    }
}

/// Lex `src` into tokens (comments included).
pub fn lex(src: &str, dialect: Dialect) -> Vec<Token> {
    let bytes = src.as_bytes();
    let n = bytes.len();
    let mut out = Vec::with_capacity(n / 5);
    let mut i = 0usize;
    let backslash_strings = matches!(dialect, Dialect::MySql);
    while i < n {
        let b = bytes[i];
        let start = i;
        let mut unterminated = false;
        let kind = match b {
            b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => {
                i += 1;
                continue;
            }
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                i = memchr_nl(bytes, i);
                TokenKind::Comment
            }
            b'#' if dialect == Dialect::MySql => {
                i = memchr_nl(bytes, i);
                TokenKind::Comment
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                // PostgreSQL nests block comments; MySQL/SQLite do not.
                let nests = dialect.is_postgres();
                let mut depth = 1usize;
                i += 2;
                loop {
                    if i + 1 >= n {
                        i = n;
                        unterminated = true;
                        break;
                    }
                    if bytes[i] == b'*' && bytes[i + 1] == b'/' {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else if nests && bytes[i] == b'/' && bytes[i + 1] == b'*' {
                        depth += 1;
                        i += 2;
                    } else {
                        i += 1;
                    }
                }
                TokenKind::Comment
            }
            b'\'' => {
                let (e, u) = scan_quoted(bytes, i + 1, b'\'', backslash_strings);
                i = e;
                unterminated = u;
                TokenKind::String
            }
            b'"' => {
                let (e, u) = scan_quoted(bytes, i + 1, b'"', false);
                i = e;
                unterminated = u;
                TokenKind::QuotedIdent
            }
            b'`' => {
                let (e, u) = scan_quoted(bytes, i + 1, b'`', false);
                i = e;
                unterminated = u;
                TokenKind::QuotedIdent
            }
            b'[' if matches!(dialect, Dialect::SqlServer | Dialect::Sqlite) => {
                match bytes[i + 1..].iter().position(|&c| c == b']') {
                    Some(p) => i += p + 2,
                    None => {
                        i = n;
                        unterminated = true;
                    }
                }
                TokenKind::QuotedIdent
            }
            b'$' => {
                // $1 parameter, or $tag$ dollar quote.
                if bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
                    i += 1;
                    while i < n && bytes[i].is_ascii_digit() {
                        i += 1;
                    }
                    TokenKind::Param
                } else if let Some(tag_end) = dollar_tag_end(bytes, i) {
                    let tag = &bytes[i..=tag_end];
                    let body = tag_end + 1;
                    match find(bytes, body, tag) {
                        Some(p) => i = p + tag.len(),
                        None => {
                            i = n;
                            unterminated = true;
                        }
                    }
                    TokenKind::DollarString
                } else {
                    i += 1;
                    TokenKind::Operator
                }
            }
            b'0'..=b'9' => {
                while i < n
                    && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'.' || bytes[i] == b'_')
                {
                    // 1e-5
                    if (bytes[i] == b'e' || bytes[i] == b'E')
                        && matches!(bytes.get(i + 1), Some(b'-' | b'+'))
                    {
                        i += 1;
                    }
                    i += 1;
                }
                TokenKind::Number
            }
            b'.' if bytes.get(i + 1).is_some_and(u8::is_ascii_digit) => {
                i += 1;
                while i < n && bytes[i].is_ascii_digit() {
                    i += 1;
                }
                TokenKind::Number
            }
            b'(' | b')' | b',' | b';' | b'.' | b'[' | b']' | b'{' | b'}' => {
                i += 1;
                TokenKind::Punct
            }
            b'?' => {
                i += 1;
                TokenKind::Param
            }
            c if c == b'_' || c.is_ascii_alphabetic() || c >= 0x80 => {
                // String prefixes: E'..', N'..', B'..', X'..', U&'..'.
                let next = bytes.get(i + 1).copied();
                if next == Some(b'\'') && matches!(c, b'e' | b'E') {
                    let (e, u) = scan_quoted(bytes, i + 2, b'\'', true);
                    i = e;
                    unterminated = u;
                    TokenKind::String
                } else if next == Some(b'\'')
                    && matches!(c, b'n' | b'N' | b'b' | b'B' | b'x' | b'X')
                {
                    let (e, u) = scan_quoted(bytes, i + 2, b'\'', backslash_strings);
                    i = e;
                    unterminated = u;
                    TokenKind::String
                } else {
                    while i < n
                        && (bytes[i] == b'_'
                            || bytes[i] == b'$'
                            || bytes[i].is_ascii_alphanumeric()
                            || bytes[i] >= 0x80)
                    {
                        i += 1;
                    }
                    TokenKind::Word
                }
            }
            _ => {
                // Operators: a run of operator characters, but `::` and single chars are
                // enough for our purposes.
                i += 1;
                while i < n && is_op_char(bytes[i]) && is_op_char(b) {
                    // don't swallow the start of a comment
                    if (bytes[i] == b'-' && bytes.get(i + 1) == Some(&b'-'))
                        || (bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'*'))
                    {
                        break;
                    }
                    i += 1;
                }
                TokenKind::Operator
            }
        };
        // Never split a UTF-8 character.
        while i < n && !src.is_char_boundary(i) {
            i += 1;
        }
        let i32_end = i.min(n);
        out.push(Token {
            kind,
            start: start as u32,
            end: i32_end as u32,
            unterminated,
        });
        i = i32_end;
    }
    out
}

fn is_op_char(c: u8) -> bool {
    matches!(
        c,
        b'+' | b'-'
            | b'*'
            | b'/'
            | b'<'
            | b'>'
            | b'='
            | b'~'
            | b'!'
            | b'@'
            | b'%'
            | b'^'
            | b'&'
            | b'|'
            | b':'
    )
}

fn memchr_nl(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|&c| c == b'\n')
        .map_or(bytes.len(), |p| from + p)
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || from > hay.len() {
        return None;
    }
    hay[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

/// If a dollar-quote tag starts at `i` (`$$` or `$ident$`), the index of its closing `$`.
fn dollar_tag_end(bytes: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    while j < bytes.len() {
        let c = bytes[j];
        if c == b'$' {
            return Some(j);
        }
        let ok =
            c == b'_' || c.is_ascii_alphabetic() || c >= 0x80 || (j > i + 1 && c.is_ascii_digit());
        if !ok {
            return None;
        }
        j += 1;
    }
    None
}

/// Scan a quoted token body starting after the opening quote; returns (end, unterminated).
fn scan_quoted(bytes: &[u8], mut i: usize, quote: u8, backslash: bool) -> (usize, bool) {
    let n = bytes.len();
    while i < n {
        let c = bytes[i];
        if backslash && c == b'\\' {
            i += 2;
            continue;
        }
        if c == quote {
            if bytes.get(i + 1) == Some(&quote) {
                i += 2;
                continue;
            }
            return (i + 1, false);
        }
        i += 1;
    }
    (n, true)
}

/// One statement of a file: its byte range (without the terminating `;`) and its tokens
/// (comments excluded) as a range into the file's token list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawStatement {
    /// Byte range from the first to the last token (comments before it excluded).
    pub range: TextRange,
    /// Index range into the non-comment tokens of the file.
    pub tokens: std::ops::Range<usize>,
}

/// Split `src` into statements. Returns the code tokens (comments removed), the comment tokens
/// and the statements.
pub fn split(src: &str, dialect: Dialect) -> (Vec<Token>, Vec<Token>, Vec<RawStatement>) {
    let all = lex(src, dialect);
    let (comments, code): (Vec<Token>, Vec<Token>) =
        all.into_iter().partition(|t| t.kind == TokenKind::Comment);
    let mut stmts = Vec::new();
    let mut start = 0usize;
    let mut block_depth = 0usize; // BEGIN ... END nesting inside a trigger/atomic body
    let mut body_allowed = false; // statement is a CREATE TRIGGER / BEGIN ATOMIC
    let mut i = 0usize;
    while i < code.len() {
        let t = code[i];
        if i == start {
            body_allowed = false;
            block_depth = 0;
        }
        if t.kind == TokenKind::Word {
            let w = t.text(src);
            if !body_allowed
                && (w.eq_ignore_ascii_case("TRIGGER")
                    && !dialect.is_postgres()
                    && starts_with_create(&code[start..i], src)
                    || w.eq_ignore_ascii_case("ATOMIC")
                        && i > start
                        && code[i - 1].is_kw(src, "BEGIN"))
            {
                body_allowed = true;
                if w.eq_ignore_ascii_case("ATOMIC") {
                    block_depth += 1;
                }
            } else if body_allowed {
                if w.eq_ignore_ascii_case("BEGIN")
                    && !code.get(i + 1).is_some_and(|n| n.is_kw(src, "ATOMIC"))
                    || w.eq_ignore_ascii_case("CASE")
                {
                    block_depth += 1;
                } else if w.eq_ignore_ascii_case("END") {
                    // `END IF`, `END LOOP` close constructs we did not count.
                    let next = code.get(i + 1);
                    let closes_other = next.is_some_and(|n| {
                        n.is_kw(src, "IF")
                            || n.is_kw(src, "LOOP")
                            || n.is_kw(src, "WHILE")
                            || n.is_kw(src, "REPEAT")
                    });
                    if !closes_other {
                        block_depth = block_depth.saturating_sub(1);
                    }
                }
            }
        }
        if t.kind == TokenKind::Punct && t.text(src) == ";" && block_depth == 0 {
            if i > start {
                stmts.push(RawStatement {
                    range: TextRange::new(
                        TextSize::from(code[start].start),
                        TextSize::from(code[i - 1].end),
                    ),
                    tokens: start..i,
                });
            }
            start = i + 1;
        }
        i += 1;
    }
    if start < code.len() {
        stmts.push(RawStatement {
            range: TextRange::new(
                TextSize::from(code[start].start),
                TextSize::from(code[code.len() - 1].end),
            ),
            tokens: start..code.len(),
        });
    }
    (code, comments, stmts)
}

fn starts_with_create(toks: &[Token], src: &str) -> bool {
    toks.first().is_some_and(|t| t.is_kw(src, "CREATE"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stmts(src: &str, d: Dialect) -> Vec<String> {
        let (_, _, s) = split(src, d);
        s.iter()
            .map(|s| src[usize::from(s.range.start())..usize::from(s.range.end())].to_string())
            .collect()
    }

    #[test]
    fn splits_around_quotes_and_comments() {
        let src = "SELECT ';'; -- a ; comment\nSELECT E'it\\'s;'; /* x; /* nested; */ y; */ SELECT \"a;b\";\nSELECT $$ a; b $$; SELECT $fn$ x $$ ; $fn$";
        let s = stmts(src, Dialect::Postgres);
        assert_eq!(
            s,
            [
                "SELECT ';'",
                "SELECT E'it\\'s;'",
                "SELECT \"a;b\"",
                "SELECT $$ a; b $$",
                "SELECT $fn$ x $$ ; $fn$"
            ]
        );
    }

    #[test]
    fn sqlite_trigger_body_is_one_statement() {
        let src = "CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE a SET x = CASE WHEN 1 THEN 2 END; DELETE FROM b; END; SELECT 1;";
        let s = stmts(src, Dialect::Sqlite);
        assert_eq!(s.len(), 2, "{s:?}");
    }

    #[test]
    fn unterminated_input_never_panics() {
        for src in [
            "'abc", "\"abc", "/* abc", "$$ abc", "$a$ x", "E'\\", "é'", "$", "[x",
        ] {
            let _ = split(src, Dialect::Postgres);
            let _ = split(src, Dialect::MySql);
            let _ = split(src, Dialect::Sqlite);
        }
    }
}
