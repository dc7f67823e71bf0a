//! Fuzz the whole audit: any bytes as `prisma/schema.prisma` must audit without panicking, every
//! renderer must handle the report, and every fix must apply to the text it was computed on.
#![no_main]

use libfuzzer_sys::fuzz_target;
use prisma_audit_core::fix::apply_fixes;
use prisma_audit_core::render::{Format, RenderOptions, render};
use prisma_audit_core::rule::registry;
use prisma_audit_core::{AuditOptions, Project, audit};

fuzz_target!(|data: &[u8]| {
    assert!(prisma_audit_rules::link() > 0);
    let project = Project::from_files("fuzz", [("prisma/schema.prisma", data)]);
    let report = audit(&project, &AuditOptions::default()).expect("a schema file is present");
    let rules = registry();
    let metas: Vec<_> = rules.iter().map(|r| r.meta()).collect();
    for format in Format::ALL {
        render(&report, Some(&project), &metas, format, &RenderOptions::default());
    }
    apply_fixes(&project, &report.findings, true).expect("fixes apply");
});
