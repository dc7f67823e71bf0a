//! Where parse + model time goes as schemas grow: wall-clock time of parsing, resolving and
//! dropping the generated schemas of 1,000 and 10,000 models, interleaved (1k, 10k, 1k, 10k)
//! so both sizes see the same machine state, each scaled to "per 10,000 models" for a direct
//! linearity check:
//!
//! `cargo bench -p prisma-audit-core --bench phases`
//!
//! `-- oneshot N` times a single parse + resolve + drop of N models, as a fresh process (the CLI)
//! pays it: every page of the tree and model is touched for the first time. Run it several
//! times per size. Without `--bench` (`cargo test --all-targets`) only a smoke run is done.
//! Results and what they mean in BENCHMARKS.md.

use prisma_audit_core::model::resolve;
use prisma_audit_core::rule::SchemaFile;
use prisma_audit_core::span::FileId;
use prisma_audit_core::syntax::parse;
use std::hint::black_box;
use std::time::Instant;

use prisma_audit_test_support::generate;

/// Median of `v` (sorted in place); 0 for an empty list.
fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let oneshot = args
        .iter()
        .position(|a| a == "oneshot")
        .and_then(|i| args.get(i + 1)?.parse().ok());
    // (models, repetitions)
    let plan: Vec<(usize, usize)> = match (oneshot, args.iter().any(|a| a == "--bench")) {
        (Some(models), _) => vec![(models, 1)],
        (None, true) => vec![(1_000, 40), (10_000, 6), (1_000, 40), (10_000, 6)],
        (None, false) => vec![(100, 1)],
    };
    println!(
        "models   parse ms  resolve ms  drop ms  total ms  | per 10,000 models: total ms   MB/s"
    );
    for (models, reps) in plan {
        let text = generate::schema(models);
        let mut times = [Vec::new(), Vec::new(), Vec::new()];
        for _ in 0..reps {
            let t0 = Instant::now();
            let files = [SchemaFile {
                file: FileId(0),
                parse: parse(black_box(&text)),
            }];
            let t1 = Instant::now();
            let resolved = resolve(black_box(&files));
            let t2 = Instant::now();
            drop(black_box((resolved, files)));
            let t3 = Instant::now();
            for (slot, (a, b)) in times.iter_mut().zip([(t0, t1), (t1, t2), (t2, t3)]) {
                slot.push((b - a).as_secs_f64() * 1e3);
            }
        }
        let [parse_ms, resolve_ms, drop_ms] = times.map(|mut v| median(&mut v));
        let total = parse_ms + resolve_ms + drop_ms;
        println!(
            "{models:>6} {parse_ms:>10.2} {resolve_ms:>11.2} {drop_ms:>8.2} {total:>9.2}  | {:>28.1} {:>6.1}",
            total * 10_000.0 / models as f64,
            text.len() as f64 / total / 1e3,
        );
    }
}
