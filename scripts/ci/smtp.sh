#!/usr/bin/env bash
# Installs what the download e2e tests (crates/pam/tests/download) need for their SMTP
# server: Python `aiosmtpd` in the shared test venv `.cache/venv-test` (created here if
# missing, extended if it exists). Idempotent and fresh-machine-safe; the tests find
# the interpreter through PAM_TEST_PYTHON or .cache/venv-test/bin/python.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv="$(pwd)/.cache/venv-test"
if "$venv/bin/python" -c 'import aiosmtpd' 2>/dev/null; then
  exit 0
fi
if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
fi
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check "aiosmtpd==1.4.6"
"$venv/bin/python" -c 'import aiosmtpd' 
echo "aiosmtpd ready in $venv"
