//! The Prisma Schema Language front end: a lossless lexer and parser ([`syntax`]), a typed
//! syntax tree, and the resolved semantic model with Prisma's validation ([`model`]).
//!
//! It depends on no other crate of prisma-audit; the project reader, the migration front end
//! and the audit framework build on it. Positions are [`span::Span`]s: a file index and a byte
//! range, so one schema may span several files.
#![warn(missing_docs)]

pub mod diagnostic;
pub mod fxhash;
pub mod model;
pub mod span;
pub mod syntax;

pub use rowan::{TextRange, TextSize};

use span::FileId;
use syntax::Parse;

/// One parsed schema file.
#[derive(Debug, Clone)]
pub struct SchemaFile {
    /// The file.
    pub file: FileId,
    /// Its lossless tree and syntax errors.
    pub parse: Parse,
}
