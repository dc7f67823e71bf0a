//! Token and node kinds of the lossless PSL tree.

/// Every token and node kind. Tokens come first, then nodes.
///
/// Tree-shape invariants the parser guarantees (the AST layer relies on them):
/// - Trivia (`WHITESPACE`, `NEWLINE`, `LINE_COMMENT`, `DOC_COMMENT`, `BLOCK_COMMENT`) is never
///   the first or last child of any node but `SOURCE_FILE`; comments before an item are its
///   preceding siblings (so `///` docs and `// prisma-audit-ignore` are found by walking back).
/// - Keywords (`model`, `enum`, ...) are `IDENT` tokens; the node kind says what they mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
#[allow(non_camel_case_types, missing_docs)]
pub enum SyntaxKind {
    // --- tokens ---
    /// Spaces, tabs, other Unicode space separators (U+00A0, ...) and a leading UTF-8 BOM
    /// (which Prisma rejects: the parser reports it).
    WHITESPACE = 0,
    /// `\n`, `\r\n` or a lone `\r` (significant in PSL: it ends a field or entry).
    NEWLINE,
    /// `// ...` up to, not including, the line end.
    LINE_COMMENT,
    /// `/// ...` up to, not including, the line end.
    DOC_COMMENT,
    /// `/* ... */` (may span lines; unterminated runs to end of file with an error).
    BLOCK_COMMENT,
    /// Identifiers and keywords: `[A-Za-z0-9_][A-Za-z0-9_-]*` plus non-ASCII letters and digits
    /// (Prisma allows `-` inside names of arguments and config keys). A run of digits followed
    /// by identifier characters (`1A`) is an identifier; a leading `_` is a syntax error.
    IDENT,
    /// `"..."` with escapes, quotes included; unterminated strings end at the line end.
    STRING,
    /// `-?[0-9]+(\.[0-9]+)?`
    NUMBER,
    L_BRACE,
    R_BRACE,
    L_PAREN,
    R_PAREN,
    L_BRACK,
    R_BRACK,
    COMMA,
    COLON,
    EQ,
    /// `@`
    AT,
    /// `@@`
    AT_AT,
    DOT,
    QUESTION,
    /// A character the lexer does not understand.
    ERROR_TOKEN,

    // --- nodes ---
    /// The whole file.
    SOURCE_FILE,
    /// `model Name { ... }` or `view Name { ... }`: children `IDENT`(keyword) `NAME` `BLOCK_BODY`.
    MODEL,
    /// `type Name { ... }` (composite type, MongoDB).
    COMPOSITE_TYPE,
    /// `enum Name { ... }`.
    ENUM,
    /// `datasource name { key = value ... }`.
    DATASOURCE,
    /// `generator name { key = value ... }`.
    GENERATOR,
    /// `{ ... }` of any block, braces included. Holds `FIELD`, `ENUM_VALUE`, `BLOCK_ATTRIBUTE`,
    /// `KEY_VALUE` and `ERROR` children plus trivia.
    BLOCK_BODY,
    /// The name of a declaration, field, enum value or argument: wraps one `IDENT`.
    NAME,
    /// `name Type? @attr(...) ...` inside a model, view or composite type.
    FIELD,
    /// The type of a field: `IDENT` or `UNSUPPORTED`, then optional `QUESTION` or
    /// `L_BRACK R_BRACK`.
    FIELD_TYPE,
    /// `Unsupported("...")` in a field type: `IDENT` `L_PAREN` `STRING` `R_PAREN`.
    UNSUPPORTED,
    /// `VALUE @map("...")` inside an enum.
    ENUM_VALUE,
    /// `key = expression` inside a datasource or generator.
    KEY_VALUE,
    /// `@name(...)` or `@db.Name(...)` after a field or enum value: `AT` `PATH` `ARG_LIST`?.
    FIELD_ATTRIBUTE,
    /// `@@name(...)` inside a block: `AT_AT` `PATH` `ARG_LIST`?.
    BLOCK_ATTRIBUTE,
    /// A dotted name: `IDENT (DOT IDENT)*`, e.g. `db.VarChar`, `relation`.
    PATH,
    /// `( arg, arg, ... )`.
    ARG_LIST,
    /// One argument: optional `NAME COLON`, then an expression node. A bare `NAME COLON` with no
    /// value (allowed by Prisma in attribute arguments for autocompletion) is an error.
    ARG,
    /// `"..."` as an expression: wraps one `STRING`.
    STRING_LIT,
    /// A number as an expression: wraps one `NUMBER`.
    NUMBER_LIT,
    /// A bare identifier as an expression (`true`, `Cascade`, `Desc`, a field name): wraps `PATH`.
    CONST,
    /// `[ expr, expr, ... ]`.
    ARRAY,
    /// `PATH ARG_LIST`: `env("X")`, `now()`, `dbgenerated("...")`, `name(sort: Desc)`.
    FUNCTION_CALL,
    /// Anything the parser could not place; holds the skipped tokens.
    ERROR,
}

use SyntaxKind::*;

/// Every kind, indexed by its discriminant.
const ALL: [SyntaxKind; 46] = [
    WHITESPACE,
    NEWLINE,
    LINE_COMMENT,
    DOC_COMMENT,
    BLOCK_COMMENT,
    IDENT,
    STRING,
    NUMBER,
    L_BRACE,
    R_BRACE,
    L_PAREN,
    R_PAREN,
    L_BRACK,
    R_BRACK,
    COMMA,
    COLON,
    EQ,
    AT,
    AT_AT,
    DOT,
    QUESTION,
    ERROR_TOKEN,
    SOURCE_FILE,
    MODEL,
    COMPOSITE_TYPE,
    ENUM,
    DATASOURCE,
    GENERATOR,
    BLOCK_BODY,
    NAME,
    FIELD,
    FIELD_TYPE,
    UNSUPPORTED,
    ENUM_VALUE,
    KEY_VALUE,
    FIELD_ATTRIBUTE,
    BLOCK_ATTRIBUTE,
    PATH,
    ARG_LIST,
    ARG,
    STRING_LIT,
    NUMBER_LIT,
    CONST,
    ARRAY,
    FUNCTION_CALL,
    ERROR,
];

impl SyntaxKind {
    /// Whitespace, newlines and comments.
    pub fn is_trivia(self) -> bool {
        matches!(
            self,
            WHITESPACE | NEWLINE | LINE_COMMENT | DOC_COMMENT | BLOCK_COMMENT
        )
    }
    /// Comments only.
    pub fn is_comment(self) -> bool {
        matches!(self, LINE_COMMENT | DOC_COMMENT | BLOCK_COMMENT)
    }
}

impl From<SyntaxKind> for rowan::SyntaxKind {
    fn from(kind: SyntaxKind) -> Self {
        rowan::SyntaxKind(kind as u16)
    }
}

/// The rowan language of PSL trees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Psl {}

impl rowan::Language for Psl {
    type Kind = SyntaxKind;
    fn kind_from_raw(raw: rowan::SyntaxKind) -> SyntaxKind {
        // Trees are only built from `SyntaxKind`s, so the lookup always hits.
        ALL.get(raw.0 as usize).copied().unwrap_or(ERROR)
    }
    fn kind_to_raw(kind: SyntaxKind) -> rowan::SyntaxKind {
        kind.into()
    }
}

/// A node of a PSL tree.
pub type SyntaxNode = rowan::SyntaxNode<Psl>;
/// A token of a PSL tree.
pub type SyntaxToken = rowan::SyntaxToken<Psl>;
/// A node or a token.
pub type SyntaxElement = rowan::SyntaxElement<Psl>;
