#!/usr/bin/env bash
# Installs what the browser journey (crates/pam/tests/serve/journey.rs) needs, idempotently
# and safely on a fresh machine: Debian's chromium and Node.js (apt), the app's npm
# packages (playwright-core and @axe-core/playwright among them, from package-lock.json)
# and the built app in frontend/dist (rebuilt when any source is newer than it). The
# model and photos come from scripts/fetch-model.sh and scripts/fetch-photos.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

cd frontend
if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/@axe-core/playwright ] \
  || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
stale=0
if [ ! -f dist/index.html ]; then
  stale=1
elif [ -n "$(find src public index.html vite.config.ts tsconfig.json package-lock.json -newer dist/index.html -print -quit 2>/dev/null)" ]; then
  stale=1
fi
if [ "$stale" = 1 ]; then
  npm run build
fi
/usr/bin/chromium --version
node -e "require.resolve('playwright-core'); console.log('playwright-core', require('playwright-core/package.json').version)"
echo "browser journey ready: chromium, playwright-core, frontend/dist"
