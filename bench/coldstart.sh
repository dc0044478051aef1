#!/usr/bin/env bash
# Fresh-JVM cold starts side by side with the plain-Java peer (aws-samples serverless-java-frameworks-samples, its
# dagger/ GET /products/{id}), then the first request after SnapStart priming per function.
# Usage: bench/coldstart.sh --peer <checkout of serverless-java-frameworks-samples> [rounds (default 15)] [--only name,name]
#        [--xray (GET /customers/{id} also traced, as Lambda's env sets it)] [--no-primed]; BENCH_VARIANTS=1: GET
#        /customers/{id} also without the jars it never loads and on the test class path; BENCH_JVM_FLAGS: added flags;
#        BENCH_CAPACITY_INVOKES (default 20): invokes per route of the capacity pass (bench/handlers.sh --capacity), whose
#        billed and independent units per request end the per-function table; exits 3 on a MISMATCH
# The peer is built outside this repository (target-bench-peer/, ignored by git) with its own pom, its AWS SDK BOM set
# to ours (2.57.8) so that it honours AWS_ENDPOINT_URL_DYNAMODB (its 2.17 cannot reach a local DynamoDB) and its X-Ray
# BOM to ours (2.18.2); nothing else of it changes, and none of its code enters this repository.
set -euo pipefail
cd "$(dirname "$0")/.."
peer=""
if [ "${1:-}" = "--peer" ]; then peer="$2"; shift 2; fi
args=("${@:-15}")
if [[ ! "${args[0]}" =~ ^[0-9]+$ ]]; then args=(15 "${args[@]}"); fi
out=${BENCH_OUT:-target-bench}   # another output folder lets a second run build while one runs
root="$PWD"
props=()
if [ -n "$peer" ]; then
  rm -rf target-bench-peer && mkdir -p target-bench-peer && cp -r "$peer/dagger" target-bench-peer/
  sed -i 's#<version>2.17.239</version>#<version>2.57.8</version>#; s#<version>2.11.0</version>#<version>2.18.2</version>#' target-bench-peer/dagger/pom.xml
  (cd target-bench-peer/dagger && mvn -B -q -DskipTests package)
  props+=("-Dbench.peer.classpath=$root/target-bench-peer/dagger/target/dagger-lambda-function-1.0.0-SNAPSHOT.jar")
fi
mvn -B -q -Drf.build=$out -pl functions -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$root/$out.classpath" -Dmdep.includeScope=test
cp="functions/$out/classes:functions/$out/test-classes:$(cat "$root/$out.classpath")"
rm -f "$root/$out.classpath"
# each function's deployable class path: what sam build puts in the task root (classes, lib/*.jar)
functions_cp="$root/functions/$out/classes:$(cat functions/$out/lambda-lib.classpath)"
# the fresh JVMs' driver (ColdStart) and the Lambda runtime's own event serializers, as the runtime provides them
harness="$root/$out-harness"
rm -rf "$harness" && mkdir -p "$harness/com/rackflow/bench"
cp functions/$out/test-classes/com/rackflow/bench/ColdStart.class "$harness/com/rackflow/bench/"
serialization=$(tr ':' '\n' <<<"$cp" | grep -E 'aws-lambda-java-(serialization|runtime-interface-client)' | paste -sd:)
variants=()
if [ "${BENCH_VARIANTS:-}" = 1 ]; then  # GET /customers/{id} also without the jars it never loads, and on the test class path
  variants+=(-Dbench.lean.classpath="$root/functions/$out/classes:$(tr ':' '\n' < functions/$out/lambda-lib.classpath | grep -v -E '/(poi|poi-ooxml|poi-ooxml-lite|xmlbeans|commons-compress|commons-math3|commons-io|commons-collections4|commons-codec|commons-lang3|SparseBitSet|curvesapi|log4j-api|aws-xray-recorder-sdk-[a-z0-9-]+|aws-java-sdk-[a-z]+|jmespath-java|httpclient|httpcore|commons-logging|joda-time|jackson-dataformat-cbor)-[0-9][^/]*\.jar$' | paste -sd:)")
  variants+=(-Dbench.test.classpath="$(sed "s#functions/$out#$root/functions/$out#g" <<<"$cp")")
fi
java -Drackflow.root="$root" -Dbench.capacity.invokes="${BENCH_CAPACITY_INVOKES:-20}" -Dbench.functions.classpath="$functions_cp" -Dbench.harness="$harness:$serialization" \
  "${variants[@]}" "${props[@]}" -cp "$cp" com.rackflow.bench.ColdStartComparison "${args[@]}" 2>&1 \
  | grep --line-buffered -v -e "^{\"timestamp\"" -e "^{\"_aws\""
