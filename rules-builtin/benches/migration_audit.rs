//! The whole audit (every default rule) of a generated PostgreSQL history of 1,000 migrations
//! with its 1,000-model schema, in the default `pending` migration scope (the newest five
//! migrations pending, as git or a live database reports them) and with `--migrations all`.
//! Against `cargo bench -p prisma-audit-core --bench migrations` (parse + replay + drift), it
//! shows what the migration scope and the migration rules add. Results in BENCHMARKS.md.
//!
//! `cargo bench -p prisma-audit-rules --bench migration_audit`

use criterion::{Criterion, criterion_group, criterion_main};
use prisma_audit_core::config::Config;
use prisma_audit_core::sql::{MigrationScope, PendingMigrations};
use prisma_audit_core::{AuditOptions, Project, audit};
use std::hint::black_box;

use prisma_audit_test_support::generate;

fn bench(c: &mut Criterion) {
    prisma_audit_rules::link();
    let files = generate::history::generated_project(1000);
    let newest: Vec<String> = files
        .iter()
        .filter_map(|(p, _)| {
            p.strip_prefix("prisma/migrations/")?
                .strip_suffix("/migration.sql")
        })
        .map(str::to_string)
        .rev()
        .take(5)
        .collect();
    let project = Project::from_files("bench", files);
    let mut group = c.benchmark_group("migration_audit");
    group.sample_size(10);
    for (name, scope) in [
        ("pending (5 of 1000)", MigrationScope::Pending),
        ("all 1000", MigrationScope::All),
    ] {
        let options = AuditOptions {
            config: Config {
                migrations: scope,
                ..Config::default()
            },
            pending_migrations: Some(PendingMigrations {
                source: "bench".into(),
                folders: newest.clone(),
            }),
            ..AuditOptions::default()
        };
        let report = audit(&project, &options).expect("audit");
        eprintln!("{name}: {} findings", report.findings.len());
        group.bench_function(name, |b| {
            b.iter(|| black_box(audit(&project, &options).expect("audit")))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
