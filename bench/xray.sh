#!/usr/bin/env bash
# Cold-start cost of the X-Ray SDK's AWS SDK instrumentation: fresh JVMs, first DynamoDB call, without and with it.
# Usage: bench/xray.sh [runs]   (default 7)
set -euo pipefail
cd "$(dirname "$0")/.."
out=target-bench
cpfile="$PWD/$out.classpath"
mvn -B -q -Drf.build=$out -pl functions -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$cpfile" -Dmdep.includeScope=test
cp="functions/$out/classes:functions/$out/test-classes:$(cat "$cpfile")"
rm -f "$cpfile"
java -Drackflow.root="$PWD" -cp "$cp" com.rackflow.bench.XRayColdStart "${1:-7}" 2>&1 | grep --line-buffered -v "^{\"timestamp\""
