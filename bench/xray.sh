#!/usr/bin/env bash
# Cold-start cost of the X-Ray SDK's AWS SDK instrumentation: fresh JVMs, first DynamoDB call, without and with it.
# Usage: bench/xray.sh [runs]   (default 7)
exec "$(dirname "$0")/java.sh" com.rackflow.bench.XRayColdStart "${1:-7}"
