#!/usr/bin/env bash
# Build the wasm module and its JS glue for the browser (pkg-web) and Node (pkg-node).
# Needs: rustup target wasm32-unknown-unknown, wasm-bindgen-cli 0.2.130 (scripts/test-wasm.sh
# installs both). WASM_TARGET_DIR overrides the cargo target dir of the wasm build.
set -euo pipefail
cd "$(dirname "$0")"
TARGET_DIR=${WASM_TARGET_DIR:-${CARGO_TARGET_DIR:-../target}}
PROFILE=${WASM_PROFILE:-wasm-release}
CARGO_TARGET_DIR=$TARGET_DIR cargo build --quiet --profile "$PROFILE" -p prisma-audit-wasm \
  --target wasm32-unknown-unknown
WASM=$TARGET_DIR/wasm32-unknown-unknown/$PROFILE/prisma_audit_wasm.wasm
rm -rf pkg-web pkg-node
wasm-bindgen --target web --remove-name-section --out-dir pkg-web "$WASM"
wasm-bindgen --target nodejs --out-dir pkg-node "$WASM"
ls -l pkg-web/prisma_audit_wasm_bg.wasm | awk '{print "wasm: " $5 " bytes"}'
