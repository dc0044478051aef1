#!/usr/bin/env bash
# Builds the functions' test classpath (in target-bench, apart from the normal build) and runs a benchmark's main class.
# Usage: bench/java.sh <main class> [args...]   (used by bench/handlers.sh and bench/xray.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
out=target-bench
cpfile="$PWD/$out.classpath"
mvn -B -q -Drf.build=$out -pl functions -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$cpfile" -Dmdep.includeScope=test
cp="functions/$out/classes:functions/$out/test-classes:$(cat "$cpfile")"
rm -f "$cpfile"
java -Drackflow.root="$PWD" -cp "$cp" "$@" 2>&1 | grep --line-buffered -v -e "^{\"timestamp\"" -e "^{\"_aws\""
