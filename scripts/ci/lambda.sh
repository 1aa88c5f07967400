#!/usr/bin/env bash
# Installs what the Lambda-as-process tests need and prints their exports:
#
#   eval "$(scripts/ci/lambda.sh)"
#
# - cargo-lambda from PyPI (it brings zig for cross builds) into .cache/venv-lambda,
#   idempotent: nothing happens when the pinned version is already there;
# - moto via scripts/moto.sh (started if it is not running).
# Only `export` lines go to stdout; progress goes to stderr. The tests read
# PAM_CARGO_LAMBDA (the cargo-lambda executable) and PAM_AWS_ENDPOINT / MOTO_PORT.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
venv="$root/.cache/venv-lambda"
version="1.9.2"

say() { printf 'lambda.sh: %s\n' "$*" >&2; }

if ! [ -x "$venv/bin/cargo-lambda" ] ||
  [ "$("$venv/bin/cargo-lambda" lambda --version 2>/dev/null | awk '{print $2}')" != "$version" ]; then
  say "installing cargo-lambda==$version into $venv"
  if ! command -v python3 >/dev/null || ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-venv >&2
  fi
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "cargo-lambda==$version" >&2
fi
echo "export PAM_CARGO_LAMBDA=$venv/bin/cargo-lambda"
scripts/moto.sh start
