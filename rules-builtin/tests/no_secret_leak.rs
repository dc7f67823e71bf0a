//! Audits `examples/vet-clinic` (read from disk) with every rule, checks the project and
//! environment findings its README lists (and none of the wrong ones), and asserts that the
//! database password of its `.env` appears in no output format.

use prisma_audit_core::env::conn_url::ConnUrl;
use prisma_audit_core::env::dotenv;
use prisma_audit_core::finding::{Finding, Severity};
use prisma_audit_core::render::{Format, RenderOptions, render};
use prisma_audit_core::rule::{RuleMeta, rule_metas};
use prisma_audit_core::{AuditOptions, Project, audit};
use std::path::{Path, PathBuf};

fn read_dir(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            if name != "node_modules" && name != ".git" && name != ".next" {
                read_dir(root, &path, out);
            }
        } else if let (Ok(bytes), Ok(rel)) = (std::fs::read(&path), path.strip_prefix(root)) {
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            out.push((rel, bytes));
        }
    }
}

fn vet_clinic() -> Project {
    let root: PathBuf = [env!("CARGO_MANIFEST_DIR"), "..", "examples", "vet-clinic"]
        .iter()
        .collect();
    let mut files = Vec::new();
    read_dir(&root, &root, &mut files);
    assert!(
        files.iter().any(|(p, _)| p == ".env"),
        "examples/vet-clinic/.env is missing"
    );
    Project::from_files("vet-clinic", files)
}

/// The password in `DATABASE_URL` of the example's `.env`, read at run time so the test
/// itself does not contain it.
fn password(project: &Project) -> String {
    let text = project.text_of(".env").expect(".env");
    let entries = dotenv::parse(text);
    let url = dotenv::lookup(&entries, "DATABASE_URL").expect("DATABASE_URL");
    let url = ConnUrl::parse(&url.value).expect("a URL");
    let pw = url.password().expect("a password").to_string();
    assert!(
        pw.len() >= 6,
        "the fixture's password is too short to grep for reliably"
    );
    pw
}

fn find<'a>(findings: &'a [Finding], rule: &str) -> Vec<&'a Finding> {
    findings.iter().filter(|f| f.rule == rule).collect()
}

fn at(f: &Finding) -> (String, u32, u32) {
    let l = f.location.as_ref().expect("location");
    (l.file.clone(), l.start.line, l.start.column)
}

#[test]
fn vet_clinic_environment_findings_and_no_password_in_any_format() {
    assert!(prisma_audit_rules::link() > 0);
    let project = vet_clinic();
    let secret = password(&project);
    let report = audit(&project, &AuditOptions::default()).expect("audit runs");
    let findings = &report.findings;

    let committed = find(findings, "committed-secret");
    assert_eq!(committed.len(), 1, "{committed:#?}");
    assert_eq!(committed[0].severity, Severity::Critical);
    assert_eq!(at(committed[0]).0, ".env");
    assert!(
        committed[0].message.contains("public IP"),
        "{}",
        committed[0].message
    );
    assert!(
        committed[0].message.contains("sslmode"),
        "{}",
        committed[0].message
    );

    for rule in [
        "database-url-no-tls",
        "database-public-ip",
        "database-superuser",
    ] {
        assert_eq!(find(findings, rule).len(), 1, "{rule}");
    }
    let pool = find(findings, "connection-pool-unsized");
    assert_eq!(pool.len(), 1);
    assert!(
        pool[0].message.contains("serverless"),
        "{}",
        pool[0].message
    );
    assert_eq!(find(findings, "serverless-without-pooler").len(), 1);

    let mismatch = find(findings, "prisma-version-mismatch");
    assert_eq!(mismatch.len(), 1);
    assert!(
        mismatch[0].message.contains("6.5.0") && mismatch[0].message.contains("6.10.1"),
        "{}",
        mismatch[0].message
    );
    assert_eq!(at(mismatch[0]).0, "package.json");

    let outdated = find(findings, "prisma-outdated");
    assert_eq!(outdated.len(), 1);
    assert!(
        outdated[0].message.contains("Prisma 6.5.0"),
        "{}",
        outdated[0].message
    );

    let clients = find(findings, "multiple-prisma-clients");
    assert_eq!(clients.len(), 1, "{clients:#?}");
    assert_eq!(at(clients[0]).0, "src/lib/reports.ts");

    let metas: Vec<&'static RuleMeta> = rule_metas();
    for format in Format::ALL {
        let out = render(
            &report,
            Some(&project),
            &metas,
            format,
            &RenderOptions { color: false },
        );
        assert!(
            !out.contains(&secret),
            "{format} output contains the database password"
        );
        assert!(
            out.contains("152.53.89.138"),
            "{format} output should still name the host"
        );
    }
    // Findings themselves (messages, help, fixes) never carry it either.
    let debug = format!("{findings:?}");
    assert!(!debug.contains(&secret));
}
