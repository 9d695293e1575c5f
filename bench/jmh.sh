#!/usr/bin/env sh
# Microbenchmarks of the wire path (envelope, framing, Noise, handshake). Arguments go to JMH,
# e.g. `bench/jmh.sh -wi 2 -i 3 WireBenchmarks`.
set -eu
cd "$(dirname "$0")/.."
./mvnw -B -ntp -q -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
exec java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" org.openjdk.jmh.Main "$@"
