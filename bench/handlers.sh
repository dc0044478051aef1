#!/usr/bin/env bash
# Handler benchmark: cold start (fresh JVM), warm p50/p99 and DynamoDB capacity per invoke, against dynalite.
# Usage: bench/handlers.sh [warm-invokes]   (default 1000); bench/handlers.sh --writes: only write capacity per write route;
# bench/handlers.sh --capacity N: capacity per invoke only (N warm invokes, no cold start)
set -euo pipefail
cd "$(dirname "$0")/.."
out=target-bench
cpfile="$PWD/$out.classpath"
mvn -B -q -Drf.build=$out -pl functions -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$cpfile" -Dmdep.includeScope=test
cp="functions/$out/classes:functions/$out/test-classes:$(cat "$cpfile")"
rm -f "$cpfile"
java -Drackflow.root="$PWD" -cp "$cp" com.rackflow.bench.HandlerBenchmark "${@:-1000}" 2>&1 | grep --line-buffered -v "^{\"timestamp\""
