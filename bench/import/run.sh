#!/usr/bin/env bash
# The bulk-import benchmark behind docs/BENCHMARKS.md ("Bulk import"): imports a reproducible
# file of ROWS random PDQ entries with `countersignal bank import`, once against a running
# server (--server) and once directly on a data directory (--data-dir), each as a whole process
# under /usr/bin/time -v (wall time, CPU, peak RSS). Then it times how long the server takes,
# from the start of its process, to answer GET /health/ready with 200 on that database.
# Usage: bench/import/run.sh [ROWS]        (default 1000000; about 6 GB of disk: the H2 file of
# the import over HTTP stays near 5 GB until compacted; about 6 minutes on two busy cores)
# BUILD_FOLDER=target-x builds into another Maven build folder (default: target).
# Results: bench/work/import/summary.txt and the logs beside it.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
. scripts/select-jdk.sh
rows="${1:-1000000}"
build="${BUILD_FOLDER:-target}"
work="$root/bench/work/import"
port="${PORT:-18480}"
url="http://127.0.0.1:$port"
mkdir -p "$work"
./mvnw -B -q -Dbuild.folder="$build" -DskipTests -pl cli -am package
cs=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$root/cli/$build/countersignal.jar")
csv="$work/pdq-$rows.csv"
[ -f "$csv" ] || "$JAVA_HOME/bin/java" bench/import/GeneratePdqCsv.java "$rows" "$csv"
summary="$work/summary.txt"
: > "$summary"
note() { echo "$*" | tee -a "$summary"; }

# Starts a server on $1 (log $2) and waits for /health/ready; sets server_pid and ready_seconds.
start_server() {
  local t0 live=""
  t0=$(date +%s.%N)
  "${cs[@]}" serve --host 127.0.0.1 --port "$port" --data-dir "$1" 2>"$2" &
  server_pid=$!
  until curl -s -o /dev/null -w '%{http_code}' "$url/health/ready" 2>/dev/null | grep -q 200; do
    kill -0 "$server_pid" 2>/dev/null || { cat "$2"; exit 1; }
    if [ -z "$live" ] && curl -sf -o /dev/null "$url/health/live" 2>/dev/null; then
      live=$(echo "$(date +%s.%N) - $t0" | bc)
    fi
    sleep 0.05
  done
  ready_seconds=$(echo "$(date +%s.%N) - $t0" | bc)
  live_seconds="${live:-$ready_seconds}"
}
stop_server() {
  kill -TERM "$server_pid"
  wait "$server_pid" || true
}
server_rss() { awk '/VmHWM/ {printf "%.0f MB", $2/1024}' "/proc/$server_pid/status"; }
timed() { # name, then the command: runs it under /usr/bin/time -v, logs in $work/NAME.*
  local name=$1; shift
  note "load before $name: $(cut -d' ' -f1-3 /proc/loadavg)"
  /usr/bin/time -v -o "$work/$name.time" "$@" >"$work/$name.out" 2>"$work/$name.err"
  note "$name: $(cat "$work/$name.out")"
  note "  wall $(awk -F': ' '/Elapsed/ {print $2}' "$work/$name.time"), user $(awk -F': ' '/User time/ {print $2}' "$work/$name.time") s, sys $(awk -F': ' '/System time/ {print $2}' "$work/$name.time") s, peak RSS $(awk -F': ' '/Maximum resident/ {printf "%.0f MB", $2/1024}' "$work/$name.time")"
}

note "rows: $rows ($csv, $(du -h "$csv" | cut -f1))"

# Against a running server.
rm -rf "$work/server-data"
start_server "$work/server-data" "$work/server-first.log"
export COUNTERSIGNAL_SERVER="$url" COUNTERSIGNAL_KEY="$(grep '^cs_' "$work/server-first.log")"
"${cs[@]}" bank create bench >/dev/null
timed import-server "${cs[@]}" bank import bench "$csv"
note "  server process peak RSS: $(server_rss)"
stop_server
start_server "$work/server-data" "$work/server-restart.log"
note "server restart on the imported database (index snapshot written at the previous stop): live after ${live_seconds} s, ready after ${ready_seconds} s"
stop_server
unset COUNTERSIGNAL_SERVER COUNTERSIGNAL_KEY

# Directly on a data directory (a first start makes the database, then the server is stopped).
rm -rf "$work/direct-data"
start_server "$work/direct-data" "$work/direct-first.log"
stop_server
"${cs[@]}" bank create bench --data-dir "$work/direct-data" >/dev/null
timed import-direct "${cs[@]}" bank import bench "$csv" --data-dir "$work/direct-data"
start_server "$work/direct-data" "$work/direct-restart.log"
note "server start after the direct import (no snapshot: the whole change sequence is replayed): live after ${live_seconds} s, ready after ${ready_seconds} s"
stop_server
start_server "$work/direct-data" "$work/direct-restart-2.log"
note "and the start after that (snapshot written at the previous stop): live after ${live_seconds} s, ready after ${ready_seconds} s"
stop_server
note "data directory: $(du -sh "$work/direct-data" | cut -f1)"
