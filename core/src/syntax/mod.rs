//! Prisma Schema Language syntax: a hand-written lexer and recursive-descent parser producing a
//! lossless rowan tree (`tree.to_string() == input` for every input), plus typed AST accessors.
//!
//! The parser never fails: errors become [`SyntaxError`]s with precise ranges and the parser
//! recovers at the next line or block so one broken model does not hide the next one.

pub mod ast;
mod kind;
mod lexer;
mod parser;

pub use kind::{Psl, SyntaxElement, SyntaxKind, SyntaxNode, SyntaxToken};
pub use lexer::{Token, lex};

use rowan::{GreenNode, TextRange};

/// A syntax error: what the parser expected and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// Human-readable message, e.g. "expected a field type".
    pub message: String,
    /// Byte range of the offending text (empty at the insertion point for missing tokens).
    pub range: TextRange,
}

/// The result of parsing one file: an immutable green tree and the syntax errors.
#[derive(Debug, Clone)]
pub struct Parse {
    green: GreenNode,
    errors: Vec<SyntaxError>,
}

impl Parse {
    /// The root of the lossless tree.
    pub fn syntax(&self) -> SyntaxNode {
        SyntaxNode::new_root(self.green.clone())
    }
    /// The typed root.
    pub fn tree(&self) -> ast::SourceFile {
        ast::SourceFile {
            syntax: self.syntax(),
        }
    }
    /// Syntax errors in source order.
    pub fn errors(&self) -> &[SyntaxError] {
        &self.errors
    }
    /// The green tree (cheap to clone, shareable).
    pub fn green(&self) -> &GreenNode {
        &self.green
    }
}

/// Parse PSL text. Never panics; always returns a tree covering every byte of `text`.
pub fn parse(text: &str) -> Parse {
    let (green, errors) = parser::parse(text);
    Parse { green, errors }
}
