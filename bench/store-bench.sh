#!/usr/bin/env sh
# Store latency at scale: fills a fresh database under target/ (bulk, indexes built after), then times inserts
# and /history queries through the store's API. About 4 GB of disk and 5 minutes of fill at 10,000,000.
# Usage: bench/store-bench.sh [messages=1000000] [peers=1000] [file]   (a file is kept; one already there is measured, not refilled)
set -eu
cd "$(dirname "$0")/.."
./mvnw -B -ntp -q -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
exec java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" io.skychat.bench.StoreBenchmark "$@"
