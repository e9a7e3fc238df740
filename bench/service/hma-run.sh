#!/usr/bin/env bash
# HMA's lookup route beside the native one, in one server process (docs/BENCHMARKS.md, "HMA's
# routes"): ROWS reproducible random PDQ entries banked as in bench/service/run.sh, then, with wrk on
# loopback, rounds that alternate POST /api/v1/match {"signals":{"pdq":...}} (the anchor) and
# GET /m/lookup?signal_type=pdq&signal=... (what an HMA client sends) over the same queries (one
# in ten a banked hash with 1 to 16 bits flipped, the rest misses).
# Usage: bench/service/hma-run.sh [ROWS]      (default 1000000)
# Environment: DURATION (seconds of each run, default 30), ROUNDS (default 3), CONNECTIONS (default 8),
# SERVER_CPU / WRK_CPU (taskset CPU lists, default: none). Results: bench/work/hma/ROWS/summary.txt.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
. scripts/select-jdk.sh
rows="${1:-1000000}"
duration="${DURATION:-30}"
rounds="${ROUNDS:-3}"
connections="${CONNECTIONS:-8}"
port="${PORT:-18492}"
url="http://127.0.0.1:$port"
work="$root/bench/work/hma/$rows"
mkdir -p "$work"
command -v wrk >/dev/null || { echo "wrk is needed (Debian: apt-get install wrk)" >&2; exit 1; }
./mvnw -B -q -DskipTests -pl cli -am package
jar="$root/cli/target/countersignal.jar"
cli=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$jar")
pin() { local cpus=$1; shift; if [ -n "$cpus" ]; then exec taskset -c "$cpus" "$@"; else exec "$@"; fi; }

csv="$root/bench/work/import/pdq-$rows.csv"
[ -f "$csv" ] || "$JAVA_HOME/bin/java" bench/import/GeneratePdqCsv.java "$rows" "$csv"
[ -f "$work/single.jsonl" ] || "$JAVA_HOME/bin/java" bench/service/MatchQueries.java "$csv" "$work/single.jsonl" "$work/batch.jsonl"
# The same hashes as HMA's query strings.
sed -E 's|.*"pdq":"([0-9a-f]{64})".*|/m/lookup?signal_type=pdq\&signal=\1|' "$work/single.jsonl" > "$work/hma-paths.txt"
summary="$work/summary.txt"
: > "$summary"
note() { echo "$*" | tee -a "$summary"; }
note "rows: $rows; wrk $connections connections, $rounds rounds of ${duration} s each route; $(nproc) CPUs; $(date -u +%FT%TZ)"

start_server() { # data dir, log
  pin "${SERVER_CPU:-}" "${cli[@]}" serve --host 127.0.0.1 --port "$port" --data-dir "$1" 2>"$2" &
  server_pid=$!
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "$url/health/ready" 2>/dev/null)" = 200 ]; do
    kill -0 "$server_pid" 2>/dev/null || { cat "$2"; exit 1; }
    sleep 0.1
  done
}
stop_server() { kill -TERM "$server_pid"; wait "$server_pid" || true; }

data="$work/data"
if [ ! -f "$work/admin.key" ]; then
  rm -rf "$data"
  start_server "$data" "$work/first.log"
  cp "$data/initial-admin-key" "$work/admin.key"
  stop_server
  "${cli[@]}" bank create bench --data-dir "$data" >/dev/null
  "${cli[@]}" bank import bench "$csv" --data-dir "$data" >/dev/null
fi
key="$(cat "$work/admin.key")"
start_server "$data" "$work/serve.log"
hit=$(sed -n 1p "$work/hma-paths.txt")
note "one HMA lookup: $(curl -s -H "Authorization: Bearer $key" "$url$hit" | head -c 200)"

run() { # name, script, path, lines
  (pin "${WRK_CPU:-}" wrk -t1 -c"$connections" -d"${5:-$duration}s" --latency -s "bench/service/$2" "$url$3" -- "$4" "$key") > "$work/$1.wrk"
  note "$1: $(awk '/Requests\/sec/ {print $2 " requests/s"}' "$work/$1.wrk"), latency p50 $(awk '$1=="50%" {print $2}' "$work/$1.wrk"), p90 $(awk '$1=="90%" {print $2}' "$work/$1.wrk"), p99 $(awk '$1=="99%" {print $2}' "$work/$1.wrk"); $(grep -E 'Non-2xx|Socket errors' "$work/$1.wrk" | tr '\n' ' ')load $(cut -d' ' -f1-3 /proc/loadavg)"
}
run warmup-native match.lua /api/v1/match "$work/single.jsonl" 20
run warmup-hma hma.lua / "$work/hma-paths.txt" 20
for round in $(seq 1 "$rounds"); do
  run "native-$round" match.lua /api/v1/match "$work/single.jsonl"
  run "hma-$round" hma.lua / "$work/hma-paths.txt"
done
stop_server
