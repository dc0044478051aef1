#!/usr/bin/env bash
# Handler benchmark: cold start (fresh JVM), warm p50/p99 and DynamoDB capacity per invoke, against dynalite.
# Usage: bench/handlers.sh [warm-invokes]   (default 1000); bench/handlers.sh --writes: only write capacity per write route;
# bench/handlers.sh --capacity N: capacity per invoke only (N warm invokes, no cold start)
exec "$(dirname "$0")/java.sh" com.rackflow.bench.HandlerBenchmark "${@:-1000}"
