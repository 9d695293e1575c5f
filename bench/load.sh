#!/usr/bin/env sh
# Load on the chat path, in one run: a raw Noise-framed baseline between two processes (no store, no HTTP),
# acked round trips into a service node over TCP-direct (sequential and pipelined, persistence on), two
# nodes over HTTP POST /message + wait_ms, and the service as a share of the baseline.
# Usage: bench/load.sh [--messages N] [--seq-messages N] [--http-messages N] [--size B] [--window 32,128,512]
#                      [--peers N] [--http-clients 1,16] [--warmup N] [--only raw,service,http]
#    or: bench/load.sh [messages=5000] [workers=16] [size=100]      (the old form; runs every section)
set -eu
cd "$(dirname "$0")/.."
./mvnw -B -ntp -q -DskipTests -Dskychat.image.skip=true package dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
exec java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" io.skychat.bench.LoadTool "$@"
