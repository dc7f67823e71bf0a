//! PLACEHOLDER until suppression comments land (helper task).

use crate::project::Project;
use crate::rule::SchemaFile;
use crate::span::{FileId, Span};

/// Suppression comments found in the project, with use tracking.
#[derive(Debug, Default)]
pub struct Suppressions {}

impl Suppressions {
    /// Collect suppressions from schema files and SQL files.
    pub fn collect(
        _project: &Project,
        _schema_files: &[SchemaFile],
        _sql_files: &[FileId],
    ) -> Self {
        Suppressions {}
    }
    /// Whether a finding of `rule` at `span` is suppressed (marks the suppression used).
    pub fn take(&mut self, _rule: &str, _span: Option<Span>) -> bool {
        false
    }
    /// Suppressions that silenced nothing: their span and the rule id.
    pub fn unused(&self) -> Vec<(Span, String)> {
        Vec::new()
    }
}
