#!/usr/bin/env bash
# The README's test command: installs what the tests need on a fresh machine
# (from Debian, PyPI, npm and crates.io only), then runs every test once.
# Safe to run again: each step skips what is already in place.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
log() { printf '\n== %s\n' "$*"; }

# --- Debian packages -------------------------------------------------------
need_apt=()
command -v unzip >/dev/null || need_apt+=(unzip)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "apt-get install ${need_apt[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# --- Test data: real photos and the on-device model (cached under .cache/) --
if [ -x scripts/fetch-photos.sh ]; then log "photos"; scripts/fetch-photos.sh; fi
if [ -x scripts/fetch-model.sh ]; then log "model"; scripts/fetch-model.sh; fi

# --- Rust: one build, one test run -----------------------------------------
log "cargo test (workspace)"
mkdir -p target
cargo test --workspace --all-targets 2>&1 | tee target/cargo-test.log
status=${PIPESTATUS[0]}
[ "$status" -eq 0 ] || exit "$status"

# --- Front end --------------------------------------------------------------
if [ -f frontend/package.json ]; then
  log "frontend: npm ci && npm test && npm run build"
  (cd frontend && npm ci --no-audit --no-fund && npm test && npm run build)
fi
log "all tests passed"
