#!/usr/bin/env bash
# Handler benchmark: cold start (fresh JVM), warm p50/p99 and DynamoDB capacity per invoke, against dynalite.
# Usage: bench/handlers.sh [warm-invokes]   (default 1000)
exec "$(dirname "$0")/java.sh" com.rackflow.bench.HandlerBenchmark "${1:-1000}"
