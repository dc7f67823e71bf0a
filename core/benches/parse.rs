//! Throughput of the PSL lexer, the parser, model resolution and parse + model together on
//! generated schemas of 100, 1,000 and 10,000 models
//! (`cargo bench -p prisma-audit-core --bench parse`). Target: ≥ 50 MB/s and linear growth.
//! Peak memory is measured by the `memory` bench. Results in BENCHMARKS.md.
//! Runs with mimalloc, the allocator of the shipped binaries (see `GLOBAL`).

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use prisma_audit_core::model::resolve;
use prisma_audit_core::rule::SchemaFile;
use prisma_audit_core::span::FileId;
use prisma_audit_core::syntax::{lex, parse};
use std::hint::black_box;

use prisma_audit_test_support::generate;

/// The allocator the CLI and the Node and Python bindings ship with. Under glibc's default
/// policy, freeing a 10,000-model result hands its heap back to the kernel, and every iteration
/// faults it in again (BENCHMARKS.md, "Parsing and model"); the `phases` bench keeps the system
/// allocator to show that case.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const SIZES: [usize; 3] = [100, 1_000, 10_000];

fn parse_file(text: &str) -> [SchemaFile; 1] {
    [SchemaFile {
        file: FileId(0),
        parse: parse(text),
    }]
}

fn bench_parse(c: &mut Criterion) {
    let texts: Vec<(usize, String)> = SIZES.iter().map(|&n| (n, generate::schema(n))).collect();

    let mut group = c.benchmark_group("lex");
    group.sample_size(10);
    for (models, text) in &texts {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(models), text, |b, text| {
            b.iter(|| lex(black_box(text)))
        });
    }
    group.finish();

    let mut group = c.benchmark_group("parse");
    group.sample_size(10);
    for (models, text) in &texts {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(models), text, |b, text| {
            b.iter(|| parse(black_box(text)))
        });
    }
    group.finish();

    // Resolution alone, on an already parsed tree.
    let mut group = c.benchmark_group("model");
    group.sample_size(10);
    for (models, text) in &texts {
        let files = parse_file(text);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(models), &files, |b, files| {
            b.iter(|| resolve(black_box(files)))
        });
    }
    group.finish();

    let mut group = c.benchmark_group("parse+model");
    group.sample_size(10);
    for (models, text) in &texts {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(models), text, |b, text| {
            b.iter(|| {
                let files = parse_file(black_box(text));
                let resolved = resolve(&files);
                (files, resolved)
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench_parse);
criterion_main!(benches);
