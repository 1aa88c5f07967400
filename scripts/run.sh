#!/usr/bin/env bash
# The README's run command: PAM on one machine, in the browser. Fetches the on-device
# model, builds the web app when frontend/dist is missing or older than its sources,
# builds `pam`, imports Debian's sample photos on the first run (skip with
# PAM_IMPORT_SAMPLES=0, or pass your own folders/files as arguments), then runs
# `pam serve` on 127.0.0.1:8080 (PAM_LISTEN to change). The first start prints the
# sign-in password of the user `admin`, once. Data: PAM_DATA_DIR (default ./pam-data).
set -euo pipefail
cd "$(dirname "$0")/.."
export PAM_DATA_DIR="${PAM_DATA_DIR:-$PWD/pam-data}"
listen="${PAM_LISTEN:-127.0.0.1:8080}"

scripts/fetch-model.sh

if ! command -v npm >/dev/null 2>&1; then
  echo "run.sh: npm is needed to build the web app (apt-get install nodejs npm)" >&2
  exit 1
fi
(
  cd frontend
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund
  fi
  if [ ! -f dist/index.html ] \
    || [ -n "$(find src public index.html vite.config.ts tsconfig.json package-lock.json -newer dist/index.html -print -quit 2>/dev/null)" ]; then
    npm run build
  fi
)

cargo build --release -p pam
pam=target/release/pam

first_run=0
[ -e "$PAM_DATA_DIR/index.sqlite" ] || first_run=1
if [ $# -gt 0 ]; then
  "$pam" import "$@"
elif [ "$first_run" = 1 ] && [ "${PAM_IMPORT_SAMPLES:-1}" = 1 ]; then
  scripts/fetch-photos.sh
  "$pam" import .cache/photos
fi

echo "run.sh: starting pam serve — open http://$listen/ (data: $PAM_DATA_DIR)"
exec "$pam" serve --listen "$listen" --ui frontend/dist
