//! Run one rule through the real engine on in-memory files, and apply its fixes.
#![allow(dead_code)] // helpers are shared by many rules; not every test uses each

use prisma_audit_core::config::Config;
use prisma_audit_core::finding::Finding;
use prisma_audit_core::fix::apply_fixes;
use prisma_audit_core::render::{Format, RenderOptions, render};
use prisma_audit_core::rule::registry;
use prisma_audit_core::{AuditOptions, Project, Report, audit};

fn project(files: &[(&str, &str)]) -> Project {
    Project::from_files(
        "test",
        files
            .iter()
            .map(|(p, t)| (p.to_string(), t.as_bytes().to_vec())),
    )
}

fn run(id: &str, project: &Project, options: Option<serde_json::Value>) -> Vec<Finding> {
    let mut config = Config {
        select: Some(vec![id.to_string()]),
        ..Config::default()
    };
    if let Some(options) = options {
        let options = options.as_object().cloned().expect("options are an object");
        let rule = prisma_audit_core::rule::registry()
            .into_iter()
            .find(|r| r.meta().id == id)
            .unwrap_or_else(|| panic!("no rule {id}"));
        if let Err(e) = rule.validate_options(&options) {
            panic!("bad test options for {id}: {e}");
        }
        config.rules.insert(
            id.to_string(),
            prisma_audit_core::config::RuleConfig {
                options,
                ..Default::default()
            },
        );
    }
    match audit(
        project,
        &AuditOptions {
            config,
            ..AuditOptions::default()
        },
    ) {
        Ok(report) => report.findings,
        Err(e) => panic!("audit failed: {e}"),
    }
}

/// Findings of rule `id` on `files` (path, text), the rule enabled even when it is off by
/// default.
pub fn findings(id: &str, files: &[(&str, &str)]) -> Vec<Finding> {
    run(id, &project(files), None)
}

/// Findings of rule `id` with rule options (a JSON object, e.g. `json!({"tenantKeys": ["orgId"]})`).
pub fn findings_with(id: &str, files: &[(&str, &str)], options: serde_json::Value) -> Vec<Finding> {
    run(id, &project(files), Some(options))
}

/// Findings of rule `id` on a single `schema.prisma`.
pub fn schema_findings(id: &str, schema: &str) -> Vec<Finding> {
    findings(id, &[("schema.prisma", schema)])
}

/// Apply every fix of rule `id` (unsafe ones too when `include_unsafe`) to `schema.prisma`
/// and return the new text. Asserts the fixes are idempotent: the rule reports no fixable
/// finding on the result, and fixing again changes nothing.
pub fn fixed(id: &str, schema: &str, include_unsafe: bool) -> String {
    let p = project(&[("schema.prisma", schema)]);
    let found = run(id, &p, None);
    let out = apply_fixes(&p, &found, include_unsafe).expect("fixes apply");
    let new = out
        .files
        .get("schema.prisma")
        .cloned()
        .unwrap_or_else(|| schema.to_string());
    let p2 = project(&[("schema.prisma", &new)]);
    let again = run(id, &p2, None);
    let out2 = apply_fixes(&p2, &again, include_unsafe).expect("fixes apply");
    assert!(
        out2.files.is_empty(),
        "fixes of {id} are not idempotent; after one pass:\n{new}\nstill fixable: {again:#?}"
    );
    new
}

/// The report of rule `id` alone on `files` (the rule enabled even when it is off by default).
fn report(id: &str, project: &Project) -> Report {
    let config = Config {
        select: Some(vec![id.to_string()]),
        ..Config::default()
    };
    audit(
        project,
        &AuditOptions {
            config,
            ..AuditOptions::default()
        },
    )
    .unwrap_or_else(|e| panic!("audit failed: {e}"))
}

/// A rule's pass/fail table. Every `pass` schema (a whole `schema.prisma`) yields no finding of
/// rule `id`; every `fail` schema yields at least one. Returns the fail cases' diagnostics as
/// the text report renders them for a user (code frames, help, fixes), for an insta snapshot:
/// `insta::assert_snapshot!(cases(ID, &[PASS], &[FAIL]))`.
pub fn cases(id: &str, pass: &[&str], fail: &[&str]) -> String {
    for (i, schema) in pass.iter().enumerate() {
        let found = findings(id, &[("schema.prisma", schema)]);
        assert!(
            found.is_empty(),
            "pass case {} of {id} has findings:\n{schema}\n{found:#?}",
            i + 1
        );
    }
    let rules: Vec<_> = registry().into_iter().map(|r| r.meta()).collect();
    let mut out = String::new();
    for (i, schema) in fail.iter().enumerate() {
        let project = project(&[("schema.prisma", schema)]);
        let report = report(id, &project);
        assert!(
            report.findings.iter().any(|f| f.rule == id),
            "fail case {} of {id} has no finding:\n{schema}",
            i + 1
        );
        let text = render(
            &report,
            Some(&project),
            &rules,
            Format::Text,
            &RenderOptions { color: false },
        );
        // The findings only: the summary lines after them are the same for every rule.
        let findings = text.split("\nSummary").next().unwrap_or(&text);
        out.push_str(&format!(
            "── fail case {} ──\n{}\n",
            i + 1,
            findings.trim_end()
        ));
    }
    out
}
