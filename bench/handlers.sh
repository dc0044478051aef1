#!/usr/bin/env bash
# Handler benchmark: cold start (fresh JVM, test class path), warm p50/p99, and DynamoDB capacity units per request,
# billed (the local DynamoDB's bill, failed conditional writes and cancelled transactions included) side by side with
# the benchmark's independent count (CapacityLedger); exits 3 printing MISMATCH when they differ.
# Usage: bench/handlers.sh [warm-invokes]   (default 1000); bench/handlers.sh --writes: only write capacity per write route;
# bench/handlers.sh --capacity N: the capacity columns only (N invokes per route, no cold start, no timing)
exec "$(dirname "$0")/java.sh" com.rackflow.bench.HandlerBenchmark "${@:-1000}"
