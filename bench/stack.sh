#!/usr/bin/env bash
# Local stack benchmark: API ready time, first request (cold start through the runtime interface client) and warm
# p50/p99 per function through the local API Gateway, memory of the whole stack with every function warm.
# Usage: bench/stack.sh [warm-requests-per-function]   (default 200)
set -euo pipefail
cd "$(dirname "$0")/.."
out=target-bench
cpfile="$PWD/$out-stack.classpath"
mvn -B -q -Drf.build=$out -pl local/stack-e2e -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$cpfile" -Dmdep.includeScope=test
cp="local/stack-e2e/$out/test-classes:$(cat "$cpfile")"
rm -f "$cpfile"
java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Drackflow.root="$PWD" -Drackflow.build=$out -cp "$cp" \
  com.rackflow.local.stack.bench.StackBenchmark "${1:-200}" 2>&1 | grep --line-buffered -v -e '^{"timestamp"' -e '^{"_aws"'
