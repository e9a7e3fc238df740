#!/usr/bin/env bash
# How fast a crisis incident declared on instance A reaches instance B. A (H2) publishes a bank of
# ROWS random PDQ hashes as feed to-b to the peer org-b; B follows it with an exchange of kind
# countersignal that proposes A's incidents (the default policy). bench/federation/IncidentLatency.java
# then declares incidents on A round after round, accepts each on B and times: declared to proposed
# on B, accepted to matching on B, a hash added on A later to matching on B.
#   quiet: B up to date with to-b, doing nothing else.
#   busy:  B starts following A's feed busy (the same ROWS hashes, its own peer) with a second
#          exchange, and the rounds run while B fetches and applies that bank, until it is up to date.
# Both servers run with the launcher's default settings, on this machine.
# Usage: bench/federation/incident.sh [ROUNDS]      (default 30)
# Environment: WARMUP (3), ROWS (1000000), BUILD_FOLDER (default target), SKIP_BUILD=1.
# Results: bench/work/federation-incident/summary.txt, and the servers' logs beside it.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
. scripts/select-jdk.sh
rounds="${1:-30}"
warmup="${WARMUP:-3}"
rows="${ROWS:-1000000}"
build="${BUILD_FOLDER:-target}"
work="$root/bench/work/federation-incident"
port_a=18550
port_b=18551
. bench/federation/common.sh

cleanup() {
  for p in "${pid[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait || true
}
trap cleanup EXIT

note "# Incidents between instances: declared on A, accepted and matching on B"
note ""
note "command: WARMUP=$warmup ROWS=$rows bench/federation/incident.sh $rounds"
note "commit: $(git rev-parse --short HEAD); $(date -u +%FT%TZ); $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB RAM;" \
  "$("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
note "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

start_server $port_a "$work/a-data" "$work/a.log"
start_server $port_b "$work/b-data" "$work/b.log"
await_ready $port_a "$work/a-data" "$work/a.log"
await_ready $port_b "$work/b-data" "$work/b.log"
"${cs[@]}" bank create shared --server "http://127.0.0.1:$port_a" --key "${key[$port_a]}" > /dev/null
"${cs[@]}" bank import shared "$csv" --server "http://127.0.0.1:$port_a" --key "${key[$port_a]}" > "$work/import.out" 2>&1
bank=$(api $port_a GET /api/v1/banks | sed 's/.*"id":\([0-9]*\).*/\1/;q')
public_key=$(api $port_a GET /api/v1/federation/key | sed 's/.*"public_key":"\([^"]*\)".*/\1/')
feed=$(api $port_a POST /api/v1/feeds "{\"name\":\"to-b\",\"bank_id\":$bank}" | sed 's/.*"id":\([0-9]*\).*/\1/;q')
peer_key=$(api $port_a POST "/api/v1/feeds/$feed/peers" '{"name":"org-b"}' | sed 's/.*"key":"\([^"]*\)".*/\1/')
busy=$(api $port_a POST /api/v1/feeds "{\"name\":\"busy\",\"bank_id\":$bank}" | sed 's/.*"id":\([0-9]*\).*/\1/;q')
busy_key=$(api $port_a POST "/api/v1/feeds/$busy/peers" '{"name":"org-b-busy"}' | sed 's/.*"key":"\([^"]*\)".*/\1/')
exchange=$(api $port_b POST /api/v1/exchanges "{\"name\":\"from-a\",\"kind\":\"countersignal\",\"trust\":\"trusted\",\
\"config\":{\"url\":\"http://127.0.0.1:$port_a/\",\"feed\":\"to-b\",\"public_key\":\"$public_key\"},\
\"credentials\":{\"key\":\"$peer_key\"}}" | sed 's/.*"id":\([0-9]*\).*/\1/;q')
until api $port_b GET "/api/v1/exchanges/$exchange" | grep -q '"up_to_date":true'; do sleep 0.5; done
note "A: H2, a bank of $rows random PDQ hashes published as feed to-b to org-b; B follows it (exchange from-a, trust trusted, incidents propose), up to date"

measure() {
  "$JAVA_HOME/bin/java" bench/federation/IncidentLatency.java "http://127.0.0.1:$port_a" "${key[$port_a]}" \
    "http://127.0.0.1:$port_b" "${key[$port_b]}" "$rounds" "$warmup" | tee -a "$summary"
}
note ""
note "## Quiet: B does nothing else"
note ""
measure
note ""
note "## Busy: B fetching A's feed busy ($rows hashes) with a second exchange through every round"
note ""
started=$(now)
busy_exchange=$(api $port_b POST /api/v1/exchanges "{\"name\":\"busy\",\"kind\":\"countersignal\",\"trust\":\"trusted\",\
\"incidents\":\"ignore\",\"config\":{\"url\":\"http://127.0.0.1:$port_a/\",\"feed\":\"busy\",\"public_key\":\"$public_key\"},\
\"credentials\":{\"key\":\"$busy_key\"}}" | sed 's/.*"id":\([0-9]*\).*/\1/;q')
BUSY_EXCHANGE=$busy_exchange measure
until api $port_b GET "/api/v1/exchanges/$busy_exchange" | grep -q '"up_to_date":true'; do sleep 0.5; done
note ""
note "B's busy exchange up to date $(echo "$(now) - $started" | bc | cut -c1-5) s after it was made"
stop_server $port_b
stop_server $port_a
note "load average after: $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%FT%TZ)"
echo
echo "== $summary"
