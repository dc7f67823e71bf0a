#!/usr/bin/env python3
"""Compare the JSON reports of two builds of the CLI, byte for byte.

usage: scripts/compare-reports.py BASE_REF [--corpus DIR] [--keep]

Builds the `prisma-audit` CLI at BASE_REF (in a temporary git worktree) and in the working
tree, then audits with both, default options and `--format json`:
  - every example with a Prisma project (examples/*),
  - every test fixture schema (core/tests/fixtures/schemas/**: a file, or a folder for
    multi-file schemas) and every fixture migration project (core/tests/fixtures/migrations/*),
  - every entry of the real-world corpus (../shared/corpus or $PRISMA_AUDIT_CORPUS), when
    present.
Prints the counts (identical / different / failed in both) and the first differences, and
exits 1 when any report differs. A restructuring of the code must leave every report
byte-identical.
"""
import argparse, csv, os, subprocess, sys

root = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
ap = argparse.ArgumentParser()
ap.add_argument("base")
ap.add_argument("--corpus", default=os.environ.get("PRISMA_AUDIT_CORPUS", os.path.join(root, "..", "shared", "corpus")))
ap.add_argument("--keep", action="store_true", help="keep the base worktree")
a = ap.parse_args()


def build(src, target):
    subprocess.run(
        ["cargo", "build", "--quiet", "--release", "-p", "prisma-audit"],
        cwd=src, check=True, env={**os.environ, "CARGO_TARGET_DIR": target},
    )
    return os.path.join(target, "release", "prisma-audit")


def cases():
    """(label, cwd, args) of every audit to compare."""
    out = []
    ex = os.path.join(root, "examples")
    for name in sorted(os.listdir(ex)):
        d = os.path.join(ex, name)
        if os.path.isfile(os.path.join(d, "prisma", "schema.prisma")):
            out.append((f"examples/{name}", d, ["."]))
    schemas = os.path.join(root, "core", "tests", "fixtures", "schemas")
    for kind in sorted(os.listdir(schemas)):
        base = os.path.join(schemas, kind)
        if not os.path.isdir(base):
            continue
        for name in sorted(os.listdir(base)):
            out.append((f"fixtures/schemas/{kind}/{name}", base, [".", "--schema", name]))
    migs = os.path.join(root, "core", "tests", "fixtures", "migrations")
    for name in sorted(os.listdir(migs)):
        out.append((f"fixtures/migrations/{name}", os.path.join(migs, name), ["."]))
    manifest = os.path.join(a.corpus, "MANIFEST.tsv")
    if os.path.isfile(manifest):
        seen = set()
        for r in csv.DictReader(open(manifest), delimiter="\t"):
            schema = r["schema_paths"].split(";")[0]
            key = (r["dir"], schema)
            if key in seen:
                continue
            seen.add(key)
            out.append((f"corpus/{r['dir']}/{schema}", os.path.join(a.corpus, r["dir"]), [".", "--schema", schema]))
    else:
        print(f"no corpus at {a.corpus}: examples and fixtures only", file=sys.stderr)
    return out


def run(binary, cwd, args):
    p = subprocess.run([binary, *args, "--format", "json", "--fail-on", "none"], cwd=cwd, capture_output=True, timeout=300)
    return p.returncode, p.stdout, p.stderr


# A fixed place for the base checkout, so that its build is reused by the next comparison.
wt = os.path.join(root, "target", "compare-base-src")
if os.path.exists(wt):
    subprocess.run(["git", "worktree", "remove", "--force", wt], cwd=root)
subprocess.run(["git", "worktree", "add", "--quiet", "--detach", wt, a.base], cwd=root, check=True)
try:
    print(f"building {a.base} ...", file=sys.stderr)
    old = build(wt, os.path.join(root, "target", "compare-base"))
    print("building the working tree ...", file=sys.stderr)
    new = build(root, os.path.join(root, "target"))
    same = differ = failed = 0
    shown = 0
    for label, cwd, args in cases():
        ro, oo, eo = run(old, cwd, args)
        rn, on, en = run(new, cwd, args)
        if (ro, oo, eo) == (rn, on, en):
            if ro > 1:
                failed += 1
            else:
                same += 1
            continue
        differ += 1
        if shown < 10:
            shown += 1
            print(f"DIFFERENT: {label} (exit {ro} -> {rn})")
            for i, (x, y) in enumerate(zip(oo.splitlines(), on.splitlines())):
                if x != y:
                    print(f"  line {i + 1}:\n    - {x[:200]!r}\n    + {y[:200]!r}")
                    break
    print(f"identical: {same}, different: {differ}, failing in both the same way: {failed}")
    sys.exit(1 if differ else 0)
finally:
    if not a.keep:
        subprocess.run(["git", "worktree", "remove", "--force", wt], cwd=root)
