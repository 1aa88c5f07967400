#!/usr/bin/env bash
# Runs the browser journey against e2e/mock-pam.mjs instead of `pam serve`: checks the
# app and the journey script in real Chromium without the Rust server. Photos larger
# than MOCK_MULTIPART_OVER (512 KiB here) go through the multipart upload path.
# Usage: e2e/against-mock.sh OUT_DIR PHOTO1 PHOTO2 PHOTO3   (needs npm run build first)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: e2e/against-mock.sh OUT_DIR PHOTO1 PHOTO2 PHOTO3}
shift
[ $# -eq 3 ] || { echo "against-mock: give exactly three photos" >&2; exit 2; }
port=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
MOCK_MULTIPART_OVER=524288 USERNAME=journey PASSWORD=journey-pw node e2e/mock-pam.mjs --port "$port" &
mock=$!
trap 'kill "$mock" 2>/dev/null || true' EXIT
node -e "
const url = 'http://127.0.0.1:$port/config.json';
(async () => {
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(url)).ok) return; } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  console.error('against-mock: the mock server did not start'); process.exit(1);
})();"

BASE_URL="http://127.0.0.1:$port" USERNAME=journey PASSWORD=journey-pw \
  PHOTOS="$1,$2,$3" OUT_DIR="$out" TIMEOUT_MS=60000 node e2e/journey.mjs
