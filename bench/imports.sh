#!/usr/bin/env bash
# Customer import benchmark: dry run of a generated file (default 20,000 rows) and commit of another (default 2,000),
# time and DynamoDB capacity units, against dynalite. Usage: bench/imports.sh [previewRows] [commitRows]
exec "$(dirname "$0")/java.sh" com.rackflow.bench.ImportBenchmark "$@"
