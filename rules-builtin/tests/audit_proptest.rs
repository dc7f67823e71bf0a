//! Property test of the whole audit on broken input: take a real project (a schema fixture, the
//! PostgreSQL project with its migration history, or examples/vet-clinic), mutate one of its
//! files, and run every rule. The audit must not panic or fail, every finding must point inside an existing file,
//! every renderer must handle the report (JSON and SARIF stay valid JSON), and every fix, safe
//! or unsafe, must apply to the text it was computed on.

use prisma_audit_core::fix::apply_fixes;
use prisma_audit_core::render::{Format, RenderOptions, render};
use prisma_audit_core::rule::{RuleMeta, rule_metas};
use prisma_audit_core::{AuditOptions, Project, audit};
use proptest::prelude::*;
use std::path::Path;
use std::sync::LazyLock;

use mutate::{apply, edit};
use prisma_audit_test_support::mutate;

/// A project to mutate: its name and its files by path relative to its root.
struct Base {
    name: String,
    files: Vec<(String, String)>,
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every file under `dir` (`node_modules` aside), by path relative to `root`.
fn dir_files(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.ends_with("node_modules") {
            continue;
        } else if path.is_dir() {
            dir_files(root, &path, out);
        } else {
            let rel = path.strip_prefix(root).unwrap().to_string_lossy();
            out.push((rel.replace('\\', "/"), read(&path)));
        }
    }
}

static BASES: LazyLock<Vec<Base>> = LazyLock::new(|| {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/fixtures");
    let mut bases: Vec<Base> = [
        "pg_relations_all_kinds",
        "pg_indexes_advanced",
        "pg_views",
        "pg_multi_schema",
        "pg_unsupported_and_ignore",
        "mysql_relation_mode_prisma",
        "mongodb_composite_types",
        "sqlite_basic",
    ]
    .iter()
    .map(|name| Base {
        name: name.to_string(),
        files: vec![(
            "prisma/schema.prisma".to_string(),
            read(&fixtures.join(format!("schemas/valid/{name}.prisma"))),
        )],
    })
    .collect();
    // Whole projects: schema, migration history, and for vet-clinic package.json, .env and the
    // TypeScript that calls Prisma Client. The mutated file is any of them.
    for root in [
        fixtures.join("migrations/realworld-pg"),
        fixtures.join("../../../examples/vet-clinic"),
    ] {
        let mut files = Vec::new();
        dir_files(&root, &root, &mut files);
        files.sort();
        let name = root.file_name().unwrap().to_string_lossy().into_owned();
        bases.push(Base { name, files });
    }
    bases
});

static RULES: LazyLock<Vec<&'static RuleMeta>> = LazyLock::new(|| {
    prisma_audit_rules::link();
    rule_metas()
});

fn check(project: &Project) -> Result<(), TestCaseError> {
    let report = audit(project, &AuditOptions::default());
    prop_assert!(report.is_ok(), "{:?}", report.err());
    let Ok(report) = report else { return Ok(()) };
    for finding in &report.findings {
        let Some(loc) = &finding.location else {
            continue;
        };
        let file = project.file_id(&loc.file).and_then(|id| project.file(id));
        prop_assert!(file.is_some(), "{}: no file {}", finding.rule, loc.file);
        let lines = file.map_or(0, |f| f.lines().line_count());
        prop_assert!(loc.start <= loc.end, "{}: {:?}", finding.rule, loc);
        prop_assert!(
            loc.start.line >= 1 && loc.end.line as usize <= lines + 1,
            "{}: {:?} in a file of {lines} lines",
            finding.rule,
            loc
        );
    }
    for format in Format::ALL {
        let out = render(
            &report,
            Some(project),
            &RULES,
            format,
            &RenderOptions::default(),
        );
        prop_assert!(out.ends_with('\n'), "{} output", format.as_str());
        if matches!(format, Format::Json | Format::Sarif) {
            let parsed = serde_json::from_str::<serde_json::Value>(&out);
            prop_assert!(parsed.is_ok(), "{}: {:?}", format.as_str(), parsed.err());
        }
    }
    let fixed = apply_fixes(project, &report.findings, true);
    prop_assert!(fixed.is_ok(), "{:?}", fixed.err());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 192, ..ProptestConfig::default() })]

    #[test]
    fn audit_of_a_mutated_project(
        base in 0..BASES.len(),
        pick in any::<usize>(),
        edits in proptest::collection::vec(edit(), 1..10),
    ) {
        let base = &BASES[base];
        let target = pick % base.files.len();
        let files = base.files.iter().enumerate().map(|(i, (path, text))| {
            let text = if i == target { apply(text, &edits) } else { text.clone() };
            (path.clone(), text)
        });
        check(&Project::from_files("mutated", files))?;
    }
}

#[test]
fn every_base_audits_cleanly() {
    for base in BASES.iter() {
        let project = Project::from_files("base", base.files.clone());
        let report = audit(&project, &AuditOptions::default()).unwrap();
        assert!(
            !report.findings.iter().any(|f| f.rule == "invalid-schema"),
            "{}: {:?}",
            base.name,
            report.findings
        );
    }
}
