#!/usr/bin/env sh
# SSE fan-out on one node: N /sse subscribers (one NIO client thread), events published by POST /message.
# Usage: [FANOUT_JAVA_OPTS="-Dfanout.jfr=run.jfr …"] bench/fanout.sh [subscribers=1000] [events=100] [interval-ms=100, 0 = all at once]
set -eu
cd "$(dirname "$0")/.."
# Each subscriber is a descriptor in the node and one in this client: ask for the hard limit.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
./mvnw -B -ntp -q -o -DskipTests -Dskychat.image.skip=true package dependency:build-classpath \
    -Dmdep.outputFile=target/bench.classpath
exec java ${FANOUT_JAVA_OPTS:-} -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" io.skychat.bench.FanoutTool "$@"
