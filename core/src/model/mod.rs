//! PLACEHOLDER until the semantic model lands (helper task).

use crate::diagnostic::Diagnostic;
use crate::rule::SchemaFile;

/// The resolved semantic schema.
#[derive(Debug, Clone, Default)]
pub struct Schema {}

/// Resolve parsed schema files into a semantic model plus semantic diagnostics.
pub fn resolve(_files: &[SchemaFile]) -> (Schema, Vec<Diagnostic>) {
    (Schema::default(), Vec::new())
}
