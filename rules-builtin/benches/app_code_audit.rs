//! The whole audit of the largest corpus project with application code (civitai: a 5,900-line
//! schema, its migration history and 40 TypeScript files with 635 Prisma Client calls), with
//! the default rules and with every rule that reads the application's queries switched on.
//! The corpus is read from `../shared/corpus` (or `$PRISMA_AUDIT_CORPUS`); without it the
//! bench reports nothing. Results in BENCHMARKS.md.
//!
//! `cargo bench -p prisma-audit-rules --bench app_code_audit`

use criterion::{Criterion, criterion_group, criterion_main};
use prisma_audit_core::config::{Config, RuleConfig};
use prisma_audit_core::load::{LoadLimits, load_dir};
use prisma_audit_core::{AuditOptions, audit};
use std::hint::black_box;
use std::path::PathBuf;

fn bench(c: &mut Criterion) {
    prisma_audit_rules::link();
    let corpus = std::env::var_os("PRISMA_AUDIT_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"));
    let root = corpus.join("projects/civitai__civitai");
    let Ok(project) = load_dir(&root, &LoadLimits::default()) else {
        eprintln!("corpus not found at {}: nothing to measure", root.display());
        return;
    };
    let mut with_app = Config::default();
    for id in prisma_audit_rules::APPLICATION_CODE_RULES {
        with_app.rules.insert(
            id.to_string(),
            RuleConfig {
                enabled: Some(true),
                ..Default::default()
            },
        );
    }
    let mut group = c.benchmark_group("app_code_audit");
    group.sample_size(10);
    for (name, config) in [
        ("default rules", Config::default()),
        ("application-code rules on", with_app),
    ] {
        let options = AuditOptions {
            schema: Some("packages/civitai-db-schema/prisma/schema.full.prisma".into()),
            config,
            ..AuditOptions::default()
        };
        let report = audit(&project, &options).expect("audit");
        eprintln!("civitai, {name}: {} findings", report.findings.len());
        group.bench_function(name, |b| {
            b.iter(|| black_box(audit(&project, &options).expect("audit")))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
