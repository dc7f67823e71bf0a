//! Syntax and semantic errors found while reading the user's files.

use crate::span::Span;

/// How bad a diagnostic is. Errors make Prisma reject the schema; warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DiagnosticLevel {
    /// Prisma would reject the input.
    Error,
    /// Prisma accepts the input but warns.
    Warning,
}

/// One problem in the input, with its exact span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub level: DiagnosticLevel,
    /// What is wrong, in one sentence.
    pub message: String,
    /// Where.
    pub span: Span,
}

impl Diagnostic {
    /// An error at `span`.
    pub fn error(span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            level: DiagnosticLevel::Error,
            message: message.into(),
            span,
        }
    }
    /// A warning at `span`.
    pub fn warning(span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            level: DiagnosticLevel::Warning,
            message: message.into(),
            span,
        }
    }
}
