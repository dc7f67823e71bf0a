//! Peak heap memory of parse + model resolution on the generated schemas of 100, 1,000 and
//! 10,000 models, as a multiple of the input size (target: < 20×), plus one CPU-time timing
//! of each phase (thread CPU time). Memory is deterministic, so one run suffices:
//!
//! `cargo bench -p prisma-audit-core --bench memory`
//!
//! The peak counts every live heap allocation made while parsing and resolving (the input text
//! itself excluded), measured by a counting global allocator. Results in BENCHMARKS.md.

use prisma_audit_core::model::resolve;
use prisma_audit_core::rule::SchemaFile;
use prisma_audit_core::span::FileId;
use prisma_audit_core::syntax::parse;
use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use prisma_audit_test_support::generate;

/// The system allocator, counting live bytes and their peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
/// Number of allocation calls (allocation count drives both build and drop time).
static CALLS: AtomicUsize = AtomicUsize::new(0);

fn grow(n: usize) {
    CALLS.fetch_add(1, Relaxed);
    let live = LIVE.fetch_add(n, Relaxed) + n;
    PEAK.fetch_max(live, Relaxed);
}

// SAFETY: every call is forwarded unchanged to the system allocator; only counters are updated.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's layout.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grow(layout.size());
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's layout.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grow(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded with the caller's pointer and layout.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded with the caller's pointer, layout and size.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                grow(new_size - layout.size());
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Relaxed);
            }
        }
        p
    }
}

/// CPU time of this thread in nanoseconds (Linux `schedstat`; wall-clock time elsewhere). CPU
/// time does not count the time the thread waits for a core, so it is steadier than wall-clock
/// time on a loaded machine.
fn cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or_else(|| {
            static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
            START
                .get_or_init(std::time::Instant::now)
                .elapsed()
                .as_nanos() as u64
        })
}

#[global_allocator]
static ALLOC: Counting = Counting;

fn main() {
    // `cargo bench` passes `--bench`; a size may be given to measure only that one. Without
    // `--bench` (`cargo test --all-targets`, an unoptimized build) only a smoke run is done.
    let args: Vec<String> = std::env::args().skip(1).collect();
    let sizes: Vec<usize> = args.iter().filter_map(|a| a.parse().ok()).collect();
    let sizes = match (sizes.is_empty(), args.iter().any(|a| a == "--bench")) {
        (false, _) => sizes,
        (true, true) => vec![100, 1_000, 10_000],
        (true, false) => vec![100],
    };
    println!(
        "models      bytes   parse ms  resolve ms  parse peak/input  tree/input  model/input  peak bytes  peak/input  parse allocs  resolve allocs"
    );
    for models in sizes {
        let text = generate::schema(models);
        let base = LIVE.load(Relaxed);
        PEAK.store(base, Relaxed);
        let calls0 = CALLS.load(Relaxed);
        let t0 = cpu_ns();
        let files = [SchemaFile {
            file: FileId(0),
            parse: parse(black_box(&text)),
        }];
        let t1 = cpu_ns();
        let parse_calls = CALLS.load(Relaxed) - calls0;
        let parse_peak = PEAK.load(Relaxed) - base;
        let tree = LIVE.load(Relaxed) - base;
        let (schema, diags) = resolve(black_box(&files));
        let t2 = cpu_ns();
        let resolve_calls = CALLS.load(Relaxed) - calls0 - parse_calls;
        let model = LIVE.load(Relaxed) - base - tree;
        assert!(
            files[0].parse.errors().is_empty(),
            "generated schema has syntax errors"
        );
        assert!(
            diags
                .iter()
                .all(|d| d.level != prisma_audit_core::diagnostic::DiagnosticLevel::Error),
            "generated schema has errors: {:?}",
            diags.first()
        );
        let peak = PEAK.load(Relaxed) - base;
        println!(
            "{models:>6} {:>10} {:>10.1} {:>11.1} {:>16.1}x {:>10.1}x {:>11.1}x {peak:>11} {:>10.1}x {parse_calls:>13} {resolve_calls:>15}",
            text.len(),
            (t1 - t0) as f64 / 1e6,
            (t2 - t1) as f64 / 1e6,
            parse_peak as f64 / text.len() as f64,
            tree as f64 / text.len() as f64,
            model as f64 / text.len() as f64,
            peak as f64 / text.len() as f64,
        );
        assert!(
            peak < 20 * text.len(),
            "peak memory {peak} is not below 20x the input ({} bytes)",
            text.len()
        );
        drop((schema, diags, files));
    }
}
