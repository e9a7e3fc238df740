#!/usr/bin/env bash
# Variant discovery in the service (docs/BENCHMARKS.md, "Variant discovery"): a fresh server with the
# launcher's defaults, a day of unmatched uploads sent to it, then one discovery run timed beside the
# same clustering in memory. Environment: ROWS (default 1000000), ORIGINALS (3000), BANKED (100000),
# CLIENTS (1: with 2, the uploads take both cores and the queue of recent signals outgrows its bound), SKIP_BUILD=1. Results: bench/work/discovery-service/summary.txt.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
. scripts/select-jdk.sh
port="${PORT:-18498}"
url="http://127.0.0.1:$port"
work="$root/bench/work/discovery-service"
rm -rf "$work"; mkdir -p "$work"
[ -n "${SKIP_BUILD:-}" ] || ./mvnw -B -q -o -DskipTests -pl cli,bench -am package
summary="$work/summary.txt"
note() { echo "$*" | tee -a "$summary"; }
note "$(nproc) CPUs; $(date -u +%FT%TZ); commit $(git rev-parse --short HEAD); load $(cut -d' ' -f1-3 /proc/loadavg)"
./countersignal serve --host 127.0.0.1 --port "$port" --data-dir "$work/data" 2>"$work/serve.log" &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
until [ "$(curl -s -o /dev/null -w '%{http_code}' "$url/health/ready" 2>/dev/null)" = 200 ]; do
  kill -0 "$server" 2>/dev/null || { cat "$work/serve.log"; exit 1; }
  sleep 0.2
done
key="$(cat "$work/data/initial-admin-key")"
"$JAVA_HOME/bin/java" -cp bench/target/benchmarks.jar org.countersignal.bench.discovery.DiscoveryLoad "$url" "$key" \
  "${ROWS:-1000000}" "${ORIGINALS:-3000}" "${BANKED:-100000}" "${CLIENTS:-1}" | tee -a "$summary"
note "load $(cut -d' ' -f1-3 /proc/loadavg); server RSS $(grep VmRSS /proc/$server/status | awk '{print $2/1024 " MB"}')"
