//! Run one rule through the real engine on in-memory files.

use prisma_audit_core::config::Config;
use prisma_audit_core::finding::Finding;
use prisma_audit_core::{AuditOptions, Project, audit};

/// Findings of rule `id` on `files` (path, text).
pub fn findings(id: &str, files: &[(&str, &str)]) -> Vec<Finding> {
    let project = Project::from_files(
        "test",
        files
            .iter()
            .map(|(p, t)| (p.to_string(), t.as_bytes().to_vec())),
    );
    let config = Config {
        select: Some(vec![id.to_string()]),
        ..Config::default()
    };
    match audit(
        &project,
        &AuditOptions {
            config,
            ..AuditOptions::default()
        },
    ) {
        Ok(report) => report.findings,
        Err(e) => panic!("audit failed: {e}"),
    }
}
