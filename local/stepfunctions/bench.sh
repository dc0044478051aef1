#!/usr/bin/env bash
# Runs the local Step Functions benchmark (a main class compiled with the tests; not part of `mvn verify`).
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${RF_BUILD:-target-sfn}
mvn -B -q -Drf.build="$BUILD" -pl local/stepfunctions -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$BUILD/bench.classpath" -Dmdep.includeScope=test
CP="local/stepfunctions/$BUILD/test-classes:local/stepfunctions/$BUILD/classes:$(cat "local/stepfunctions/$BUILD/bench.classpath")"
exec java -Xmx1g -cp "$CP" com.rackflow.local.stepfunctions.bench.StepFunctionsBenchmark
