#!/usr/bin/env bash
# Start-up benchmark: the whole `countersignal` process, with and without the launcher's start-up
# cache (COUNTERSIGNAL_AOT_CACHE=off), against the JVM's own start (`java -version`):
#   hyperfine: java -version; countersignal hash ONE.jpg; countersignal --help; each of the two
#   commands also with both of the JVM's compilers (COUNTERSIGNAL_JAVA_OPTS=-XX:TieredStopAtLevel=4),
#   where the launcher would give these short runs C1 alone
#   serve: seconds from starting `countersignal serve` on a fresh empty data directory until
#   GET /health/ready answers 200, and the CPU seconds the process had used by then; RUNS paired
#   runs (with, then without, the cache), medians.
# Usage: bench/startup/run.sh [ONE.jpg]    (RUNS=7 HYPERFINE_RUNS=10 PORT=18790 by default)
# Needs hyperfine and curl (apt-get install hyperfine curl). Results in bench/work/startup/.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
. scripts/select-jdk.sh
photo="${1:-$root/../shared/conformance/pdq/images/bridge-1-original.jpg}"
runs="${RUNS:-7}"
port="${PORT:-18790}"
work="$root/bench/work/startup"
for tool in hyperfine curl; do
  command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install $tool)" >&2; exit 1; }
done
[ -f "$photo" ] || { echo "no such image: $photo (give one as the first argument)" >&2; exit 1; }
mkdir -p "$work"

./mvnw -B -q -Dmaven.test.skip=true -pl cli -am package
# The launcher builds the jar if the sources changed and makes each cache on its first use; do
# both here so that no timed run includes them.
./countersignal --version >/dev/null
./countersignal serve --help >/dev/null
echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
echo "image: $photo"

hyperfine --warmup 2 --runs "${HYPERFINE_RUNS:-10}" -N --export-json "$work/commands.json" \
  -n "java -version" "$JAVA_HOME/bin/java -version" \
  -n "hash, cache" "./countersignal hash $photo" \
  -n "hash, no cache" "env COUNTERSIGNAL_AOT_CACHE=off ./countersignal hash $photo" \
  -n "hash, cache, C2" "env COUNTERSIGNAL_JAVA_OPTS=-XX:TieredStopAtLevel=4 ./countersignal hash $photo" \
  -n "help, cache" "./countersignal --help" \
  -n "help, no cache" "env COUNTERSIGNAL_AOT_CACHE=off ./countersignal --help" \
  -n "help, cache, C2" "env COUNTERSIGNAL_JAVA_OPTS=-XX:TieredStopAtLevel=4 ./countersignal --help" >&2
python3 - "$work/commands.json" <<'PY' | tee "$work/summary.txt"
import json, statistics, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(f"{r['command']:<18} median {statistics.median(r['times']):.3f} s  mean {r['mean']:.3f} s"
          f"  min {r['min']:.3f} s  CPU {r['user'] + r['system']:.3f} s")
PY

# One start of serve on an empty data directory: prints "SECONDS_TO_READY CPU_SECONDS".
ready() {
  local data
  data="$(mktemp -d "$work/data.XXXXXX")"
  rmdir "$data"  # the server makes it, as on a first start
  local start end pid cpu
  start=$(date +%s%N)
  ./countersignal serve --host 127.0.0.1 --port "$port" --data-dir "$data" 2>"$work/serve.log" &
  pid=$!  # the launcher execs the JVM, so this is the server's own process
  until curl -sf -o /dev/null "http://127.0.0.1:$port/health/ready"; do
    kill -0 "$pid" 2>/dev/null || { echo "serve exited; see $work/serve.log" >&2; exit 1; }
    sleep 0.01
  done
  end=$(date +%s%N)
  # utime + stime, fields 14 and 15 of /proc/PID/stat, in clock ticks
  cpu=$(awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$pid/stat")
  kill "$pid"
  wait "$pid" || true
  rm -rf "$data"
  echo "$(( (end - start) / 1000000 )) $cpu"
}

median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

: >"$work/serve-cache.txt"
: >"$work/serve-no-cache.txt"
for i in $(seq "$runs"); do
  ready >>"$work/serve-cache.txt"
  COUNTERSIGNAL_AOT_CACHE=off ready >>"$work/serve-no-cache.txt"
done
for kind in cache no-cache; do
  file="$work/serve-$kind.txt"
  printf 'serve to ready, %-8s median %.3f s (runs: %s)  CPU median %s s\n' "$kind" \
    "$(cut -d' ' -f1 "$file" | median | awk '{print $1 / 1000}')" \
    "$(cut -d' ' -f1 "$file" | awk '{printf "%s%.2f", (NR > 1 ? " " : ""), $1 / 1000}')" \
    "$(cut -d' ' -f2 "$file" | median)"
done | tee -a "$work/summary.txt"
