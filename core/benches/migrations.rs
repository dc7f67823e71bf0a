//! Migration history: parse + replay + drift on a generated history of 1,000 migrations
//! (~1 MB of SQL) with a matching schema. Target: < 100 ms. Results in BENCHMARKS.md.
//!
//! `cargo bench -p prisma-audit-core --bench migrations`

use criterion::{Criterion, criterion_group, criterion_main};
use prisma_audit_core::Project;
use prisma_audit_core::sql::drift::diff;
use prisma_audit_core::sql::load_history;
use prisma_audit_core::sql::scope::{MigrationScope, PendingMigrations, resolve};
use std::hint::black_box;

use generate::history::generated_project;
use prisma_audit_test_support::generate;

fn bench(c: &mut Criterion) {
    let files = generated_project(1000);
    let bytes: usize = files
        .iter()
        .filter(|(p, _)| p.ends_with(".sql"))
        .map(|(_, s)| s.len())
        .sum();
    eprintln!("generated history: 1000 migrations, {bytes} bytes of SQL");
    let project = Project::from_files("bench", files);
    let analysis = prisma_audit_core::audit::analyze(&project, None).expect("schema");
    let mut group = c.benchmark_group("migrations");
    group.sample_size(10);
    group.bench_function("parse+replay 1000 migrations", |b| {
        b.iter(|| {
            black_box(load_history(
                &project,
                Some("prisma/schema.prisma"),
                Some("postgresql"),
            ))
        })
    });
    let history =
        load_history(&project, Some("prisma/schema.prisma"), Some("postgresql")).expect("history");
    let items = diff(&analysis.schema, &history);
    eprintln!(
        "drift items on the in-sync generated project: {} (functions are migration-only: 100 expected)",
        items.len()
    );
    group.bench_function("drift 1000 tables", |b| {
        b.iter(|| black_box(diff(&analysis.schema, &history)))
    });
    group.bench_function("parse+replay+drift", |b| {
        b.iter(|| {
            let h = load_history(&project, Some("prisma/schema.prisma"), Some("postgresql"))
                .expect("history");
            black_box(diff(&analysis.schema, &h))
        })
    });
    // Migration scope: resolving which migrations are pending from a caller-supplied list of
    // the newest 5, as git or a live database gives it. (The whole audit in both scopes is in
    // `cargo bench -p prisma-audit-rules --bench schema_rules`, where the rules are linked.)
    let newest: Vec<String> = history
        .migrations
        .iter()
        .rev()
        .take(5)
        .map(|m| m.name.clone())
        .collect();
    let pending = PendingMigrations {
        source: "bench".into(),
        folders: newest,
    };
    group.bench_function("scope resolve 1000 migrations", |b| {
        b.iter(|| {
            black_box(resolve(
                &history,
                &MigrationScope::Pending,
                Some(black_box(&pending)),
            ))
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
