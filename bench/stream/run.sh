#!/usr/bin/env bash
# Livestreams (docs/BENCHMARKS.md, "Livestreams"): a fresh server with the launcher's defaults, then
# StreamLoad's two runs: STREAMS streams at one frame hash a second beside plain lookups at the same
# rate, and JPEG frames back to back beside uploads of the same pictures.
# Environment: STREAMS (default 100), SECONDS_EACH (default 60), BANKED (default 100000), CLIENTS (default 4),
# MODES (default "hashes jpeg"), SKIP_BUILD=1. Results: bench/work/stream/summary.txt.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
. scripts/select-jdk.sh
streams="${STREAMS:-100}"
seconds="${SECONDS_EACH:-60}"
banked="${BANKED:-100000}"
clients="${CLIENTS:-4}"
port="${PORT:-18497}"
url="http://127.0.0.1:$port"
work="$root/bench/work/stream"
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
load() { "$JAVA_HOME/bin/java" -cp bench/target/benchmarks.jar org.countersignal.bench.stream.StreamLoad "$@"; }
if [[ " ${MODES:-hashes jpeg} " == *" hashes "* ]]; then
  load hashes "$url" "$key" "$streams" "$seconds" "$banked" | tee -a "$summary"
  note "load $(cut -d' ' -f1-3 /proc/loadavg)"
fi
[[ " ${MODES:-hashes jpeg} " == *" jpeg "* ]] && load jpeg "$url" "$key" "$clients" "$seconds" | tee -a "$summary"
note "load $(cut -d' ' -f1-3 /proc/loadavg); server RSS $(grep VmRSS /proc/$server/status | awk '{print $2/1024 " MB"}')"
