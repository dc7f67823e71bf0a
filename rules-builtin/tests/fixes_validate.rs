//! Fixes are valid and idempotent: with every rule enabled, apply all safe fixes (and, in a
//! second variant, unsafe ones too) to every valid fixture schema and to `examples/vet-clinic`;
//! the real Prisma CLI must accept every result, and fixing the result again changes nothing.
//!
//! Slow (runs `prisma validate` from tools/prisma-oracle); scripts/test-all.sh runs it with
//! `cargo test -p prisma-audit-rules --test fixes_validate -- --ignored`.

use prisma_audit_core::config::Config;
use prisma_audit_core::fix::fix_project;
use prisma_audit_core::load::{LoadLimits, load_dir};
use prisma_audit_core::rule::rule_metas;
use prisma_audit_core::{AuditOptions, Project};
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every rule, including the style rules that are off by default.
fn all_rules() -> AuditOptions {
    prisma_audit_rules::link();
    AuditOptions {
        config: Config {
            select: Some(rule_metas().iter().map(|m| m.id.to_string()).collect()),
            ..Config::default()
        },
        ..AuditOptions::default()
    }
}

/// (name, project) for each valid fixture and for the vet-clinic example.
fn projects() -> Vec<(String, Project)> {
    let root = repo().join("core/tests/fixtures/schemas/valid");
    let mut out = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("fixtures")
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let files: Vec<(String, Vec<u8>)> = if path.is_dir() {
            std::fs::read_dir(&path)
                .unwrap()
                .flatten()
                .filter(|e| e.path().extension().is_some_and(|x| x == "prisma"))
                .map(|e| {
                    (
                        format!("prisma/schema/{}", e.file_name().to_string_lossy()),
                        std::fs::read(e.path()).unwrap(),
                    )
                })
                .collect()
        } else if name.ends_with(".prisma") {
            vec![(
                "prisma/schema.prisma".to_string(),
                std::fs::read(&path).unwrap(),
            )]
        } else {
            continue;
        };
        out.push((name, Project::from_files("fixture", files)));
    }
    let vet = load_dir(&repo().join("examples/vet-clinic"), &LoadLimits::default())
        .expect("load vet-clinic");
    out.push(("examples/vet-clinic".to_string(), vet));
    out
}

/// Prisma 7 rejects connection URLs in the schema (they moved to prisma.config.ts): drop them
/// before validating, like the oracle fixtures do.
fn for_prisma7(schema: &str) -> String {
    schema
        .lines()
        .filter(|l| {
            let t = l.trim_start();
            !(t.starts_with("url ")
                || t.starts_with("url=")
                || t.starts_with("directUrl")
                || t.starts_with("shadowDatabaseUrl"))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
#[ignore = "slow: runs the real Prisma CLI (scripts/test-all.sh runs it)"]
fn fixed_schemas_are_valid_and_fixing_is_idempotent() {
    let options = all_rules();
    let tmp = std::env::temp_dir().join(format!("prisma-audit-fixes-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let mut to_validate: Vec<(PathBuf, String)> = Vec::new();
    let mut total_changed = 0;
    for (name, project) in projects() {
        for include_unsafe in [false, true] {
            let run = fix_project(&project, &options, include_unsafe)
                .unwrap_or_else(|e| panic!("{name}: fixing failed: {e}"));
            let again = fix_project(&run.project, &options, include_unsafe).unwrap();
            assert!(
                again.changed.is_empty(),
                "{name} (unsafe: {include_unsafe}): fixes are not idempotent; a second pass changed {:?}",
                again.changed.keys().collect::<Vec<_>>()
            );
            let schemas: Vec<_> = run
                .changed
                .iter()
                .filter(|(p, _)| p.ends_with(".prisma"))
                .collect();
            if schemas.is_empty() {
                continue;
            }
            total_changed += 1;
            let dir = tmp.join(format!(
                "{}-{}",
                name.replace('/', "_"),
                if include_unsafe { "unsafe" } else { "safe" }
            ));
            // Write the whole fixed schema (all .prisma files), not only changed files.
            let mut written = 0;
            for (_, f) in run.project.files() {
                if !f.path().ends_with(".prisma") {
                    continue;
                }
                let rel = f.path().rsplit('/').next().unwrap();
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(dir.join(rel), for_prisma7(f.text().unwrap_or(""))).unwrap();
                written += 1;
            }
            let target = if written == 1 {
                dir.join(
                    std::fs::read_dir(&dir)
                        .unwrap()
                        .next()
                        .unwrap()
                        .unwrap()
                        .file_name(),
                )
            } else {
                dir.clone()
            };
            let shown = schemas
                .iter()
                .map(|(p, t)| format!("--- {p}\n{t}"))
                .collect::<String>();
            to_validate.push((target, shown));
        }
    }
    if to_validate.is_empty() {
        eprintln!("no rule proposed a schema fix on any fixture");
        return;
    }
    let oracle = repo().join("tools/prisma-oracle/validate.mjs");
    let out = Command::new("node")
        .arg(&oracle)
        .args(to_validate.iter().map(|(p, _)| p))
        .output()
        .expect("run node tools/prisma-oracle/validate.mjs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let mut failures = Vec::new();
    for (line, (path, shown)) in stdout.lines().zip(&to_validate) {
        let v: serde_json::Value = serde_json::from_str(line).expect("oracle JSON line");
        assert!(
            v["oracleError"] != serde_json::Value::Bool(true),
            "oracle could not validate {}: {}",
            path.display(),
            v["output"]
        );
        if v["ok"] != serde_json::Value::Bool(true) {
            failures.push(format!(
                "{}: Prisma rejects the fixed schema: {}\n{shown}",
                path.display(),
                v["output"]
            ));
        }
    }
    assert_eq!(
        stdout.lines().count(),
        to_validate.len(),
        "oracle output: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    eprintln!(
        "{total_changed} fixed schema variants validated by Prisma ({} files/folders)",
        to_validate.len()
    );
    let _ = std::fs::remove_dir_all(&tmp);
}
