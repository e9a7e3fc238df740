#!/usr/bin/env bash
# Twenty peers on loopback: instance A publishes a bank of ROWS random PDQ hashes as one feed to
# PEERS peers, each a fresh instance of its own (a separate server process with default settings)
# following the feed with its own peer key. The time from asking every peer to follow to the last
# saying "up to date" is taken, with each peer's own time, and every peer is checked to match a
# hash of A's. Behind docs/BENCHMARKS.md ("Peering two instances", twenty peers).
# Each peer's JVM gets -Xmx${PEER_HEAP:-400m}: twenty-one instances share this machine's memory,
# where each would own a machine in use (with the launcher's default, half the RAM each, the
# kernel kills some). A peer whose fetch fails (A busy past the request timeout) retries on its
# own; the failures are counted, not fatal.
# Usage: bench/federation/peers.sh [ROWS] [PEERS]      (default 100000 20)
# BUILD_FOLDER and SKIP_BUILD as for bench/federation/run.sh. Results: bench/work/federation-peers/summary.txt
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
. scripts/select-jdk.sh
rows="${1:-100000}"
peers="${2:-20}"
build="${BUILD_FOLDER:-target}"
work="$root/bench/work/federation-peers"
port_a=18520
. bench/federation/common.sh
cleanup() { for p in "${pid[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; wait || true; }
trap cleanup EXIT

note "rows: $rows, peers: $peers; $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB"
start_server $port_a "$work/a-data" "$work/a.log"
await_ready $port_a "$work/a-data" "$work/a.log"
"${cs[@]}" bank create shared --server "http://127.0.0.1:$port_a" --key "${key[$port_a]}" > /dev/null
"${cs[@]}" bank import shared "$csv" --server "http://127.0.0.1:$port_a" --key "${key[$port_a]}" > "$work/import.out" 2>&1
bank=$(api $port_a GET /api/v1/banks | sed 's/.*"id":\([0-9]*\).*/\1/;q')
feed=$(api $port_a POST /api/v1/feeds "{\"name\":\"to-peers\",\"bank_id\":$bank}" | sed 's/.*"id":\([0-9]*\).*/\1/;q')
public_key=$(api $port_a GET /api/v1/federation/key | sed 's/.*"public_key":"\([^"]*\)".*/\1/')
declare -A peer_key
for i in $(seq 1 "$peers"); do
  peer_key[$i]=$(api $port_a POST "/api/v1/feeds/$feed/peers" "{\"name\":\"peer-$i\"}" | sed 's/.*"key":"\([^"]*\)".*/\1/')
done

t0=$(now)
for i in $(seq 1 "$peers"); do start_server $((port_a + i)) "$work/peer-$i-data" "$work/peer-$i.log" "${PEER_HEAP:-400m}"; done
for i in $(seq 1 "$peers"); do await_ready $((port_a + i)) "$work/peer-$i-data" "$work/peer-$i.log"; done
note "$peers peer servers started in $(echo "$(now) - $t0" | bc) s; load $(cut -d' ' -f1-3 /proc/loadavg)"

t0=$(now)
for i in $(seq 1 "$peers"); do
  api $((port_a + i)) POST /api/v1/exchanges "{\"name\":\"from-a\",\"kind\":\"countersignal\",\"trust\":\"trusted\",\
\"config\":{\"url\":\"http://127.0.0.1:$port_a/\",\"feed\":\"to-peers\",\"public_key\":\"$public_key\"},\
\"credentials\":{\"key\":\"${peer_key[$i]}\"}}" > /dev/null
done
declare -A done_at=() failed=()
finished=0
while [ "$finished" -lt "$peers" ]; do
  [ "$(echo "$(now) - $t0 > 1800" | bc)" = 1 ] && { note "not all peers up to date after 30 minutes"; exit 1; }
  for i in $(seq 1 "$peers"); do
    [ -n "${done_at[$i]:-}" ] && continue
    status=$(api $((port_a + i)) GET /api/v1/exchanges/1)
    echo "$status" | grep -q '"last_fetch_succeeded":false' && failed[$i]=1
    if echo "$status" | grep -q '"up_to_date":true'; then
      done_at[$i]=$(echo "$(now) - $t0" | bc)
      finished=$((finished + 1))
    fi
  done
  sleep 1
done
times=$(for i in $(seq 1 "$peers"); do echo "${done_at[$i]}"; done | sort -n)
note "peers whose fetch failed at least once on the way (and retried): $(for i in "${!failed[@]}"; do echo "$i"; done | wc -l)"
note "all $peers peers up to date in $(echo "$times" | tail -1) s (first $(echo "$times" | head -1) s; median $(echo "$times" | sed -n "$(( (peers + 1) / 2 ))p") s)"
hash=$(sed -n 2p "$list" | cut -d, -f2)
hits=0
for i in $(seq 1 "$peers"); do
  n=$(api $((port_a + i)) POST /api/v1/match "{\"signals\":{\"pdq\":\"$hash\"}}" | grep -c '"entry_id"' || true)
  entries=$(api $((port_a + i)) GET /api/v1/exchanges/1 | sed 's/.*"bank_entries":\([0-9]*\).*/\1/')
  [ "$n" -ge 1 ] && [ "$entries" = "$rows" ] && hits=$((hits + 1))
done
note "peers holding all $rows entries and matching A's first hash: $hits of $peers"
note "A's peak RSS $(awk '/VmHWM/ {printf "%.0f MB", $2/1024}' "/proc/${pid[$port_a]}/status"); a peer's peak RSS" \
  "$(for i in $(seq 1 "$peers"); do awk '/VmHWM/ {printf "%.0f\n", $2/1024}' "/proc/${pid[$((port_a + i))]}/status"; done | sort -n | tail -1) MB at most"
