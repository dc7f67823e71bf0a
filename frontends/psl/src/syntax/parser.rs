//! The PSL recursive-descent parser: tokens → lossless rowan green tree + syntax errors.
//!
//! Design:
//! - Tokens are emitted lazily. Trivia (whitespace, comments and newlines the parser stepped
//!   over) is only flushed into the tree right before the next token or node start, so no node
//!   but `SOURCE_FILE` starts or ends with trivia, and comments above an item are its preceding
//!   siblings.
//! - PSL is line based: a field, enum value, entry or block attribute ends at the line end.
//!   Whatever is left on the line becomes an `ERROR` node, and recovery restarts on the next
//!   line, at the next `}` or at the next top-level declaration (a line that starts like
//!   `model Name {` inside a block means the block's `}` is missing).
//! - Nesting of arrays and argument lists is capped at [`MAX_DEPTH`]; every loop consumes a
//!   token or leaves, and look-ahead scans are bounded, so parsing is linear and never panics.
//!
//! What is a syntax error follows the Prisma 7 CLI (`prisma validate`), which was used as the
//! oracle. Notable facts (all verified):
//! - `{` must end its line: Prisma ignores the rest of that line, a `}` there included, so
//!   `model A {}` and `model A { id Int }` leave the block open (an error unless a later `}`
//!   closes it). We keep such text in an `ERROR` node inside the body, with no error of its own.
//! - Line breaks are not allowed inside argument lists and arrays. We report the first one but
//!   keep parsing the construct when its closing bracket follows within a few lines, so a
//!   multi-line `@@index([...])` still yields a useful tree.
//! - Trailing commas are errors, both in arrays and in argument lists.
//! - Block comments are fine on their own lines, before an item on its line and at the end of
//!   an item's line, but not between the tokens of one item (`a /* x */ Int` is rejected).
//! - A UTF-8 byte order mark is rejected.
//! - `Type[]?` is rejected ("optional lists are not supported"): reported here, at the `?`.
//! - `name: Type` (legacy colon), `Type!` and `[Type]` are rejected with dedicated messages.
//! - Names starting with `_` are rejected; names starting with a digit or containing `-` are
//!   syntactically fine (Prisma rejects them during validation, which is the model's job).
//! - Strings: raw control characters and unknown escapes (anything but `\" \\ \/ \b \f \n \r
//!   \t \uXXXX`) are rejected.
//! - Numbers are `-?digits(.digits)?`: `1.`, `.5` and `1e5` are rejected.

use super::{
    SyntaxError,
    kind::SyntaxKind::{self, *},
    lexer::lex_with,
    tree::{Tree, TreeBuilder},
};
use rowan::{TextRange, TextSize};

/// Sentinel kind returned by look-ahead past the last token (a node kind, never a token).
const EOF: SyntaxKind = SOURCE_FILE;
/// Maximum nesting of arrays and argument lists.
const MAX_DEPTH: u32 = 128;
/// How many tokens the "does this bracket close on a later line" scan may look at.
const SCAN_LIMIT: usize = 256;

/// Parse `text` into a flat tree covering every byte, plus syntax errors in source order.
pub(crate) fn parse(text: &str) -> (Tree, Vec<SyntaxError>) {
    let mut p = Parser::new(text);
    p.source_file();
    p.finish()
}

/// What a block body contains.
#[derive(Clone, Copy, PartialEq, Eq)]
enum BodyKind {
    /// `model`, `view`, `type`: fields and `@@` attributes.
    Fields,
    /// `enum`: values and `@@` attributes.
    Values,
    /// `datasource`, `generator`: `key = value` entries.
    Config,
}

struct Parser<'t> {
    text: &'t str,
    kinds: Vec<SyntaxKind>,
    /// Start offset of every token, plus the end of input.
    starts: Vec<u32>,
    /// First token not yet emitted into the tree.
    pos: usize,
    /// The current token: first token at or after `pos` that is not whitespace or a comment
    /// (newlines are significant and are returned; stepping over one leaves it pending).
    cur: usize,
    builder: TreeBuilder,
    errors: Vec<SyntaxError>,
    /// Non-zero while inside a field, enum value, entry, block attribute or declaration header:
    /// block comments flushed there sit between the tokens of one item, which Prisma rejects.
    in_item: u32,
    /// Current nesting of arrays and argument lists.
    depth: u32,
    /// End offset of the last emitted non-trivia token (insertion point of missing tokens).
    last_end: u32,
    /// A newline from which the "closes on a later line" scan already failed.
    failed_scan: usize,
}

fn is_skipped(kind: SyntaxKind) -> bool {
    matches!(
        kind,
        WHITESPACE | LINE_COMMENT | DOC_COMMENT | BLOCK_COMMENT
    )
}

const KEYWORDS: [&str; 6] = ["model", "view", "type", "enum", "datasource", "generator"];

impl<'t> Parser<'t> {
    fn new(text: &'t str) -> Self {
        // About one token per 3.3 bytes in real schemas; the vectors grow if needed and are
        // trimmed at the end (the tree is kept for the whole audit).
        let estimate = text.len() / 3 + 16;
        let mut kinds = Vec::with_capacity(estimate);
        let mut starts = Vec::with_capacity(estimate + 1);
        let mut offset = 0u32;
        lex_with(text, |kind, len| {
            kinds.push(kind);
            starts.push(offset);
            offset += len;
        });
        starts.push(offset);
        let tokens = kinds.len();
        let mut p = Parser {
            text,
            kinds,
            starts,
            pos: 0,
            cur: 0,
            // Schemas have 0.54-0.70 nodes per token (fixtures, vet-clinic, the benchmark's
            // generated schema): reserving 3/4 avoids regrowing (and copying) the node vector,
            // and `finish` trims what is left.
            builder: TreeBuilder::with_capacity(tokens, tokens * 3 / 4 + 16),
            errors: Vec::new(),
            in_item: 0,
            depth: 0,
            last_end: 0,
            failed_scan: usize::MAX,
        };
        p.cur = p.next_significant(0);
        p
    }

    fn finish(mut self) -> (Tree, Vec<SyntaxError>) {
        self.errors.sort_by_key(|e| e.range.start());
        let tree = self.builder.finish(self.text, self.kinds, self.starts);
        (tree, self.errors)
    }

    // --- token access -------------------------------------------------------------------

    fn kind_at(&self, i: usize) -> SyntaxKind {
        self.kinds.get(i).copied().unwrap_or(EOF)
    }

    fn text_at(&self, i: usize) -> &'t str {
        let start = self.starts.get(i).copied().unwrap_or(0) as usize;
        let end = self.starts.get(i + 1).copied().unwrap_or(start as u32) as usize;
        self.text.get(start..end).unwrap_or("")
    }

    fn range_at(&self, i: usize) -> TextRange {
        let end = self.starts.last().copied().unwrap_or(0);
        let start = self.starts.get(i).copied().unwrap_or(end);
        let stop = self.starts.get(i + 1).copied().unwrap_or(end);
        TextRange::new(start.into(), stop.into())
    }

    /// First index >= `i` whose token is not whitespace or a comment.
    fn next_significant(&self, mut i: usize) -> usize {
        while i < self.kinds.len() && is_skipped(self.kinds[i]) {
            i += 1;
        }
        i
    }

    fn current(&self) -> SyntaxKind {
        self.kind_at(self.cur)
    }

    fn cur_text(&self) -> &'t str {
        self.text_at(self.cur)
    }

    /// Index of the `n`-th significant token after token `i` (newlines count as tokens).
    fn nth_index_from(&self, i: usize, n: usize) -> usize {
        let mut i = i;
        for _ in 0..n {
            if i >= self.kinds.len() {
                break;
            }
            i = self.next_significant(i + 1);
        }
        i
    }

    fn nth(&self, n: usize) -> SyntaxKind {
        self.kind_at(self.nth_index_from(self.cur, n))
    }

    /// No trivia between the last emitted token and the current one.
    fn adjacent(&self) -> bool {
        self.cur == self.pos
    }

    /// Does a top-level declaration (`model Name {`) start at token `i`?
    fn is_decl_start(&self, i: usize) -> bool {
        self.kind_at(i) == IDENT
            && KEYWORDS.contains(&self.text_at(i))
            && self.kind_at(self.nth_index_from(i, 1)) == IDENT
            && self.kind_at(self.nth_index_from(i, 2)) == L_BRACE
    }

    // --- tree building ------------------------------------------------------------------

    /// Emit token `i` into the current node (tokens are emitted in order, so this only
    /// checks what a token's position can make wrong).
    #[inline(always)]
    fn emit(&mut self, i: usize) {
        self.builder.token();
        if self.kinds.get(i) == Some(&BLOCK_COMMENT) {
            self.check_block_comment(i);
        }
    }

    /// Errors of a block comment: unterminated, or between the parts of one item.
    #[cold]
    #[inline(never)]
    fn check_block_comment(&mut self, i: usize) {
        let text = self.text_at(i);
        if text.len() < 4 || !text.ends_with("*/") {
            self.error(self.range_at(i), "unterminated block comment");
        } else if self.in_item > 0 {
            self.error(
                self.range_at(i),
                "block comments are only allowed on their own line, before an item or at \
                 the end of a line, not between the parts of one declaration",
            );
        }
    }

    /// Emit the pending trivia before the current token.
    fn flush(&mut self) {
        while self.pos < self.cur {
            self.emit(self.pos);
            self.pos += 1;
        }
    }

    /// Emit pending trivia and the current token, then move to the next significant token.
    fn bump(&mut self) {
        if self.cur >= self.kinds.len() {
            return;
        }
        self.flush();
        self.emit(self.cur);
        self.last_end = self.starts[self.cur + 1];
        self.pos = self.cur + 1;
        self.cur = self.next_significant(self.pos);
    }

    /// Step over the current token (a newline) without emitting it: it stays pending trivia.
    fn skip(&mut self) {
        if self.cur < self.kinds.len() {
            self.cur = self.next_significant(self.cur + 1);
        }
    }

    fn start_node(&mut self, kind: SyntaxKind) {
        self.flush();
        self.builder.start_node(kind, self.pos as u32);
    }

    fn finish_node(&mut self) {
        self.builder.finish_node(self.pos as u32);
    }

    fn checkpoint(&mut self) -> (u32, u32) {
        self.flush();
        self.builder.checkpoint(self.pos as u32)
    }

    fn error(&mut self, range: TextRange, message: impl Into<String>) {
        self.errors.push(SyntaxError {
            message: message.into(),
            range,
        });
    }

    /// Error for a missing token, at the end of the last token. Suppressed when the previous
    /// error already reaches that point (avoids cascades such as 128 "expected `]`").
    fn error_missing(&mut self, message: &str) {
        let at = TextSize::from(self.last_end);
        if self.errors.last().is_some_and(|e| e.range.end() >= at) {
            return;
        }
        self.error(TextRange::empty(at), message);
    }

    fn error_at_current(&mut self, message: &str) {
        if self.cur >= self.kinds.len() || self.current() == NEWLINE {
            self.error_missing(message);
        } else {
            self.error(self.range_at(self.cur), message);
        }
    }

    /// Wrap tokens in an `ERROR` node until one of `stop` (or the end of input) and report it.
    /// Consumes at least one token unless the current one is a stop token.
    fn junk(&mut self, stop: &[SyntaxKind], message: &str) {
        if self.current() == EOF || stop.contains(&self.current()) {
            return;
        }
        let start = self.starts[self.cur];
        self.start_node(ERROR);
        while self.current() != EOF && !stop.contains(&self.current()) {
            self.bump();
        }
        self.finish_node();
        let range = TextRange::new(start.into(), self.last_end.into());
        self.error(range, message);
    }

    // --- grammar ------------------------------------------------------------------------

    fn source_file(&mut self) {
        self.builder.start_node(SOURCE_FILE, 0);
        if self.text.starts_with('\u{FEFF}') {
            self.error(
                TextRange::new(0.into(), 3.into()),
                "a UTF-8 byte order mark is not allowed in a Prisma schema",
            );
        }
        loop {
            match self.current() {
                EOF => break,
                NEWLINE => self.skip(),
                IDENT => self.top_level_item(),
                _ => self.junk(
                    &[NEWLINE],
                    "expected a declaration: `model`, `view`, `type`, `enum`, `datasource` or \
                     `generator`",
                ),
            }
        }
        // Everything left is trailing trivia.
        self.cur = self.kinds.len();
        self.flush();
        self.builder.finish_node(self.pos as u32);
    }

    fn top_level_item(&mut self) {
        match self.cur_text() {
            "model" | "view" => self.declaration(MODEL, BodyKind::Fields),
            "type" if self.nth(1) == IDENT && self.nth(2) == EQ => self.junk(
                &[NEWLINE],
                "type aliases are not supported; declare a composite type with `type Name { ... }`",
            ),
            "type" => self.declaration(COMPOSITE_TYPE, BodyKind::Fields),
            "enum" => self.declaration(ENUM, BodyKind::Values),
            "datasource" => self.declaration(DATASOURCE, BodyKind::Config),
            "generator" => self.declaration(GENERATOR, BodyKind::Config),
            _ => self.unknown_block(),
        }
    }

    /// An identifier at the start of a top-level line that is no keyword: a whole
    /// `name ... { ... }` block when a `{` follows on the line, else just the line.
    fn unknown_block(&mut self) {
        let mut i = self.cur;
        let mut has_brace = false;
        while !matches!(self.kind_at(i), NEWLINE | EOF) {
            if self.kind_at(i) == L_BRACE {
                has_brace = true;
                break;
            }
            i = self.nth_index_from(i, 1);
        }
        let message = format!(
            "unknown block type `{}`: expected `model`, `view`, `type`, `enum`, `datasource` or \
             `generator`",
            self.cur_text()
        );
        if !has_brace {
            self.junk(&[NEWLINE], &message);
            return;
        }
        let keyword = self.range_at(self.cur);
        self.error(keyword, message);
        self.start_node(ERROR);
        let mut braces = 0u32;
        loop {
            match self.current() {
                EOF => break,
                L_BRACE => {
                    braces += 1;
                    self.bump();
                }
                R_BRACE => {
                    self.bump();
                    if braces <= 1 {
                        break;
                    }
                    braces -= 1;
                }
                NEWLINE => {
                    let next = self.next_significant_skipping_newlines(self.cur);
                    if self.is_decl_start(next) {
                        break;
                    }
                    self.skip();
                }
                _ => self.bump(),
            }
        }
        self.finish_node();
    }

    fn next_significant_skipping_newlines(&self, mut i: usize) -> usize {
        while self.kind_at(i) == NEWLINE {
            i = self.next_significant(i + 1);
        }
        i
    }

    /// `keyword Name { body }`.
    fn declaration(&mut self, kind: SyntaxKind, body: BodyKind) {
        self.start_node(kind);
        self.in_item += 1;
        self.bump(); // keyword
        if self.current() == IDENT {
            self.name();
        } else {
            self.error_missing("expected a name");
        }
        self.junk(&[L_BRACE, NEWLINE], "expected `{`");
        if self.current() == NEWLINE {
            let next = self.next_significant_skipping_newlines(self.cur);
            if self.kind_at(next) == L_BRACE {
                self.error_missing("the `{` must be on the same line as the name");
                while self.current() == NEWLINE {
                    self.skip();
                }
            }
        }
        if self.current() == L_BRACE {
            self.body(body);
        } else {
            self.in_item -= 1;
            self.error_missing("expected `{`");
        }
        self.finish_node();
    }

    fn name(&mut self) {
        self.start_node(NAME);
        self.ident();
        self.finish_node();
    }

    /// Bump an identifier, checking that it starts with a letter or digit.
    fn ident(&mut self) {
        if self.cur_text().starts_with('_') {
            self.error(
                self.range_at(self.cur),
                "names must start with a letter or a digit",
            );
        }
        self.bump();
    }

    /// `{ ... }`; called with `in_item` raised by the declaration header, lowers it.
    fn body(&mut self, kind: BodyKind) {
        self.start_node(BLOCK_BODY);
        self.bump(); // `{`
        self.in_item -= 1;
        // Prisma ignores the rest of the line after `{`, a `}` there included: the block goes on
        // (`enum E {} x` followed by values and a `}` is valid).
        let mut ignored_brace = false;
        if !matches!(self.current(), NEWLINE | EOF) {
            self.start_node(ERROR);
            while !matches!(self.current(), NEWLINE | EOF) {
                ignored_brace |= self.current() == R_BRACE;
                self.bump();
            }
            self.finish_node();
        }
        let unclosed = if ignored_brace {
            "expected `}` on a line of its own: Prisma ignores the rest of the line after `{`, \
             the `}` there included"
        } else {
            "expected `}`"
        };
        loop {
            match self.current() {
                EOF => {
                    self.error_missing(unclosed);
                    break;
                }
                NEWLINE => self.skip(),
                R_BRACE => {
                    self.bump();
                    break;
                }
                AT_AT if kind != BodyKind::Config => {
                    self.block_attribute();
                    self.end_of_line();
                }
                IDENT if self.is_decl_start(self.cur) => {
                    // Reported on the declaration's line, where Prisma reports it: that line is
                    // invalid inside the unclosed block.
                    let message = if ignored_brace {
                        unclosed
                    } else {
                        "expected `}`: this declaration starts before the block above is closed"
                    };
                    self.error(self.range_at(self.cur), message);
                    break;
                }
                IDENT => {
                    match kind {
                        BodyKind::Fields => self.field(),
                        BodyKind::Values => self.enum_value(),
                        BodyKind::Config => self.key_value(),
                    }
                    self.end_of_line();
                }
                _ => {
                    let message = match kind {
                        BodyKind::Fields => "expected a field or a `@@` attribute",
                        BodyKind::Values => "expected an enum value or a `@@` attribute",
                        BodyKind::Config => "expected a `key = value` entry",
                    };
                    self.junk(&[NEWLINE, R_BRACE], message);
                }
            }
        }
        self.finish_node();
    }

    /// After an item: only trivia may follow on its line, and a block comment there must end it
    /// (Prisma rejects `a Int /* c */ // d` and `a Int /* c */ /* d */`).
    fn end_of_line(&mut self) {
        match self.current() {
            NEWLINE | EOF => {
                let trailing = self.pos..self.cur.min(self.kinds.len());
                let block = trailing.clone().find(|&i| self.kinds[i] == BLOCK_COMMENT);
                if let Some(b) = block
                    && let Some(c) = (b + 1..trailing.end).find(|&i| {
                        matches!(self.kinds[i], LINE_COMMENT | DOC_COMMENT | BLOCK_COMMENT)
                    })
                {
                    self.error(
                        self.range_at(c),
                        "a block comment at the end of a line must be the last thing on it",
                    );
                }
            }
            R_BRACE => {
                let range = self.range_at(self.cur);
                self.error(range, "expected a line break before `}`");
            }
            _ => self.junk(
                &[NEWLINE, R_BRACE],
                "unexpected text at the end of the line",
            ),
        }
    }

    /// `name Type? @attr ...`
    fn field(&mut self) {
        self.start_node(FIELD);
        self.in_item += 1;
        self.name();
        if self.current() == COLON {
            self.error(
                self.range_at(self.cur),
                "field declarations don't require a `:`",
            );
            self.bump();
        }
        match self.current() {
            IDENT | L_BRACK => self.field_type(),
            _ => self.error_missing("expected a field type"),
        }
        while self.current() == AT {
            self.field_attribute();
        }
        self.in_item -= 1;
        self.finish_node();
    }

    fn field_type(&mut self) {
        self.start_node(FIELD_TYPE);
        if self.current() == L_BRACK {
            // Legacy `[Type]`.
            let start = self.starts[self.cur];
            self.bump();
            if self.current() == IDENT {
                self.ident();
            }
            if self.current() == R_BRACK {
                self.bump();
            }
            self.error(
                TextRange::new(start.into(), self.last_end.into()),
                "to specify a list, use `Type[]` instead of `[Type]`",
            );
            self.finish_node();
            return;
        }
        if self.cur_text() == "Unsupported" && self.nth(1) == L_PAREN {
            self.unsupported();
        } else {
            self.ident();
        }
        match self.current() {
            L_BRACK => {
                self.bump();
                if self.current() == R_BRACK {
                    if !self.adjacent() {
                        let range =
                            TextRange::new(self.last_end.into(), self.starts[self.cur].into());
                        self.error(range, "no space is allowed inside `[]`");
                    }
                    self.bump();
                } else {
                    self.error_missing("expected `]`");
                }
                if self.current() == QUESTION {
                    self.error(
                        self.range_at(self.cur),
                        "optional lists are not supported; use either `Type[]` or `Type?`",
                    );
                    self.bump();
                }
            }
            QUESTION => self.bump(),
            ERROR_TOKEN if self.cur_text() == "!" => {
                self.error(
                    self.range_at(self.cur),
                    "fields are required by default, `!` is no longer required",
                );
                self.start_node(ERROR);
                self.bump();
                self.finish_node();
            }
            _ => {}
        }
        self.finish_node();
    }

    /// `Unsupported("...")`.
    fn unsupported(&mut self) {
        self.start_node(UNSUPPORTED);
        self.bump(); // `Unsupported`
        if !self.adjacent() {
            let range = TextRange::new(self.last_end.into(), self.starts[self.cur].into());
            self.error(range, "no space is allowed between `Unsupported` and `(`");
        }
        self.bump(); // `(`
        if self.current() == STRING {
            self.string_token();
        } else {
            self.error_at_current("expected a string: `Unsupported(\"db type\")`");
        }
        if self.current() == R_PAREN {
            self.bump();
        } else {
            self.error_missing("expected `)`");
        }
        self.finish_node();
    }

    /// `@name(args)` after a field or enum value.
    fn field_attribute(&mut self) {
        self.start_node(FIELD_ATTRIBUTE);
        self.bump(); // `@`
        self.attribute_rest();
        self.finish_node();
    }

    /// `@@name(args)`.
    fn block_attribute(&mut self) {
        self.start_node(BLOCK_ATTRIBUTE);
        self.in_item += 1;
        self.bump(); // `@@`
        self.attribute_rest();
        self.in_item -= 1;
        self.finish_node();
    }

    fn attribute_rest(&mut self) {
        if self.current() == IDENT {
            self.path();
        } else {
            self.error_missing("expected an attribute name");
            return;
        }
        if self.current() == L_PAREN {
            self.arg_list();
        }
    }

    /// `ident(.ident)*` with no spaces around the dots.
    fn path(&mut self) {
        self.start_node(PATH);
        self.ident();
        while self.current() == DOT && self.adjacent() {
            self.bump();
            if self.current() == IDENT && self.adjacent() {
                self.ident();
            } else {
                self.error_missing("expected a name after `.`");
                break;
            }
        }
        self.finish_node();
    }

    /// `VALUE @map("...")`.
    fn enum_value(&mut self) {
        self.start_node(ENUM_VALUE);
        self.in_item += 1;
        self.name();
        while self.current() == AT {
            self.field_attribute();
        }
        self.in_item -= 1;
        self.finish_node();
    }

    /// `key = value`.
    fn key_value(&mut self) {
        self.start_node(KEY_VALUE);
        self.in_item += 1;
        self.name();
        if self.current() == EQ {
            self.bump();
            if can_start_expr(self.current()) {
                self.expr();
            } else {
                self.error_missing("expected a value");
            }
        } else {
            self.error_missing("expected `=`");
            if can_start_expr(self.current()) {
                self.expr();
            }
        }
        self.in_item -= 1;
        self.finish_node();
    }

    /// Report a line break inside brackets; `true` if parsing should continue on the next
    /// line (the bracket closes a few lines later), `false` to stop the construct here.
    fn line_break_in_brackets(&mut self, reported: &mut bool, what: &str) -> bool {
        if !self.closes_on_later_line() {
            return false;
        }
        if !*reported {
            *reported = true;
            let range = self.range_at(self.cur);
            self.error(range, format!("line breaks are not allowed inside {what}"));
        }
        while self.current() == NEWLINE {
            self.skip();
        }
        true
    }

    /// Bounded scan from the current newline: does the innermost open bracket close before
    /// anything that cannot be inside brackets (braces, attributes, a new field or entry)?
    fn closes_on_later_line(&mut self) -> bool {
        let start = self.cur;
        if self.failed_scan == start {
            return false;
        }
        let mut depth = 0u32;
        let mut i = start;
        for _ in 0..SCAN_LIMIT {
            match self.kind_at(i) {
                L_PAREN | L_BRACK => depth += 1,
                R_PAREN | R_BRACK => {
                    if depth == 0 {
                        return true;
                    }
                    depth -= 1;
                }
                L_BRACE | R_BRACE | AT | AT_AT | EOF => break,
                NEWLINE => {
                    let a = self.next_significant(i + 1);
                    let b = self.nth_index_from(a, 1);
                    if self.kind_at(a) == IDENT && matches!(self.kind_at(b), IDENT | EQ) {
                        break;
                    }
                }
                _ => {}
            }
            i = self.next_significant(i + 1);
        }
        self.failed_scan = start;
        false
    }

    /// Too deeply nested: the rest of the line becomes an `ERROR` node.
    fn too_deep(&mut self) {
        let message = format!("nesting is too deep (more than {MAX_DEPTH} levels)");
        self.junk(&[NEWLINE], &message);
    }

    /// `( arg, arg, ... )`.
    fn arg_list(&mut self) {
        if self.depth >= MAX_DEPTH {
            self.too_deep();
            return;
        }
        self.depth += 1;
        self.start_node(ARG_LIST);
        self.bump(); // `(`
        let mut reported = false;
        loop {
            match self.current() {
                R_PAREN => {
                    self.bump();
                    break;
                }
                NEWLINE => {
                    if !self.line_break_in_brackets(&mut reported, "argument lists") {
                        self.error_missing("expected `)`");
                        break;
                    }
                }
                EOF | L_BRACE | R_BRACE => {
                    self.error_missing("expected `)`");
                    break;
                }
                COMMA => {
                    self.error(self.range_at(self.cur), "expected an argument before `,`");
                    self.bump();
                }
                R_BRACK => {
                    self.error(self.range_at(self.cur), "unexpected `]`");
                    self.start_node(ERROR);
                    self.bump();
                    self.finish_node();
                }
                _ => {
                    self.arg();
                    self.after_item(R_PAREN, "expected `,` or `)`", "argument lists");
                }
            }
        }
        self.finish_node();
        self.depth -= 1;
    }

    /// After an argument or array element: `,` (not trailing) or the closing bracket.
    fn after_item(&mut self, close: SyntaxKind, expected: &str, what: &str) {
        match self.current() {
            COMMA => {
                let comma = self.range_at(self.cur);
                self.bump();
                if self.current() == close {
                    self.error(
                        comma,
                        format!("trailing commas are not allowed in {what}; remove the comma"),
                    );
                }
            }
            k if k == close => {}
            NEWLINE | EOF | L_BRACE | R_BRACE | R_PAREN | R_BRACK => {}
            _ => self.error_missing(expected),
        }
    }

    /// `name: value` or `value`.
    fn arg(&mut self) {
        self.start_node(ARG);
        if self.current() == IDENT && self.nth(1) == COLON {
            self.name();
            self.bump(); // `:`
            if can_start_expr(self.current()) {
                self.expr();
            } else {
                self.error_missing("expected a value after `:`");
            }
        } else {
            self.expr();
        }
        self.finish_node();
    }

    /// `[ expr, ... ]`.
    fn array(&mut self) {
        if self.depth >= MAX_DEPTH {
            self.too_deep();
            return;
        }
        self.depth += 1;
        self.start_node(ARRAY);
        self.bump(); // `[`
        let mut reported = false;
        loop {
            match self.current() {
                R_BRACK => {
                    self.bump();
                    break;
                }
                NEWLINE => {
                    if !self.line_break_in_brackets(&mut reported, "arrays") {
                        self.error_missing("expected `]`");
                        break;
                    }
                }
                EOF | L_BRACE | R_BRACE | R_PAREN => {
                    self.error_missing("expected `]`");
                    break;
                }
                COMMA => {
                    self.error(self.range_at(self.cur), "expected a value before `,`");
                    self.bump();
                }
                _ => {
                    self.expr();
                    self.after_item(R_BRACK, "expected `,` or `]`", "arrays");
                }
            }
        }
        self.finish_node();
        self.depth -= 1;
    }

    /// One expression; consumes at least one token unless the current one ends a construct.
    fn expr(&mut self) {
        match self.current() {
            STRING => {
                self.start_node(STRING_LIT);
                self.string_token();
                self.finish_node();
            }
            NUMBER => {
                self.start_node(NUMBER_LIT);
                self.bump();
                self.finish_node();
            }
            L_BRACK => self.array(),
            IDENT => {
                if self.cur_text().starts_with(|c: char| c.is_ascii_digit()) {
                    self.error(
                        self.range_at(self.cur),
                        "invalid value: a number is `-?digits(.digits)?` and a name must not \
                         start with a digit here",
                    );
                }
                let cp = self.checkpoint();
                self.path();
                if self.current() == L_PAREN {
                    self.builder.start_node_at(cp, FUNCTION_CALL);
                    self.arg_list();
                } else {
                    self.builder.start_node_at(cp, CONST);
                }
                self.finish_node();
            }
            NEWLINE | EOF | COMMA | R_PAREN | R_BRACK | L_BRACE | R_BRACE => {
                self.error_missing("expected a value");
            }
            _ => self.junk(
                &[
                    COMMA, R_PAREN, R_BRACK, NEWLINE, L_BRACE, R_BRACE, STRING, NUMBER, IDENT,
                ],
                "expected a value",
            ),
        }
    }

    /// Bump the current `STRING` token, checking termination, escapes and control characters.
    fn string_token(&mut self) {
        let i = self.cur;
        let base = self.starts[i] as usize;
        let s = self.text_at(i).as_bytes();
        let mut j = 1;
        let mut closed = false;
        while j < s.len() {
            match s[j] {
                b'"' => {
                    closed = true;
                    break;
                }
                b'\\' => {
                    let Some(&next) = s.get(j + 1) else { break };
                    match next {
                        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => j += 2,
                        b'u' => {
                            let hex_ok = s
                                .get(j + 2..j + 6)
                                .is_some_and(|h| h.iter().all(|c| c.is_ascii_hexdigit()));
                            if hex_ok {
                                j += 6;
                            } else {
                                self.error(
                                    span(base + j, base + j + 2),
                                    "invalid unicode escape: expected `\\u` and 4 hex digits",
                                );
                                j += 2;
                            }
                        }
                        _ => {
                            let len = self
                                .text
                                .get(base + j + 1..)
                                .and_then(|rest| rest.chars().next())
                                .map_or(1, char::len_utf8);
                            self.error(
                                span(base + j, base + j + 1 + len),
                                "unknown escape sequence; if the value is a Windows path, \
                                 write `\\\\` for a backslash",
                            );
                            j += 1 + len;
                        }
                    }
                }
                c if c < 0x20 => {
                    self.error(
                        span(base + j, base + j + 1),
                        "control characters (such as tabs) must be escaped in strings",
                    );
                    j += 1;
                }
                _ => j += 1,
            }
        }
        if !closed {
            self.error(
                self.range_at(i),
                "unterminated string: missing closing `\"`",
            );
        }
        self.bump();
    }
}

fn span(start: usize, end: usize) -> TextRange {
    TextRange::new((start as u32).into(), (end as u32).into())
}

fn can_start_expr(kind: SyntaxKind) -> bool {
    matches!(kind, STRING | NUMBER | L_BRACK | IDENT)
}
