//! Cost of the schema rules relative to parsing: parse + model (`analyze`) versus a full audit
//! running every schema rule (categories data-integrity, performance and style, including the
//! style rules that are off by default) on generated schemas of 100, 1,000 and 10,000 models.
//! Target: the rules cost at most 2× the parse + model time.
//!
//! Group `default_rules` runs the DEFAULT rule set (what the CLI runs without flags) on 100 and
//! 1,000 models, with and without rendering the JSON report, so the cost after parse + model
//! (rules, suppressions, report building, sorting, JSON) is visible next to `parse+model`.
//!
//! `cargo bench -p prisma-audit-rules --bench schema_rules`

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use prisma_audit_core::audit::analyze;
use prisma_audit_core::config::Config;
use prisma_audit_core::finding::Category;
use prisma_audit_core::render::{Format, RenderOptions, render};
use prisma_audit_core::rule::rule_metas;
use prisma_audit_core::{AuditOptions, Project, audit};
use std::hint::black_box;

use prisma_audit_test_support::generate;

fn schema_rule_ids() -> Vec<String> {
    prisma_audit_rules::link();
    rule_metas()
        .into_iter()
        .filter(|m| {
            matches!(
                m.category,
                Category::DataIntegrity | Category::Performance | Category::Style
            )
        })
        .map(|m| m.id.to_string())
        .collect()
}

fn bench(c: &mut Criterion) {
    let options = AuditOptions {
        config: Config {
            select: Some(schema_rule_ids()),
            ..Config::default()
        },
        ..AuditOptions::default()
    };
    audit_group(c, "schema_rules", &options, &[100, 1_000, 10_000], false);
}

fn bench_default(c: &mut Criterion) {
    prisma_audit_rules::link();
    audit_group(
        c,
        "default_rules",
        &AuditOptions::default(),
        &[100, 1_000],
        true,
    );
}

/// parse+model and the whole audit (plus rendering the JSON report when `json`) on generated
/// schemas of each size.
fn audit_group(c: &mut Criterion, name: &str, options: &AuditOptions, sizes: &[usize], json: bool) {
    let mut group = c.benchmark_group(name);
    group.sample_size(10);
    for &n in sizes {
        let text = generate::schema(n);
        let project = Project::from_files("bench", [("prisma/schema.prisma", text.as_str())]);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::new("parse+model", n), &project, |b, p| {
            b.iter(|| black_box(analyze(p, None).unwrap()))
        });
        group.bench_with_input(BenchmarkId::new("audit", n), &project, |b, p| {
            b.iter(|| black_box(audit(p, options).unwrap()))
        });
        if json {
            group.bench_with_input(BenchmarkId::new("audit+json", n), &project, |b, p| {
                b.iter(|| {
                    let report = audit(p, options).unwrap();
                    let opts = RenderOptions::default();
                    black_box(render(&report, Some(p), &[], Format::Json, &opts))
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench, bench_default);
criterion_main!(benches);
