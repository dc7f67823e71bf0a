//! Precision corpus: the default rule set over every valid fixture schema (shaped like real
//! projects: multi-file, views, composite types, relationMode prisma on MySQL and PostgreSQL,
//! SQLite, SQL Server, MongoDB, multiSchema). Each snapshot lists every finding as
//! `severity rule line: message`; a reviewer reads them and keeps only findings a senior
//! engineer would accept (see DEVELOPERS.md). Changing a rule's output changes a snapshot.

use prisma_audit_core::{AuditOptions, Project, audit};
use std::fmt::Write;
use std::path::{Path, PathBuf};

fn fixture_files(path: &Path) -> Vec<(String, Vec<u8>)> {
    if path.is_dir() {
        let mut files: Vec<_> = std::fs::read_dir(path)
            .unwrap()
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "prisma"))
            .map(|e| {
                (
                    format!("prisma/schema/{}", e.file_name().to_string_lossy()),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        files.sort();
        files
    } else {
        vec![(
            "prisma/schema.prisma".to_string(),
            std::fs::read(path).unwrap(),
        )]
    }
}

#[test]
fn default_rules_on_fixture_schemas() {
    prisma_audit_rules::link();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/fixtures/schemas/valid");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir() || p.extension().is_some_and(|x| x == "prisma"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 20, "fixture corpus too small");
    for path in paths {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let project = Project::from_files("fixture", fixture_files(&path));
        let report = audit(&project, &AuditOptions::default()).expect("audit");
        let mut listing = String::new();
        for f in &report.findings {
            let at = f
                .location
                .as_ref()
                .map(|l| format!("{}:{}", l.file, l.start.line))
                .unwrap_or_else(|| "-".into());
            let _ = writeln!(listing, "{} {} {at}: {}", f.severity, f.rule, f.message);
        }
        if listing.is_empty() {
            listing.push_str("(no findings)\n");
        }
        insta::assert_snapshot!(format!("precision__{name}"), listing);
    }
}
