//! Parse throughput of the PSL lexer and parser on generated schemas of 100, 1,000 and 10,000
//! models (`cargo bench -p prisma-audit-core --bench parse`).

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use prisma_audit_core::syntax::{lex, parse};
use std::hint::black_box;

mod generate;

const SIZES: [usize; 3] = [100, 1_000, 10_000];

fn bench_parse(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse");
    group.sample_size(20);
    for models in SIZES {
        let text = generate::schema(models);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(models), &text, |b, text| {
            b.iter(|| parse(black_box(text)))
        });
    }
    group.finish();

    let mut group = c.benchmark_group("lex");
    group.sample_size(20);
    for models in SIZES {
        let text = generate::schema(models);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(models), &text, |b, text| {
            b.iter(|| lex(black_box(text)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_parse);
criterion_main!(benches);
