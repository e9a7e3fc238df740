#!/usr/bin/env bash
# The peering benchmark behind docs/BENCHMARKS.md ("Peering two instances"): instance A holds a
# bank of ROWS random PDQ hashes (loaded with `countersignal bank import`) and publishes it as a
# feed; a fresh instance B follows the feed (exchange kind `countersignal`), and the time from
# creating B's exchange to its status saying "up to date" is taken, for the default page size
# (1,000) and for pages of 5,000. Both servers run on this machine at once, with default settings.
# Then the time A takes to answer one page (reading it and signing it), from curl.
# Usage: bench/federation/run.sh [ROWS]      (default 1000000)
# BUILD_FOLDER=target-x builds into another Maven build folder (default: target); SKIP_BUILD=1 uses it as built.
# Results: bench/work/federation/summary.txt and the logs beside it.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
. scripts/select-jdk.sh
rows="${1:-1000000}"
build="${BUILD_FOLDER:-target}"
work="$root/bench/work/federation"
port_a=18495
port_b=18496
. bench/federation/common.sh

note "rows: $rows; $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB"
start_server $port_a "$work/a-data" "$work/a.log"
await_ready $port_a "$work/a-data" "$work/a.log"
"${cs[@]}" bank create shared --server "http://127.0.0.1:$port_a" --key "${key[$port_a]}" > /dev/null
t0=$(now)
"${cs[@]}" bank import shared "$csv" --server "http://127.0.0.1:$port_a" --key "${key[$port_a]}" > "$work/import.out" 2>&1
note "A: $rows hashes imported in $(echo "$(now) - $t0" | bc) s"
bank=$(api $port_a GET /api/v1/banks | sed 's/.*"id":\([0-9]*\).*/\1/;q')
feed=$(api $port_a POST /api/v1/feeds "{\"name\":\"to-b\",\"bank_id\":$bank}" | sed 's/.*"id":\([0-9]*\).*/\1/;q')
peer_key=$(api $port_a POST "/api/v1/feeds/$feed/peers" '{"name":"org-b"}' | sed 's/.*"key":"\([^"]*\)".*/\1/')
public_key=$(api $port_a GET /api/v1/federation/key | sed 's/.*"public_key":"\([^"]*\)".*/\1/')

for limit in 1000 5000; do
  t=$(curl -s -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $peer_key" \
    "http://127.0.0.1:$port_a/api/v1/feeds/to-b/pages?after=0&limit=$limit")
  t2=$(curl -s -o "$work/page-$limit.json" -w '%{time_total}' -H "Authorization: Bearer $peer_key" \
    "http://127.0.0.1:$port_a/api/v1/feeds/to-b/pages?after=500000&limit=$limit")
  note "A answers a page of $limit records in $t s (first) and $t2 s (mid-feed), $(stat -c %s "$work/page-$limit.json") bytes"
done

follow() { # page size
  local page=$1 t0 id
  start_server $port_b "$work/b-$page-data" "$work/b-$page.log"
  await_ready $port_b "$work/b-$page-data" "$work/b-$page.log"
  note "load before B with pages of $page: $(cut -d' ' -f1-3 /proc/loadavg)"
  t0=$(now)
  id=$(api $port_b POST /api/v1/exchanges "{\"name\":\"from-a\",\"kind\":\"countersignal\",\"trust\":\"trusted\",\
\"config\":{\"url\":\"http://127.0.0.1:$port_a/\",\"feed\":\"to-b\",\"public_key\":\"$public_key\",\"page_size\":$page},\
\"credentials\":{\"key\":\"$peer_key\"}}" | sed 's/.*"id":\([0-9]*\).*/\1/;q')
  until api $port_b GET "/api/v1/exchanges/$id" | grep -q '"up_to_date":true'; do
    api $port_b GET "/api/v1/exchanges/$id" | grep -q '"last_fetch_succeeded":false' && { api $port_b GET "/api/v1/exchanges/$id"; exit 1; }
    sleep 1
  done
  note "B, pages of $page: $rows signals applied in $(echo "$(now) - $t0" | bc) s (creating the exchange to up to date);" \
    "B peak RSS $(awk '/VmHWM/ {printf "%.0f MB", $2/1024}' "/proc/${pid[$port_b]}/status")"
  note "  $(api $port_b GET "/api/v1/exchanges/$id" | sed 's/.*"status":\({[^}]*}\).*/\1/')"
  sleep 2
  local hash
  hash=$(sed -n 2p "$list" | cut -d, -f2)
  note "  a hash of A matches on B: $(api $port_b POST /api/v1/match "{\"signals\":{\"pdq\":\"$hash\"}}" | grep -c '"entry_id"') hit"
  stop_server $port_b
  rm -rf "$work/b-$page-data"
}
follow 1000
follow 5000
stop_server $port_a
