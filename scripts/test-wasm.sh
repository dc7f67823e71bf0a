#!/usr/bin/env bash
# WebAssembly binding + playground: install what is missing, build the module for the
# web and Node, run the Node tests and the real-browser test (Chromium, network disabled).
# Idempotent. WASM_TARGET_DIR (default: CARGO_TARGET_DIR or target/) is the wasm build's target dir.
# Benchmark (not run here): node examples/playground/bench/bench.mjs
set -euo pipefail
cd "$(dirname "$0")/.."
WBG=0.2.130   # = the wasm-bindgen crate pinned in bindings-wasm/Cargo.toml

step() { printf '\n==> %s\n' "$*"; }

step "wasm: toolchain (rustup target, wasm-bindgen-cli $WBG, chromium, playwright-core)"
rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WBG" ]; then
  cargo install wasm-bindgen-cli --version "$WBG"   # no --locked: its lockfile pins a crate the mirror lacks
fi
if ! command -v chromium >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
if [ ! -d examples/playground/node_modules/playwright-core ]; then
  npm ci --prefix examples/playground --no-audit --no-fund --silent
fi

step "wasm: build the module (pkg-web, pkg-node) and the playground (dist/)"
bindings-wasm/build.sh
node examples/playground/build.mjs

step "wasm: Node tests of the module (rule count vs the native registry)"
NATIVE_RULES=$(mktemp)
trap 'rm -f "$NATIVE_RULES"' EXIT
cargo run --quiet -p prisma-audit -- --list-rules --format json > "$NATIVE_RULES"
NATIVE_RULES=$NATIVE_RULES node --test bindings-wasm/test/

step "wasm: playground helpers and real-browser test (screenshot: ${SCREENSHOT:-/tmp/playground.png})"
node --test examples/playground/test/
