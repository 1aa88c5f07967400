#!/usr/bin/env bash
# The README's test command: installs what the tests need on a fresh machine
# (from Debian, PyPI, npm and crates.io only), starts the servers they talk to on
# 127.0.0.1 (moto + its Lambda proxy; the tests start their own SMTP server and
# `pam serve`), builds the React app, then runs every Rust test in one `cargo test`
# (one debug build), the front end's tests, and the CDK app's tests and offline synth
# from the Lambda binaries that build produced.
# Safe to run again: each step skips what is already in place (caches under .cache/).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
log() { printf '\n== %s\n' "$*"; }

# --- Debian packages: zip readers the bundle tests check against -----------
need_apt=()
command -v unzip >/dev/null || need_apt+=(unzip)
command -v bsdtar >/dev/null || need_apt+=(libarchive-tools)
command -v javac >/dev/null || need_apt+=(openjdk-17-jdk-headless)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "apt-get install ${need_apt[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# --- Python for test tools (stream-unzip: a streaming zip reader) -----------
venv="$root/.cache/venv-test"
if ! "$venv/bin/python" -c 'import stream_unzip' 2>/dev/null; then
  log "python test venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "stream-unzip==0.0.101"
fi
export PATH="$venv/bin:$PATH"

# --- Test data: real photos and the on-device model (cached under .cache/) --
log "photos"; scripts/fetch-photos.sh
log "model"; scripts/fetch-model.sh
log "smtp server for the download e2e (aiosmtpd)"; scripts/ci/smtp.sh

# --- Browser journey: Debian chromium, playwright-core, the built React app --
log "browser: chromium, frontend npm ci, frontend/dist"; scripts/ci/browser.sh

# --- moto (AWS wire protocols on 127.0.0.1) + its Lambda proxy + cargo-lambda -
log "moto + cargo-lambda"
trap 'scripts/moto.sh stop >/dev/null 2>&1 || true' EXIT
eval "$(scripts/ci/lambda.sh)"

# Nothing may skip in a full run: a missing tool, asset or server is a failure.
export PAM_REQUIRE_ASSETS=1 PAM_BUNDLE_REQUIRE_TOOLS=1 PAM_AWS_REQUIRE=1 PAM_REQUIRE_BROWSER=1

# --- Rust: one build, one test run -----------------------------------------
log "cargo test (workspace)"
cargo test --workspace --all-targets

# --- Front end unit tests (npm ci and the build ran in scripts/ci/browser.sh) -
log "frontend: npm test"
(cd frontend && npm test)

# --- CDK: npm ci, offline synth from the debug Lambda binaries, assertions ----
log "cdk: npm ci, synth, npm test"
scripts/ci/cdk.sh

log "all tests passed"
