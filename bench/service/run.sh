#!/usr/bin/env bash
# The matching-service benchmark behind docs/BENCHMARKS.md ("Matching service"): loads ROWS
# reproducible random PDQ entries into a data directory (`countersignal bank import --data-dir`),
# times the server's start to ready (first with the whole change sequence replayed, then from the
# index snapshot written at stop), then drives POST /api/v1/match (one hash a request) and
# POST /api/v1/match/batch (100 a request) with wrk on loopback, and reads the server's peak RSS.
# Usage: bench/service/run.sh [ROWS]         (default 10000000)
# Environment: BUILD_FOLDER (Maven build folder, default target), HEAP (server -Xmx, default 1400m),
# SERVER_OPTS (more JVM options for the server, e.g. a garbage collector),
# DURATION (seconds of each measured wrk run, default 60), CONNECTIONS (wrk connections, a list:
# one single-hash run each, default "8 32"),
# SERVER_CPU / WRK_CPU (taskset CPU lists, default: none).
# Results: bench/work/service/ROWS/summary.txt and the logs beside it.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
. scripts/select-jdk.sh
rows="${1:-10000000}"
build="${BUILD_FOLDER:-target}"
heap="${HEAP:-1400m}"
duration="${DURATION:-60}"
connections="${CONNECTIONS:-8 32}"
port="${PORT:-18490}"
url="http://127.0.0.1:$port"
work="$root/bench/work/service/$rows"
mkdir -p "$work"
command -v wrk >/dev/null || { echo "wrk is needed (Debian: apt-get install wrk)" >&2; exit 1; }
./mvnw -B -q -Dbuild.folder="$build" -DskipTests -pl cli -am package
jar="$root/cli/$build/countersignal.jar"
cli=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$jar")
# Replaces the shell it runs in, so that "$!" of "pin ... &" is the process itself.
pin() { local cpus=$1; shift; if [ -n "$cpus" ]; then exec taskset -c "$cpus" "$@"; else exec "$@"; fi; }

csv="$root/bench/work/import/pdq-$rows.csv"
[ -f "$csv" ] || "$JAVA_HOME/bin/java" bench/import/GeneratePdqCsv.java "$rows" "$csv"
[ -f "$work/single.jsonl" ] || "$JAVA_HOME/bin/java" bench/service/MatchQueries.java "$csv" "$work/single.jsonl" "$work/batch.jsonl"
summary="$work/summary.txt"
: > "$summary"
note() { echo "$*" | tee -a "$summary"; }
note "rows: $rows; server heap -Xmx$heap ${SERVER_OPTS:-}; wrk $connections connections, ${duration} s a run; $(nproc) CPUs; $(date -u +%FT%TZ)"

start_server() { # data dir, log: sets server_pid, ready_seconds
  local t0
  t0=$(date +%s.%N)
  pin "${SERVER_CPU:-}" "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED "-Xmx$heap" ${SERVER_OPTS:-} -jar "$jar" \
    serve --host 127.0.0.1 --port "$port" --data-dir "$1" 2>"$2" &
  server_pid=$!
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "$url/health/ready" 2>/dev/null)" = 200 ]; do
    kill -0 "$server_pid" 2>/dev/null || { cat "$2"; exit 1; }
    sleep 0.05
  done
  ready_seconds=$(echo "$(date +%s.%N) - $t0" | bc)
}
stop_server() { kill -TERM "$server_pid"; wait "$server_pid" || true; }
rss() { awk '/VmRSS/ {r=$2} /VmHWM/ {h=$2} END {printf "RSS %.0f MB (peak %.0f MB)", r/1024, h/1024}' "/proc/$server_pid/status"; }

data="$work/data"
if [ ! -f "$work/admin.key" ]; then
  rm -rf "$data"
  start_server "$data" "$work/first.log"
  cp "$data/initial-admin-key" "$work/admin.key"
  stop_server
  "${cli[@]}" bank create bench --data-dir "$data" >/dev/null
  note "load before import: $(cut -d' ' -f1-3 /proc/loadavg)"
  /usr/bin/time -v -o "$work/import.time" "${cli[@]}" bank import bench "$csv" --data-dir "$data" >"$work/import.out" 2>"$work/import.err"
  note "import (direct): $(cat "$work/import.out"); wall $(awk -F': ' '/Elapsed/ {print $2}' "$work/import.time"), peak RSS $(awk -F': ' '/Maximum resident/ {printf "%.0f MB", $2/1024}' "$work/import.time")"
fi
key="$(cat "$work/admin.key")"
note "data directory: $(du -sh "$data" | cut -f1)"
rm -rf "$data/index-snapshot"
start_server "$data" "$work/replay.log"
note "start to ready, whole change sequence replayed: ${ready_seconds} s; $(rss)"
stop_server
start_server "$data" "$work/serve.log"
note "start to ready from the index snapshot: ${ready_seconds} s; $(rss)"

bench() { # name, path, bodies, seconds, connections
  (pin "${WRK_CPU:-}" wrk -t1 -c"$5" -d"$4s" --latency -s bench/service/match.lua "$url$2" -- "$3" "$key") > "$work/$1.wrk"
  note "$1 ($5 connections): $(awk '/Requests\/sec/ {print $2 " requests/s"}' "$work/$1.wrk"), latency p50 $(awk '$1=="50%" {print $2}' "$work/$1.wrk"), p90 $(awk '$1=="90%" {print $2}' "$work/$1.wrk"), p99 $(awk '$1=="99%" {print $2}' "$work/$1.wrk"); $(grep -E 'Non-2xx|Socket errors' "$work/$1.wrk" | tr '\n' ' ')"
}
bench warmup /api/v1/match "$work/single.jsonl" 20 8
for c in $connections; do
  bench "single-c$c" /api/v1/match "$work/single.jsonl" "$duration" "$c"
done
bench batch-c4 /api/v1/match/batch "$work/batch.jsonl" "$duration" 4
note "after the runs: $(rss)"
curl -s -H "Authorization: Bearer $key" "$url/metrics" | grep -E '^countersignal_(match_(queries|hits)_total|index_entries)' | tee -a "$summary"
stop_server
