#!/usr/bin/env sh
# Store latency at scale: fills a fresh database, then times inserts and /history queries.
# Usage: bench/store-bench.sh [messages=1000000] [peers=1000]
set -eu
cd "$(dirname "$0")/.."
./mvnw -B -ntp -q -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
exec java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" io.skychat.bench.StoreBenchmark "$@"
