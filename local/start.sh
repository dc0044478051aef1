#!/usr/bin/env bash
# Starts RackFlow's local stack with demo data: ./local/start.sh [--port 3000] [--persist] [--no-demo-data] [--max-instances 3] [--on-demand]
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
need javac "Install a JDK 17 or newer (a JRE has no javac)."
need mvn "Install Apache Maven 3.8 or newer."
need node "Install Node.js 20 or newer (the local DynamoDB, dynalite, runs on it)."
need npm "Install npm (it comes with Node.js)."

JAVA_VERSION="$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')"
[ "${JAVA_VERSION%%.*}" -ge 17 ] 2>/dev/null || fail "Java 17 or newer is needed; 'java' is version ${JAVA_VERSION:-unknown}."
NODE_MAJOR="$(node -p 'process.versions.node.split(".")[0]')"
[ "$NODE_MAJOR" -ge 20 ] 2>/dev/null || fail "Node.js 20 or newer is needed; 'node' is version $(node --version)."

# The command line, the ports and the --persist folder are checked before the build, by the stack's own argument
# parser run from source (the JDK alone): a bad option gets the usage line, a taken port or folder says which.
BUILD="${RF_BUILD:-target}"
ARGS_SOURCE="local/stack/src/main/java/com/rackflow/local/stack/LocalStackArguments.java"
ARGS_CLASSES="local/stack/$BUILD/arguments-check"
ARGS_CLASS="$ARGS_CLASSES/com/rackflow/local/stack/LocalStackArguments.class"
if [ ! -f "$ARGS_CLASS" ] || [ "$ARGS_SOURCE" -nt "$ARGS_CLASS" ]; then
  javac -nowarn -d "$ARGS_CLASSES" "$ARGS_SOURCE" || fail "cannot compile $ARGS_SOURCE."
fi
set +e
java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$ARGS_CLASSES" com.rackflow.local.stack.LocalStackArguments "$@"
CHECK=$?
set -e
case "$CHECK" in
  0) ;;
  3) exit 0 ;;
  *) exit "$CHECK" ;;
esac

if [ ! -f node_modules/dynalite/cli.js ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Installing the local stack's Node tools: dynalite, asl-validator, swagger-ui-dist (npm ci)..."
  npm ci --no-audit --no-fund --loglevel=error >/dev/null || fail "npm ci failed; run it by hand to see why."
fi

# The web console (npm ci + vite build, skipped when its sources are unchanged); the stack serves it on port + 3.
web/build.sh || fail "the web console build failed (output above); run web/build.sh to see why."

echo "Building (Maven)..."
BUILD_LOG="$(mktemp)"
trap 'rm -f "$BUILD_LOG"' EXIT
if ! mvn -B -q -Dmaven.test.skip=true -Drf.build="$BUILD" -pl functions,local/stack -am process-classes >"$BUILD_LOG" 2>&1; then
  sed 's/\x1b\[[0-9;]*m//g' "$BUILD_LOG" >&2
  fail "the Maven build failed (output above)."
fi
rm -f "$BUILD_LOG"
trap - EXIT

CLASSPATH_FILE="local/stack/$BUILD/stack.classpath"
[ -f "$CLASSPATH_FILE" ] || fail "the build did not write $CLASSPATH_FILE."
exec java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Drackflow.root="$ROOT" -Drackflow.build="$BUILD" \
  -cp "local/stack/$BUILD/classes:$(cat "$CLASSPATH_FILE")" \
  com.rackflow.local.stack.LocalStackMain "$@"
