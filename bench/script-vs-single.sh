#!/bin/sh
# Wall time of N verbs run one JVM each (bin/skychat <verb>, with its CDS cache) against the same N
# verbs in one JVM (bin/skychat script). Starts a standalone service on loopback for them to talk to.
# usage: bench/script-vs-single.sh [verbs=20] [runs=3]     (needs target/skychat.jar)
set -eu
n=${1:-20}
runs=${2:-3}
here=$(CDPATH='' cd -- "$(dirname -- "$0")/.." && pwd)
skychat=$here/bin/skychat
work=$(mktemp -d)
port=${SKYCHAT_BENCH_PORT:-18471}
java -jar "$here/target/skychat.jar" --standalone --addr "127.0.0.1:$port" --management-addr 127.0.0.1:0 \
    --work-dir "$work/node" >"$work/node.log" 2>&1 &
node=$!
trap 'kill $node 2>/dev/null; rm -rf "$work"' EXIT INT TERM
token=$work/node/api.token
i=0
until [ -f "$token" ] && "$skychat" status --addr "127.0.0.1:$port" --token-file "$token" >/dev/null 2>&1; do
    i=$((i + 1))
    [ $i -lt 120 ] || { echo "service did not start" >&2; exit 1; }
    sleep 1   # polling a process we started, from sh: nothing to wait on but time
done
export XDG_CONFIG_HOME="$work/config"
verbs="$work/verbs.skychat"
: > "$verbs"
j=0
while [ $j -lt "$n" ]; do
    case $((j % 4)) in
        0 | 2) echo "status --json" ;;
        1) echo "alias ls" ;;
        3) echo "history --limit 5" ;;
    esac >> "$verbs"
    j=$((j + 1))
done
flags="--addr 127.0.0.1:$port --token-file $token"
now() { date +%s.%N; }
r=1
while [ $r -le "$runs" ]; do
    t0=$(now)
    while read -r line; do
        # shellcheck disable=SC2086
        "$skychat" $line $flags >/dev/null 2>&1 || { echo "verb failed: $line" >&2; exit 1; }
    done < "$verbs"
    t1=$(now)
    # shellcheck disable=SC2086
    "$skychat" script "$verbs" $flags >/dev/null 2>&1
    t2=$(now)
    echo "run $r: $n single-shot verbs $(echo "$t1 - $t0" | bc) s, script with $n verbs $(echo "$t2 - $t1" | bc) s"
    r=$((r + 1))
done
