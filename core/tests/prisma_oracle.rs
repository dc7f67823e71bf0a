//! Differential test against the real Prisma CLI (slow suite: `--ignored`, run by
//! `scripts/test-all.sh` after `npm ci --prefix tools/prisma-oracle`).
//!
//! For every fixture under `tests/fixtures/schemas/{valid,invalid}`: Prisma accepts ⇔ we report
//! no error. The folder also pins the corpus itself: Prisma must accept every `valid/` fixture
//! and reject every `invalid/` one.

use prisma_audit_core::Project;
use prisma_audit_core::audit::analyze;
use prisma_audit_core::diagnostic::DiagnosticLevel;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Fixtures where we knowingly differ from Prisma 7, each with the reason. Keep this short: every
/// entry is a documented decision or an open gap to close.
const KNOWN_DIFFERENCES: &[(&str, &str)] = &[
    // Decision (DEVELOPERS.md "Prisma 6 vs 7"): `url`/`directUrl` in the datasource depend on the
    // project's declared Prisma version; the `datasource-url-in-schema` rule judges them.
    (
        "prisma7_datasource_url.prisma",
        "version-dependent, reported by datasource-url-in-schema",
    ),
    (
        "prisma7_datasource_direct_url.prisma",
        "version-dependent, reported by datasource-url-in-schema",
    ),
];

fn fixtures_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schemas")
}

/// Fixture paths: `.prisma` files and folders (multi-file schemas) in `valid/` and `invalid/`.
fn fixtures() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for group in ["valid", "invalid"] {
        let Ok(entries) = std::fs::read_dir(fixtures_root().join(group)) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() || path.extension().is_some_and(|e| e == "prisma") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Our verdict: the error diagnostics for a fixture file or folder.
fn our_errors(path: &Path) -> Vec<String> {
    let mut files = Vec::new();
    if path.is_dir() {
        for entry in walk(path) {
            let rel = entry
                .strip_prefix(path)
                .unwrap_or(&entry)
                .to_string_lossy()
                .replace('\\', "/");
            files.push((
                format!("schema/{rel}"),
                std::fs::read(&entry).unwrap_or_default(),
            ));
        }
    } else {
        files.push((
            "schema.prisma".to_string(),
            std::fs::read(path).unwrap_or_default(),
        ));
    }
    let explicit = if path.is_dir() {
        "schema"
    } else {
        "schema.prisma"
    };
    let project = Project::from_files("fixture", files);
    match analyze(&project, Some(explicit)) {
        Ok(a) => a
            .diagnostics
            .iter()
            .filter(|d| d.level == DiagnosticLevel::Error)
            .map(|d| d.message.clone())
            .collect(),
        Err(e) => vec![e.to_string()],
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else if p.extension().is_some_and(|x| x == "prisma") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
#[ignore = "slow: runs the real Prisma CLI (scripts/test-all.sh runs it)"]
fn prisma_accepts_iff_we_report_no_error() {
    let oracle = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tools/prisma-oracle/validate.mjs");
    let paths = fixtures();
    assert!(
        paths.len() >= 20,
        "fixture corpus too small: {}",
        paths.len()
    );
    let out = Command::new("node")
        .arg(&oracle)
        .args(&paths)
        .output()
        .expect("run node tools/prisma-oracle/validate.mjs");
    assert!(
        out.status.success() || !out.stdout.is_empty(),
        "oracle failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut verdicts = std::collections::BTreeMap::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let v: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("bad oracle line {line:?}: {e}"));
        let path = PathBuf::from(v["path"].as_str().unwrap_or_default());
        verdicts.insert(
            path,
            (
                v["ok"].as_bool().unwrap_or(false),
                v["message"].as_str().unwrap_or_default().to_string(),
            ),
        );
    }
    let mut mismatches = Vec::new();
    for path in &paths {
        let Some((prisma_ok, prisma_message)) = verdicts.get(path) else {
            mismatches.push(format!("{}: no oracle verdict", path.display()));
            continue;
        };
        let expected_valid = path.parent().is_some_and(|p| p.ends_with("valid"));
        if *prisma_ok != expected_valid {
            mismatches.push(format!(
                "{}: corpus says {}, Prisma says ok={prisma_ok}: {prisma_message}",
                path.display(),
                if expected_valid { "valid" } else { "invalid" }
            ));
        }
        let ours = our_errors(path);
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if KNOWN_DIFFERENCES.iter().any(|(name, _)| *name == file_name) {
            // A known difference that has disappeared must be removed from the list.
            assert!(
                *prisma_ok != ours.is_empty(),
                "{file_name} now agrees with Prisma: remove it from KNOWN_DIFFERENCES"
            );
            continue;
        }
        if *prisma_ok != ours.is_empty() {
            mismatches.push(format!(
                "{}: Prisma ok={prisma_ok} ({}), we report {:?}",
                path.display(),
                prisma_message
                    .lines()
                    .take(3)
                    .collect::<Vec<_>>()
                    .join(" | "),
                ours
            ));
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} of {} fixtures disagree:\n{}",
        mismatches.len(),
        paths.len(),
        mismatches.join("\n")
    );
}
