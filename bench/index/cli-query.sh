#!/usr/bin/env bash
# `countersignal index query` as a whole process against the in-process figure, on one core
# (taskset -c 1): each run times
#   1. the anchor: IndexScaleReport in process (10M uniform hashes, 20,000 queries, radius 31,
#      lookups/s after warm-up, and the load of the snapshot it wrote);
#   2. `countersignal index query INDEX queries.txt` (20,000 queries), the whole process;
#   3. `countersignal index query INDEX empty.txt` (no queries): the fixed cost, start and load;
# and derives the command's lookup rate as 20,000 / (time of 2 - time of 3). Prints one line per
# run, then the medians.
# The data is the anchor's own (IndexScaleReport --export-text: hashes.txt, queries.txt, seed 42),
# indexed once with `countersignal index build`.
# Usage: bench/index/cli-query.sh   (RUNS=5 SIZE=10000000 QUERIES=20000; COUNTERSIGNAL and
#        BENCH_JAR name another launcher and benchmarks jar, e.g. an older build's)
# Output in bench/work/index-cli/.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
. scripts/select-jdk.sh
runs="${RUNS:-5}"
size="${SIZE:-10000000}"
queries="${QUERIES:-20000}"
cs="${COUNTERSIGNAL:-$root/countersignal}"
jar="${BENCH_JAR:-$root/bench/target/benchmarks.jar}"
work="$root/bench/work/index-cli"
mkdir -p "$work"
if [ -z "${BENCH_JAR:-}" ]; then
  ./mvnw -B -q -Dmaven.test.skip=true -pl cli,bench -am package
fi
java=("$JAVA_HOME/bin/java" -XX:+UseTransparentHugePages -Xms16g -Xmx16g -cp "$jar")
report=(org.countersignal.bench.index.IndexScaleReport --size "$size" --queries "$queries"
  --radii 31 --seconds 5 --skip-inserts)
data="$work/data-$size-$queries"
if [ ! -f "$data/queries.txt" ]; then
  taskset -c 1 "${java[@]}" "${report[@]}" --export-text "$data" >/dev/null
fi
: >"$work/empty.txt"
index="$work/index-$size.snap"
# Built by the launcher under test, so its format is the one that launcher writes.
"$cs" --version >/dev/null  # builds the jar and the start-up cache if due, outside the timings
start=$(date +%s.%N)
taskset -c 1 "$cs" index build --out "$index" "$data/hashes.txt"
echo "index build: $(echo "$(date +%s.%N) - $start" | bc) s, $(stat -c %s "$index") bytes"

seconds() {  # wall seconds of a command, its output discarded
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}

echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
results="$work/runs.txt"
: >"$results"
for i in $(seq "$runs"); do
  anchor="$(taskset -c 1 "${java[@]}" "${report[@]}")"
  rate=$(echo "$anchor" | sed -n 's/^lookups_per_second_r31_t1=//p')
  load=$(echo "$anchor" | sed -n 's/^snapshot_load_seconds=//p')
  full=$(seconds taskset -c 1 "$cs" index query "$index" "$data/queries.txt")
  fixed=$(seconds taskset -c 1 "$cs" index query "$index" "$work/empty.txt")
  cli_rate=$(echo "$queries / ($full - $fixed)" | bc -l)
  printf 'run %d: in-process %s lookups/s, snapshot load %s s | command: %.2f s with %d queries, %.2f s with none -> %.0f lookups/s (load avg %s)\n' \
    "$i" "$rate" "$load" "$full" "$queries" "$fixed" "$cli_rate" "$(cut -d' ' -f1 /proc/loadavg)" | tee -a "$work/log.txt"
  echo "$rate $load $full $fixed $cli_rate" >>"$results"
done
python3 - "$results" <<'PY' | tee -a "$work/log.txt"
import statistics, sys
rows = [list(map(float, line.split())) for line in open(sys.argv[1])]
names = ["in-process lookups/s", "in-process snapshot load s", "command, all queries s",
         "command, no queries (fixed) s", "command lookups/s"]
for i, name in enumerate(names):
    print(f"median {name}: {statistics.median(r[i] for r in rows):.4g}")
print(f"median ratio command / in-process lookups/s: {statistics.median(r[4] / r[0] for r in rows):.3f}")
PY
