#!/usr/bin/env bash
# The exchange benchmark behind docs/BENCHMARKS.md ("Applying an exchange"): a fresh server with
# default settings fetches a watched folder holding one hash list of ROWS random PDQ hashes (the
# field's dataset CSV), and the time from creating the exchange to its status saying "up to date"
# is taken. In the same run, as the anchor, the same hashes go in through `countersignal bank
# import` (batches of 10,000 over HTTP, the bulk path the API already had). Then the fetch again
# with batches of 10,000 (a tuned setting, labelled as such).
# Usage: bench/exchange/run.sh [ROWS]      (default 1000000; a few GB of disk under bench/work/exchange)
# BUILD_FOLDER=target-x builds into another Maven build folder (default: target).
# Results: bench/work/exchange/summary.txt and the logs beside it.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
. scripts/select-jdk.sh
rows="${1:-1000000}"
build="${BUILD_FOLDER:-target}"
work="$root/bench/work/exchange"
port="${PORT:-18490}"
url="http://127.0.0.1:$port"
mkdir -p "$work"
[ -n "${SKIP_BUILD:-}" ] || ./mvnw -B -q -Dbuild.folder="$build" -DskipTests -pl cli -am package
cs=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -XX:MaxRAMPercentage=50 -jar "$root/cli/$build/countersignal.jar")
list="$work/list-$rows.csv"
[ -f "$list" ] || "$JAVA_HOME/bin/java" bench/exchange/GenerateHashList.java "$rows" "$list"
summary="$work/summary.txt"
: > "$summary"
note() { echo "$*" | tee -a "$summary"; }
now() { date +%s.%N; }

start_server() { # data dir, log
  rm -rf "$1"
  mkdir -p "$1/exchange-folders/feed"
  "${cs[@]}" serve --host 127.0.0.1 --port "$port" --data-dir "$1" 2>"$2" &
  server_pid=$!
  until curl -s -o /dev/null -w '%{http_code}' "$url/health/ready" 2>/dev/null | grep -q 200; do
    kill -0 "$server_pid" 2>/dev/null || { cat "$2"; exit 1; }
    sleep 0.1
  done
  key=$(cat "$1/initial-admin-key")
}
stop_server() {
  kill -TERM "$server_pid"
  wait "$server_pid" || true
}
status() { curl -sf -H "Authorization: Bearer $key" "$url/api/v1/exchanges/$1"; }

fetch_run() { # name, batch size ("" for the default)
  local name=$1 batch=$2 data="$work/$1-data" t0 t1 config
  start_server "$data" "$work/$name.log"
  ln "$list" "$data/exchange-folders/feed/list.csv" 2>/dev/null || cp "$list" "$data/exchange-folders/feed/list.csv"
  config="{\"path\":\"feed\"${batch:+,\"batch_size\":$batch}}"
  note "load before $name: $(cut -d' ' -f1-3 /proc/loadavg)"
  t0=$(now)
  id=$(curl -sf -H "Authorization: Bearer $key" -H 'Content-Type: application/json' "$url/api/v1/exchanges" \
    -d "{\"name\":\"bench\",\"kind\":\"folder\",\"trust\":\"trusted\",\"config\":$config}" | sed 's/.*"id":\([0-9]*\).*/\1/;q')
  until status "$id" | grep -q '"up_to_date":true'; do
    status "$id" | grep -q '"last_fetch_succeeded":false' && { status "$id"; exit 1; }
    sleep 1 # the status counts the bank's entries: asking often would slow the fetch
  done
  t1=$(now)
  note "$name: $(status "$id" | sed 's/.*"status":\({[^}]*}\).*/\1/')"
  note "  $rows hashes applied in $(echo "$t1 - $t0" | bc) s (creating the exchange to up to date), server peak RSS $(awk '/VmHWM/ {printf "%.0f MB", $2/1024}' "/proc/$server_pid/status")"
  sleep 2 # the last batch's indexes
  local hash
  hash=$(sed -n 2p "$list" | cut -d, -f2)
  note "  a banked hash matches: $(curl -sf -H "Authorization: Bearer $key" -H 'Content-Type: application/json' "$url/api/v1/match" \
    -d "{\"signals\":{\"pdq\":\"$hash\"}}" | grep -c '"entry_id"') hit"
  stop_server
  rm -rf "$data"
}

import_run() { # the anchor: the same hashes through bank import over HTTP
  local data="$work/import-data" t0 t1 csv="$work/import-$rows.csv"
  [ -f "$csv" ] || { echo "signal_type,signal,labels,note,provenance,entities"; tail -n +2 "$list" | cut -d, -f1,2 | sed 's/$/,,,benchmark list,/'; } > "$csv"
  start_server "$data" "$work/import.log"
  "${cs[@]}" bank create bench --server "$url" --key "$key" > /dev/null
  note "load before import: $(cut -d' ' -f1-3 /proc/loadavg)"
  t0=$(now)
  "${cs[@]}" bank import bench "$csv" --server "$url" --key "$key" > "$work/import.out" 2>&1
  t1=$(now)
  note "import (anchor): $(tail -1 "$work/import.out")"
  note "  $rows hashes imported in $(echo "$t1 - $t0" | bc) s, server peak RSS $(awk '/VmHWM/ {printf "%.0f MB", $2/1024}' "/proc/$server_pid/status")"
  stop_server
  rm -rf "$data"
}

note "rows: $rows ($list, $(du -h "$list" | cut -f1)); $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB"
fetch_run fetch-default ""
import_run
fetch_run fetch-batch-10000 10000
