#!/usr/bin/env bash
# The matching-service benchmark behind docs/BENCHMARKS.md ("Matching service"): loads ROWS
# reproducible random PDQ entries into a data directory (`countersignal bank import --data-dir`,
# a million rows at a time),
# times the server's start to ready (first with the whole change sequence replayed, then from the
# index snapshot written at stop), then drives POST /api/v1/match (one hash a request) and
# POST /api/v1/match/batch (100 a request) with wrk on loopback, and reads the server's peak RSS.
# Usage: bench/service/run.sh [ROWS]         (default 10000000)
# The server is started by the README's command, `./countersignal serve`, with its own defaults.
# Environment: HEAP (server -Xmx, default: the launcher's), SERVER_OPTS (more JVM options for the
# server, e.g. a garbage collector), both passed as COUNTERSIGNAL_JAVA_OPTS;
# DURATION (seconds of each measured wrk run, default 60), CONNECTIONS (wrk connections, a list:
# one single-hash run each, default "4 8"),
# SERVER_CPU / WRK_CPU (taskset CPU lists, default: none), REPLAY=no (start from the snapshot a
# previous run left, without the start that replays the whole change sequence first),
# PROFILER (path of async-profiler's libasyncProfiler.so: the server's CPU samples during one more
# single-hash run after the measured ones, grouped by bench/service/cpu-shares.py).
# Each run reports the CPU time the server and wrk spent per request (from /proc and time(1)).
# Results: bench/work/service/ROWS/summary.txt and the logs beside it.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
. scripts/select-jdk.sh
rows="${1:-10000000}"
duration="${DURATION:-60}"
connections="${CONNECTIONS:-4 8}"
port="${PORT:-18490}"
url="http://127.0.0.1:$port"
work="$root/bench/work/service/$rows"
mkdir -p "$work"
command -v wrk >/dev/null || { echo "wrk is needed (Debian: apt-get install wrk)" >&2; exit 1; }
# Built, and its start-up caches made, before anything is timed.
./countersignal --version >/dev/null
./countersignal serve --help >/dev/null
cli=(./countersignal)
# Replaces the shell it runs in, so that "$!" of "pin ... &" is the process itself.
pin() { local cpus=$1; shift; if [ -n "$cpus" ]; then exec taskset -c "$cpus" "$@"; else exec "$@"; fi; }

csv="$root/bench/work/import/pdq-$rows.csv"
[ -f "$csv" ] || "$JAVA_HOME/bin/java" bench/import/GeneratePdqCsv.java "$rows" "$csv"
[ -f "$work/single.jsonl" ] || "$JAVA_HOME/bin/java" bench/service/MatchQueries.java "$csv" "$work/single.jsonl" "$work/batch.jsonl"
summary="$work/summary.txt"
: > "$summary"
note() { echo "$*" | tee -a "$summary"; }
server_options="${HEAP:+-Xmx$HEAP }${SERVER_OPTS:-}"
note "rows: $rows; server options: ${server_options:-none beyond the launcher defaults}; wrk $connections connections, ${duration} s a run; $(nproc) CPUs; $(date -u +%FT%TZ)"

start_server() { # data dir, log: sets server_pid, ready_seconds
  local t0
  t0=$(date +%s.%N)
  COUNTERSIGNAL_JAVA_OPTS="$server_options" pin "${SERVER_CPU:-}" ./countersignal \
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
  # A million rows an import: each compacts the H2 file as it closes, so the file never holds more
  # than one import's space (a single import of 10M grows it to about 50 GB first).
  rm -rf "$work/parts" && mkdir -p "$work/parts"
  tail -n +2 "$csv" | split -l 1000000 -d -a 3 - "$work/parts/rows-"
  started=$(date +%s)
  for part in "$work/parts"/rows-*; do
    { head -1 "$csv"; cat "$part"; } > "$part.csv" && rm "$part"
    /usr/bin/time -v -o "$work/import.time" "${cli[@]}" bank import bench "$part.csv" --data-dir "$data" >>"$work/import.out" 2>>"$work/import.err"
    rm "$part.csv"
  done
  rmdir "$work/parts"
  note "import (direct, in parts of 1M): $(tail -1 "$work/import.out"); wall $(( $(date +%s) - started )) s, peak RSS of the last part $(awk -F': ' '/Maximum resident/ {printf "%.0f MB", $2/1024}' "$work/import.time")"
fi
key="$(cat "$work/admin.key")"
note "data directory: $(du -sh "$data" | cut -f1)"
if [ "${REPLAY:-yes}" = yes ]; then
  rm -rf "$data/index-snapshot"
  start_server "$data" "$work/replay.log"
  note "start to ready, whole change sequence replayed: ${ready_seconds} s; $(rss)"
  # A replay leaves the index in the segments its adds made; once the sequence is quiet the server
  # compacts it and writes a snapshot, which the next start loads (up to 90 s here).
  t0=$(date +%s)
  for _ in $(seq 90); do [ -f "$data/index-snapshot/CURRENT" ] && break; sleep 1; done
  note "snapshot after the quiet period: $([ -f "$data/index-snapshot/CURRENT" ] && echo "written $(( $(date +%s) - t0 )) s after ready" || echo none); $(rss)"
  stop_server
fi
start_server "$data" "$work/serve.log"
note "start to ready from the index snapshot: ${ready_seconds} s; $(rss)"

cpu_ticks() { awk '{print $14 + $15}' "/proc/$server_pid/stat"; }
bench() { # name, path, bodies, seconds, connections
  local before after requests
  before=$(cpu_ticks)
  (pin "${WRK_CPU:-}" /usr/bin/time -f '%U %S' -o "$work/$1.wrk-cpu" \
    wrk -t1 -c"$5" -d"$4s" --latency -s bench/service/match.lua "$url$2" -- "$3" "$key") > "$work/$1.wrk"
  after=$(cpu_ticks)
  requests=$(awk '/requests in/ {print $1}' "$work/$1.wrk")
  note "$1 ($5 connections): $(awk '/Requests\/sec/ {print $2 " requests/s"}' "$work/$1.wrk"), latency p50 $(awk '$1=="50%" {print $2}' "$work/$1.wrk"), p90 $(awk '$1=="90%" {print $2}' "$work/$1.wrk"), p99 $(awk '$1=="99%" {print $2}' "$work/$1.wrk"); $(grep -E 'Non-2xx|Socket errors' "$work/$1.wrk" | tr '\n' ' ')"
  note "  CPU per request: server $(echo "($after - $before) * 1000000 / $(getconf CLK_TCK) / $requests" | bc) µs, wrk $(awk -v n="$requests" '{printf "%.0f", ($1 + $2) * 1000000 / n}' "$work/$1.wrk-cpu") µs"
}
bench warmup /api/v1/match "$work/single.jsonl" 20 8
for c in $connections; do
  bench "single-c$c" /api/v1/match "$work/single.jsonl" "$duration" "$c"
done
note "after the single-hash runs: $(rss)"
bench batch-c4 /api/v1/match/batch "$work/batch.jsonl" "$duration" 4
note "after the runs: $(rss)"
if [ -n "${PROFILER:-}" ]; then
  # A run of its own, after the measured ones: sampling costs the server a little time.
  c="${connections%% *}"
  "$JAVA_HOME/bin/jcmd" "$server_pid" JVMTI.agent_load "$PROFILER" "\"start,event=cpu,interval=1ms\"" >/dev/null
  bench "profiled-c$c" /api/v1/match "$work/single.jsonl" "$duration" "$c"
  "$JAVA_HOME/bin/jcmd" "$server_pid" JVMTI.agent_load "$PROFILER" "\"stop,collapsed,file=$work/profile.collapsed\"" >/dev/null
  per_request=$(sed -n 's/.*CPU per request: server \([0-9]*\) µs.*/\1/p' "$summary" | tail -1)
  python3 bench/service/cpu-shares.py "$work/profile.collapsed" "$per_request" | tee -a "$summary"
fi
curl -s -H "Authorization: Bearer $key" "$url/metrics" | grep -E '^countersignal_(match_(queries|hits)_total|index_entries)' | tee -a "$summary"
stop_server
