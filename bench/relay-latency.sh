#!/usr/bin/env sh
# Sequential acked round trips over TCP-direct and over dmsg through a loopback test relay, same run.
# Usage: bench/relay-latency.sh [messages=1000] [size=100]
set -eu
cd "$(dirname "$0")/.."
./mvnw -B -ntp -q -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
exec java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" io.skychat.bench.RelayLatencyTool "$@"
