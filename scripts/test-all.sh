#!/usr/bin/env bash
# Run every test suite, installing what is missing first (idempotent; safe to re-run).
# Usage: scripts/test-all.sh            (from anywhere)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}
export PRISMA_HIDE_UPDATE_MESSAGE=1 CHECKPOINT_DISABLE=1

step() { printf '\n==> %s\n' "$*"; }

step "Rust: format check"
cargo fmt --all --check

step "Rust: build and test the workspace (unit, integration, snapshot, proptest, examples)"
cargo test --workspace --all-targets --quiet

step "Rust: clippy without warnings"
cargo clippy --workspace --all-targets --quiet -- -D warnings

step "Rust: docs build without warnings"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --quiet

step "Prisma oracle: install the pinned Prisma CLI and wasm validators (offline-capable after the first install)"
oracle_modules=tools/prisma-oracle/node_modules
if [ ! -x "$oracle_modules/.bin/prisma" ] || [ ! -d "$oracle_modules/@prisma/prisma-schema-wasm" ] \
  || [ ! -d "$oracle_modules/prisma-schema-wasm-6" ]; then
  npm ci --prefix tools/prisma-oracle --no-audit --no-fund --silent
fi

step "Slow suite: differential test against the real Prisma CLI"
cargo test -p prisma-audit-core --test prisma_oracle --quiet -- --ignored

step "Slow suite: 10,000 mutated schemas (fixtures and ../shared/corpus) vs Prisma's wasm validator"
cargo test -p prisma-audit-core --test prisma_differential --quiet -- --ignored

step "Slow suite: every fix applied to every fixture is accepted by Prisma and idempotent"
cargo test -p prisma-audit-rules --test fixes_validate --quiet -- --ignored

# Test input beside the checkout (../shared/corpus, or $PRISMA_AUDIT_CORPUS): both tests skip with
# a note when it is absent and fail when the wasm validators are missing. ~1.5 min in debug.
step "Slow suite: real schemas and projects (../shared/corpus) audit cleanly and agree with Prisma"
cargo test -p prisma-audit-rules --test corpus --quiet -- --ignored --nocapture

step "Slow suite: every fix on every Prisma-valid corpus schema is accepted by Prisma and idempotent"
cargo test -p prisma-audit-rules --test corpus_fixes --quiet -- --ignored --nocapture

# --- migrations: PostgreSQL cross-check ------------------------------------------------------
step "Slow suite: replayed migration catalog vs a throwaway PostgreSQL 15"
if ! command -v /usr/lib/postgresql/15/bin/initdb >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
cargo test -p prisma-audit-core --test sql_postgres_crosscheck --quiet -- --ignored

step "Slow suite: drift findings vs prisma migrate diff on corpus histories (throwaway PostgreSQL 15)"
if [ ! -f tools/prisma-migrate-diff/node_modules/prisma/package.json ] \
  || [ ! -d tools/prisma-migrate-diff/node_modules/@prisma/adapter-pg ]; then
  npm ci --prefix tools/prisma-migrate-diff --no-audit --no-fund --silent
fi
cargo test -p prisma-audit-rules --test migrate_diff_crosscheck --quiet -- --ignored --nocapture

step "Slow suite: --fix --unsafe-fixes leaves a consistent project (fixed schema + written migration vs prisma migrate diff)"
cargo test -p prisma-audit-rules --test fix_migration_crosscheck --quiet -- --ignored --nocapture

step "Slow suite: live database checks against a throwaway PostgreSQL 15 (read-only, as a read-only role)"
cargo test -p prisma-audit-live --test live_database --quiet -- --ignored
# --- end migrations ----------------------------------------------------------------------------

scripts/test-wasm.sh  # WebAssembly binding + browser playground

scripts/test-bindings.sh  # Python and Node bindings

step "Main job smoke test: audit examples/vet-clinic"
cargo run --quiet --release -p prisma-audit -- examples/vet-clinic --format markdown --fail-on none > /dev/null

echo
echo "All test suites passed."
