#!/usr/bin/env sh
# End-to-end load between two service processes over TCP-direct (each message acked).
# Usage: bench/load.sh [messages=5000] [workers=16] [size=100]
set -eu
cd "$(dirname "$0")/.."
./mvnw -B -ntp -q -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
exec java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" io.skychat.bench.LoadTool "$@"
