#!/usr/bin/env bash
# Build and test the Python and Node bindings. Idempotent: installs what is missing
# (a venv with maturin/pytest/pandas at .venv-bindings/, npm packages of bindings-node), then
# builds both bindings, runs pytest, node --test (parity with the CLI, the build-script example)
# and the binding-overhead check. Works offline once the first install is done.
# Usage: scripts/test-bindings.sh   (from anywhere)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
step() { printf '\n==> %s\n' "$*"; }

# The bindings are separate Cargo workspaces; one target dir serves them and the reference CLI.
export CARGO_TARGET_DIR=${PRISMA_AUDIT_BINDINGS_TARGET:-$ROOT/target/bindings}
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}

# Other work may change the core while this builds: build the CLI and both bindings from one
# snapshot of the sources (rebuild while the sources keep changing, up to 3 times).
src_hash() { find core/src core/Cargo.toml rules-builtin/src rules-builtin/Cargo.toml cli/src -type f | sort | xargs cat | sha256sum; }
VENV=$ROOT/.venv-bindings
step "Python: venv with maturin, pytest, pandas (.venv-bindings/)"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -c 'import maturin, pytest, pandas' 2>/dev/null ||
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check 'maturin>=1.16,<2' pytest pandas
step "Node: install @napi-rs/cli"
[ -x bindings-node/node_modules/.bin/napi ] || (cd bindings-node && npm ci --no-audit --no-fund --silent)

for attempt in 1 2 3; do
  before=$(src_hash)
  step "Build (attempt $attempt): reference CLI, Python extension, Node addon"
  cargo build --quiet --release -p prisma-audit
  (
    cd bindings-py
    export VIRTUAL_ENV=$VENV PATH=$VENV/bin:$PATH
    maturin develop --release --target "$(rustc -vV | sed -n "s/^host: //p")" > "$CARGO_TARGET_DIR/maturin-develop.log" 2>&1 ||
      { cat "$CARGO_TARGET_DIR/maturin-develop.log"; exit 1; }
  )
  (cd bindings-node && npx napi build --platform --release --js binding.js --dts binding.d.ts > /dev/null)
  [ "$(src_hash)" = "$before" ] && break
  echo "sources changed during the build; rebuilding"
done
export PRISMA_AUDIT_CLI=$CARGO_TARGET_DIR/release/prisma-audit

step "Python: pytest"
(
  cd bindings-py
  "$VENV/bin/python" -c 'import prisma_audit, sys; sys.exit(0 if prisma_audit.rules() else 1)'
  "$VENV/bin/python" -m pytest -q
)

step "Node: node --test (API, parity, types, ESM, examples/node-build-script)"
(cd bindings-node && node --test test/)

step "Bindings: overhead over the core audit (examples/vet-clinic), report only"
# Timings on a shared CI machine are noise, not test results (targets live in BENCHMARKS.md):
# print them, never fail the suite on them.
(cd bindings-py && "$VENV/bin/python" bench/bench.py) || echo "note: Python binding overhead above the 10% target on this run"
(cd bindings-node && node bench/bench.mjs) || echo "note: Node binding overhead above the 10% target on this run"

echo
echo "Binding tests passed."
