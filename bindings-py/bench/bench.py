"""Binding overhead: ``prisma_audit.audit(path)`` vs the core audit in pure Rust.

The core side runs inside the extension (``_native._bench_core``: load, configure, audit, the
work behind one call); core and binding calls alternate to share the machine's noise.
``audit()`` returns a Report whose typed attributes are built on first access; the cost of
that conversion (``.to_json()``, ``.to_dict()``, ``.findings``) is printed too. Exits 1 when
``audit()`` costs 10% or more over the core.

    python bench/bench.py [PATH] [--rounds 7] [--iterations 15]
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

import prisma_audit
from prisma_audit import _native

ap = argparse.ArgumentParser()
ap.add_argument("path", nargs="?", default=str(Path(__file__).resolve().parents[2] / "examples" / "vet-clinic"))
ap.add_argument("--rounds", type=int, default=7)
ap.add_argument("--iterations", type=int, default=15)
ap.add_argument("--limit", type=float, default=10.0, help="maximum overhead in percent")
args = ap.parse_args()

# warm-up (page cache, allocator)
for _ in range(3):
    prisma_audit.audit(args.path)
_native._bench_core(args.path, 3)

variants = {
    "audit()": lambda: prisma_audit.audit(args.path),
    "audit().to_json()": lambda: prisma_audit.audit(args.path).to_json(),
    "audit().to_dict()": lambda: prisma_audit.audit(args.path).to_dict(),
    "audit().findings (typed)": lambda: prisma_audit.audit(args.path).findings,
}
core = []
samples = {name: [] for name in variants}
for _ in range(args.rounds * args.iterations):
    # Alternate core and binding call by call so both see the same machine load.
    core += _native._bench_core(args.path, 1)
    for name, fn in variants.items():
        t = time.perf_counter()
        fn()
        samples[name].append(time.perf_counter() - t)

c = statistics.median(core) * 1000
print(f"python: core audit {c:.2f} ms (median of {len(core)})")
overheads = {}
for name, xs in samples.items():
    b = statistics.median(xs) * 1000
    overheads[name] = (b - c) / c * 100
    print(f"python: {name:<26} {b:.2f} ms, overhead {overheads[name]:+.1f}%")
sys.exit(0 if overheads["audit()"] < args.limit else 1)
