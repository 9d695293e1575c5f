#!/bin/sh
# Start-up and CLI figures: time from exec to the first 200 on /status and the idle RSS of a standalone
# service (through bin/skychat and through plain `java -jar`), then wall time and peak RSS of single-shot
# verbs against it, through bin/skychat (its cache built beforehand) and through `java -jar`.
# Medians of <runs> runs. Needs target/skychat.jar, curl and /usr/bin/time (GNU).
# usage: bench/startup.sh [runs=5] [server|cli|all]
set -eu
runs=${1:-5}
what=${2:-all}
here=$(CDPATH='' cd -- "$(dirname -- "$0")/.." && pwd)
jar=$here/target/skychat.jar
skychat=$here/bin/skychat
work=$(mktemp -d)
port=${SKYCHAT_BENCH_PORT:-18491}
export XDG_CACHE_HOME="$work/cache" XDG_CONFIG_HOME="$work/config"
node=
trap 'if [ -n "$node" ]; then kill "$node" 2>/dev/null; fi; rm -rf "$work"' EXIT INT TERM

now_ms() { echo $(($(date +%s%N) / 1000000)); }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# start <how> <work dir>: starts the service, prints "<ms to first 200> <RSS MiB 5 s later>"
start() {
    how=$1
    dir=$2
    t0=$(now_ms)
    case $how in
        launcher) "$skychat" --standalone --addr "127.0.0.1:$port" --management-addr 127.0.0.1:0 --work-dir "$dir" \
            >"$dir.log" 2>&1 & ;;
        jar) java -jar "$jar" --standalone --addr "127.0.0.1:$port" --management-addr 127.0.0.1:0 --work-dir "$dir" \
            >"$dir.log" 2>&1 & ;;
    esac
    node=$!
    # polling a process we started, from sh: nothing to wait on but the answer
    until [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $(cat "$dir/api.token" 2>/dev/null)" \
        "http://127.0.0.1:$port/status" 2>/dev/null)" = 200 ]; do
        kill -0 "$node" 2>/dev/null || { echo "service died: $(tail -n 3 "$dir.log")" >&2; exit 1; }
        sleep 0.02
    done
    t1=$(now_ms)
    sleep 5 # idle: let start-up garbage and threads settle before reading RSS
    rss=$(awk '/VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$node/status")
    echo "$((t1 - t0)) $rss"
}
stop() {
    kill "$node" 2>/dev/null || true
    wait "$node" 2>/dev/null || true
    node=
}

if [ "$what" != cli ]; then
    "$skychat" gen-keys >/dev/null # builds the launcher's cache (and the service's archive, if it makes one)
    for how in launcher jar; do
        : >"$work/start.txt"
        r=1
        while [ $r -le "$runs" ]; do
            start "$how" "$work/node-$how-$r" >>"$work/start.txt"
            stop
            r=$((r + 1))
        done
        echo "server via $how: first 200 on /status $(cut -d ' ' -f 1 "$work/start.txt" | median) ms," \
            "idle RSS $(cut -d ' ' -f 2 "$work/start.txt" | median) MiB (runs: $(tr '\n' ' ' <"$work/start.txt"| sed 's/ $//'))"
    done
fi

[ "$what" = server ] && exit 0
"$skychat" gen-keys >/dev/null
start launcher "$work/node" >/dev/null
token=$work/node/api.token
flags="--addr 127.0.0.1:$port --token-file $token"
bob=03fe8f6dcb225fc2cc352726fe98bde6c7fec9bc7fe94539874d9717d2cea2a8e3
"$skychat" alias add bob $bob >/dev/null
for how in launcher jar; do
    for verb in "status" "send -t bob -m hi -w 0" "history --limit 5" "pair list" "alias ls"; do
        : >"$work/verb.txt"
        r=1
        while [ $r -le "$runs" ]; do
            t0=$(now_ms)
            # shellcheck disable=SC2086
            case $how in
                launcher) /usr/bin/time -f %M -o "$work/rss" "$skychat" $verb $flags >/dev/null 2>"$work/err" ;;
                jar) /usr/bin/time -f %M -o "$work/rss" java -jar "$jar" $verb $flags >/dev/null 2>"$work/err" ;;
            esac || true # `pair list` answers 5 on a service without pairing: the round trip is what is timed
            t1=$(now_ms)
            echo "$((t1 - t0)) $(($(tail -n 1 "$work/rss") / 1024))" >>"$work/verb.txt"
            r=$((r + 1))
        done
        printf '%-9s %-24s wall %5s ms  max RSS %4s MiB\n' "$how" "$verb" "$(cut -d ' ' -f 1 "$work/verb.txt" | median)" \
            "$(cut -d ' ' -f 2 "$work/verb.txt" | median)"
    done
done
