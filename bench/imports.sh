#!/usr/bin/env bash
# Customer import benchmark on the S3 + flow path: a generated file (default 20,000 rows) uploaded with its presigned
# PUT to the local S3 endpoint, its dry run and its commit run as the import state machine's tasks (the Map's batches
# two at a time), time and DynamoDB capacity units, against dynalite; with the load average (the machine is shared).
# Usage: bench/imports.sh [rows] [commitRows]   (commitRows: commit a second file of that size instead of the first)
# GET /customer-imports/{id} signs its cursors with CURSOR_KEY (an environment variable, as Lambda has it).
export CURSOR_KEY="${CURSOR_KEY:-benchmark-cursor-key-0123456789abcdef0123456789}"
exec "$(dirname "$0")/java.sh" com.rackflow.bench.ImportBenchmark "$@"
