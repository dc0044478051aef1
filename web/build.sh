#!/usr/bin/env bash
# Builds the web console into web/dist (npm ci + vite build), skipped when its sources are unchanged since the last
# build (a hash of the sources, the lock file and the ASL definition it draws). Used by local/start.sh and the browser tests.
set -euo pipefail
WEB="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$WEB"
hash_sources() {
  { find src -type f | LC_ALL=C sort | xargs cat; cat index.html package.json package-lock.json vite.config.ts tsconfig.json ../statemachines/*.asl.json; } \
    | sha256sum | cut -d' ' -f1
}
HASH="$(hash_sources)"
if [ -f dist/index.html ] && [ "$(cat dist/.source-hash 2>/dev/null)" = "$HASH" ]; then
  echo "web console: unchanged, dist/ kept"
  exit 0
fi
LOCK_HASH="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ ! -d node_modules ] || [ "$(cat node_modules/.lock-hash 2>/dev/null)" != "$LOCK_HASH" ]; then
  echo "web console: npm ci"
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
  echo "$LOCK_HASH" > node_modules/.lock-hash
fi
echo "web console: vite build"
npx --no-install vite build --logLevel warn
echo "$HASH" > dist/.source-hash
