#!/usr/bin/env bash
# Starts RackFlow's local stack with demo data: ./local/start.sh [--port 3000] [--persist] [--no-demo-data]
# Builds what it needs (Maven, the web console), then runs the API, the local identity provider, dynalite and the
# web console until Ctrl-C.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

fail() {
  echo "rackflow: $*" >&2
  exit 1
}
need() {
  command -v "$1" >/dev/null 2>&1 || fail "'$1' is not installed or not on PATH. $2"
}
need java "Install a JDK 17 or newer."
need mvn "Install Apache Maven 3.8 or newer."
need node "Install Node.js 20 or newer (the local DynamoDB, dynalite, runs on it)."
need npm "Install npm (it comes with Node.js)."

JAVA_VERSION="$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')"
[ "${JAVA_VERSION%%.*}" -ge 17 ] 2>/dev/null || fail "Java 17 or newer is needed; 'java' is version ${JAVA_VERSION:-unknown}."
NODE_MAJOR="$(node -p 'process.versions.node.split(".")[0]')"
[ "$NODE_MAJOR" -ge 20 ] 2>/dev/null || fail "Node.js 20 or newer is needed; 'node' is version $(node --version)."

# Fail fast on a taken port, before the build (the stack checks again when it binds).
PORT=3000
ARGS=("$@")
for ((i = 0; i < ${#ARGS[@]}; i++)); do
  if [ "${ARGS[$i]}" = "--port" ] && [ $((i + 1)) -lt ${#ARGS[@]} ]; then
    PORT="${ARGS[$((i + 1))]}"
  fi
done
if [[ "$PORT" =~ ^[0-9]+$ ]] && [ "$PORT" -gt 0 ]; then
  for p in "$PORT" $((PORT + 1)) $((PORT + 2)) $((PORT + 3)); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      fail "port $p is already in use; stop what uses it or choose another port with --port"
    fi
  done
fi

if [ ! -f node_modules/dynalite/cli.js ]; then
  echo "Installing dynalite (npm ci)..."
  npm ci --no-audit --no-fund --loglevel=error >/dev/null || fail "npm ci failed; run it by hand to see why."
fi

# The web console (npm ci + vite build, skipped when its sources are unchanged); the stack serves it on port + 3.
web/build.sh || fail "the web console build failed (output above); run web/build.sh to see why."

BUILD="${RF_BUILD:-target}"
echo "Building (Maven)..."
BUILD_LOG="$(mktemp)"
trap 'rm -f "$BUILD_LOG"' EXIT
if ! mvn -B -q -Dmaven.test.skip=true -Drf.build="$BUILD" -pl local/stack -am process-classes >"$BUILD_LOG" 2>&1; then
  sed 's/\x1b\[[0-9;]*m//g' "$BUILD_LOG" >&2
  fail "the Maven build failed (output above)."
fi
rm -f "$BUILD_LOG"
trap - EXIT

CLASSPATH_FILE="local/stack/$BUILD/stack.classpath"
[ -f "$CLASSPATH_FILE" ] || fail "the build did not write $CLASSPATH_FILE."
exec java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Drackflow.root="$ROOT" \
  -cp "local/stack/$BUILD/classes:$(cat "$CLASSPATH_FILE")" \
  com.rackflow.local.stack.LocalStackMain "$@"
