#!/usr/bin/env sh
# A dmsg discovery and one dmsg server on loopback (the ones the tests use), for trying dmsg, pairs and groups
# on one machine. Prints the flags for the nodes, runs until Ctrl-C.
# Usage: bench/local-relay.sh [discovery-port=0 (any free port)]
set -eu
cd "$(dirname "$0")/.."
./mvnw -B -ntp -q -DskipTests -Dskychat.image.skip=true package dependency:build-classpath \
    -Dmdep.outputFile=target/bench.classpath
exec java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" io.skychat.bench.LocalRelay "$@"
