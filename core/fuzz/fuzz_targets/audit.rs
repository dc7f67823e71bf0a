//! Fuzz the whole audit: any bytes as `prisma/schema.prisma` must audit without panicking, every
//! renderer must handle the report, and every fix must apply to the text it was computed on.
#![no_main]

use libfuzzer_sys::fuzz_target;
use prisma_audit_core::fix::apply_fixes;
use prisma_audit_core::render::{Format, RenderOptions, render};
use prisma_audit_core::rule::{RuleMeta, registry};
use prisma_audit_core::{AuditOptions, Project, audit};
use std::sync::LazyLock;

/// Rule metadata for the renderers, collected once rather than per input.
static METAS: LazyLock<Vec<&'static RuleMeta>> = LazyLock::new(|| {
    assert!(prisma_audit_rules::link() > 0);
    registry().iter().map(|r| r.meta()).collect()
});

fuzz_target!(|data: &[u8]| {
    let project = Project::from_files("fuzz", [("prisma/schema.prisma", data)]);
    let report = audit(&project, &AuditOptions::default()).expect("a schema file is present");
    for format in Format::ALL {
        render(&report, Some(&project), &METAS, format, &RenderOptions::default());
    }
    apply_fixes(&project, &report.findings, true).expect("fixes apply");
});
