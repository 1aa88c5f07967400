#!/usr/bin/env bash
# CI for cdk/: install the CDK app's npm packages, run its tests, and synthesize the
# stack offline from the Lambda binaries CI has already built in debug
# (`cargo test --workspace --all-targets` builds pam-lambdas' bins into target/debug/).
# Nothing here runs a release or cross build: the debug binaries are assembled into a
# cargo-lambda-shaped folder (<dir>/<name>/bootstrap, hard links) and the synth uses
# `--context arch=x86_64` (CI builds x86-64 only). A missing binary fails the run,
# naming it. Idempotent; safe on a fresh machine (installs Node.js from Debian if absent).
#
#   bash scripts/ci/cdk.sh            # npm ci + synth (templates in cdk/cdk.out/) + npm test
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cdk="$root/cdk"
target="${CARGO_TARGET_DIR:-$root/target}"
lambda_dir="$root/.cache/cdk-lambda"
export CDK_DISABLE_VERSION_CHECK=1 CDK_DISABLE_CLI_TELEMETRY=true

say() { printf 'cdk.sh: %s\n' "$*" >&2; }
elapsed() { echo $(( $(date +%s) - $1 ))s; }

# Node.js 20+ (aws-cdk-lib's minimum).
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  say "installing nodejs and npm from Debian"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then
  say "Node.js $(node --version) is too old: aws-cdk-lib needs 20 or later"; exit 1
fi

t0=$(date +%s)
(cd "$cdk" && npm ci --no-audit --no-fund --loglevel=error)
say "npm ci took $(elapsed "$t0")"
(cd "$cdk" && npx tsc -p tsconfig.json)

# Assemble <lambda_dir>/<name>/bootstrap from target/debug/<name>.
mapfile -t binaries < <(cd "$cdk" && node dist/bin/binaries.js)
[ "${#binaries[@]}" -gt 0 ] || { say "no Lambda binaries listed"; exit 1; }
rm -rf "$lambda_dir" && mkdir -p "$lambda_dir"
missing=()
for b in "${binaries[@]}"; do
  if [ -f "$target/debug/$b" ] && [ -x "$target/debug/$b" ]; then
    mkdir -p "$lambda_dir/$b"
    # Debug info stripped: the same code, a fifth of the bytes for cdk.out to copy.
    strip --strip-debug -o "$lambda_dir/$b/bootstrap" "$target/debug/$b" 2>/dev/null \
      || cp "$target/debug/$b" "$lambda_dir/$b/bootstrap"
  else
    missing+=("$b")
  fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  say "missing debug Lambda binaries in $target/debug: ${missing[*]}"
  say "build them first: cargo build -p pam-lambdas --bins (CI: cargo test --workspace --all-targets)"
  exit 1
fi
say "assembled ${#binaries[@]} binaries in $lambda_dir ($(du -sh "$lambda_dir" | cut -f1))"

# The React build CloudFront serves.
if [ ! -f "$root/frontend/dist/index.html" ]; then
  say "building the front end (frontend/dist missing)"
  (cd "$root/frontend" && { [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error; } && npm run build)
fi

export PAM_LAMBDA_DIR="$lambda_dir"
t0=$(date +%s)
rm -rf "$cdk/cdk.out"
(cd "$cdk" && npm run synth --silent -- --context arch=x86_64)
say "synth took $(elapsed "$t0")"
count="$(node -e 'console.log(Object.keys(require(process.argv[1]).Resources).length)' "$cdk/cdk.out/Pam.template.json")"
say "cdk.out/Pam.template.json: $count resources"

# The tests assert on the stack and check that cdk.out holds the same template.
t0=$(date +%s)
(cd "$cdk" && PAM_REQUIRE_CDK_OUT=1 npm test --silent)
say "npm test took $(elapsed "$t0")"
