#!/usr/bin/env bash
# Customer import benchmark on the S3 + flow path: a generated file (default 20,000 rows) uploaded with its presigned
# PUT to the local S3 endpoint, its dry run and its commit run as the import state machine's tasks (the Map's batches
# two at a time), time and DynamoDB capacity units, against dynalite.
# Usage: bench/imports.sh [rows] [commitRows]   (commitRows: commit a second file of that size instead of the first)
exec "$(dirname "$0")/java.sh" com.rackflow.bench.ImportBenchmark "$@"
