//! The full live audit of examples/vet-clinic's database: connect, take the read-only snapshot
//! (migrations, indexes, tables, constraints, enums, sequences, settings) and audit the project
//! with it, against a throwaway PostgreSQL 15 built from the example's history. Without
//! PostgreSQL 15 the bench reports nothing. Results in BENCHMARKS.md.
//!
//! `cargo bench -p prisma-audit-live --bench live_audit`

use criterion::{Criterion, criterion_group, criterion_main};
use prisma_audit_core::{AuditOptions, audit};
use prisma_audit_live::{LiveOptions, snapshot};
use prisma_audit_test_support::pg_cluster::Cluster;
use std::hint::black_box;
use std::path::Path;

fn bench(c: &mut Criterion) {
    if !Cluster::available() {
        eprintln!("PostgreSQL 15 is not installed: nothing to measure");
        return;
    }
    prisma_audit_rules::link();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/vet-clinic");
    let project = prisma_audit_core::load::load_dir(&root, &Default::default()).expect("load");
    let pg = Cluster::start();
    for name in [
        "20250406003044_init",
        "20250630232200_add_stripe_fields",
        "20250630232237_add_subscription_status",
        "20241210000000_add_trial_tracking",
        "20250701031226_add_public_pages_and_smart_identification",
        "20250727233325_add_super_admin_support",
    ] {
        let sql = std::fs::read_to_string(
            root.join("prisma/migrations")
                .join(name)
                .join("migration.sql"),
        )
        .expect("migration");
        assert!(pg.psql(&sql).status.success(), "{name}");
    }
    let url = pg.url("postgres");
    let mut group = c.benchmark_group("live_audit");
    group.sample_size(20);
    group.bench_function("vet-clinic: snapshot + audit", |b| {
        b.iter(|| {
            let live = snapshot(&url, &LiveOptions::default()).expect("snapshot");
            black_box(
                audit(
                    &project,
                    &AuditOptions {
                        live: Some(live),
                        ..AuditOptions::default()
                    },
                )
                .expect("audit"),
            )
        })
    });
    group.bench_function("vet-clinic: snapshot only", |b| {
        b.iter(|| black_box(snapshot(&url, &LiveOptions::default()).expect("snapshot")))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
