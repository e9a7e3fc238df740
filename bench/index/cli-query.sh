#!/usr/bin/env bash
# `countersignal index query` as a whole process against the in-process figure, on one core
# (taskset -c 1): each run times
#   1. the anchor: IndexScaleReport in process (10M uniform hashes, 20,000 queries, radius 31:
#      lookups/s after warm-up, lookups/s of the first pass over the queries, before the JIT has
#      compiled the lookup, and the load of the snapshot it wrote);
#   2. `countersignal index query INDEX queries.txt` (20,000 queries), the whole process;
#   3. `countersignal index query INDEX empty.txt` (no queries): the fixed cost, start and load;
# and derives the command's lookup rate as 20,000 / (time of 2 - time of 3). Prints one line per
# run, then the medians.
# The data is the anchor's own (IndexScaleReport --export-text: hashes.txt, queries.txt, seed 42),
# indexed once with `countersignal index build`.
# Usage: bench/index/cli-query.sh   (RUNS=5 SIZE=10000000 QUERIES=20000; COUNTERSIGNAL and
#        BENCH_JAR name another launcher and benchmarks jar; BASELINE names a second launcher,
#        e.g. an older build's, timed the same way in every run; BASELINE_BENCH_JAR an older
#        benchmarks jar whose in-process snapshot load is measured in every run too)
# Wall times suffer when other work shares core 1; the CPU seconds (user + system) less so. With
# QUIET=1 each run first waits (up to 20 minutes) until both cores have been at most 20 % busy
# for 10 seconds.
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
# Each launcher's index is built by that launcher, so its format is the one it writes.
build_index() {  # LAUNCHER INDEXFILE
  "$1" --version >/dev/null  # builds the jar and the start-up cache if due, outside the timings
  local start
  start=$(date +%s.%N)
  taskset -c 1 "$1" index build --out "$2" "$data/hashes.txt"
  echo "index build ($1): $(echo "$(date +%s.%N) - $start" | bc) s, $(stat -c %s "$2") bytes"
}
index="$work/index-$size.snap"
build_index "$cs" "$index"
if [ -n "${BASELINE:-}" ]; then
  build_index "$BASELINE" "$work/index-$size-baseline.snap"
fi

timed() {  # "WALL CPU" seconds of a command (CPU: user + system), its output discarded
  /usr/bin/time -f '%e %U %S' -o "$work/time.txt" "$@" >/dev/null
  awk '{ printf "%s %.2f\n", $1, $2 + $3 }' "$work/time.txt"
}

# The command with all queries, then with none: "FULL FULL_CPU FIXED FIXED_CPU RATE CPU_RATE".
command_figures() {  # LAUNCHER INDEXFILE
  local full full_cpu fixed fixed_cpu
  read -r full full_cpu < <(timed taskset -c 1 "$1" index query "$2" "$data/queries.txt")
  read -r fixed fixed_cpu < <(timed taskset -c 1 "$1" index query "$2" "$work/empty.txt")
  echo "$full $full_cpu $fixed $fixed_cpu $(echo "$queries / ($full - $fixed)" | bc -l)" \
    "$(echo "$queries / ($full_cpu - $fixed_cpu)" | bc -l)"
}

describe() {  # NAME FULL FULL_CPU FIXED FIXED_CPU RATE CPU_RATE
  printf '%s: %.2f s (CPU %.2f s) with %d queries, %.2f s (CPU %.2f s) with none -> %.0f lookups/s (by CPU time %.0f)' \
    "$1" "$2" "$3" "$queries" "$4" "$5" "$6" "$7"
}

busy_percent() {  # the busiest core's share of the next 10 seconds
  local a b
  a=$(grep -E '^cpu[0-9]+ ' /proc/stat)
  sleep 10
  b=$(grep -E '^cpu[0-9]+ ' /proc/stat)
  paste <(echo "$a") <(echo "$b") | awk '{
    n = (NF - 2) / 2; total = 0; idle = 0
    for (i = 2; i <= n + 1; i++) total += $(i + n + 1) - $i
    idle = ($(5 + n + 1) - $5) + ($(6 + n + 1) - $6)
    busy = total > 0 ? 100 * (total - idle) / total : 0
    if (busy > max) max = busy
  } END { printf "%d\n", max }'
}

wait_quiet() {
  [ "${QUIET:-0}" = 1 ] || return 0
  local deadline=$((SECONDS + 1200)) busy
  while busy=$(busy_percent) && [ "$busy" -gt 20 ] && [ $SECONDS -lt $deadline ]; do :; done
  echo "(busiest core ${busy} % over the 10 s before the run)"
}

echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
results="$work/runs.txt"
: >"$results"
for i in $(seq "$runs"); do
  wait_quiet | tee -a "$work/log.txt"
  anchor="$(taskset -c 1 "${java[@]}" "${report[@]}")"
  rate=$(echo "$anchor" | sed -n 's/^lookups_per_second_r31_t1=//p')
  first=$(echo "$anchor" | sed -n 's/^first_pass_lookups_per_second_r31=//p')
  first=${first:-nan}  # an older benchmarks jar does not measure it
  load=$(echo "$anchor" | sed -n 's/^snapshot_load_seconds=//p')
  read -r -a now < <(command_figures "$cs" "$index")
  line="run $i: in-process $rate lookups/s (first pass $first), snapshot load $load s | $(describe command "${now[@]}")"
  row="$rate $first $load ${now[*]}"
  if [ -n "${BASELINE:-}" ]; then
    read -r -a then < <(command_figures "$BASELINE" "$work/index-$size-baseline.snap")
    line="$line | $(describe baseline "${then[@]}")"
    row="$row ${then[*]}"
  fi
  if [ -n "${BASELINE_BENCH_JAR:-}" ]; then
    # Only its snapshot load is wanted: one second of lookups.
    old_load=$(taskset -c 1 "$JAVA_HOME/bin/java" -XX:+UseTransparentHugePages -Xms16g -Xmx16g \
      -cp "$BASELINE_BENCH_JAR" "${report[@]}" --seconds 1 | sed -n 's/^snapshot_load_seconds=//p')
    line="$line | baseline in-process snapshot load $old_load s"
    extra_loads="${extra_loads:-} $old_load"
  fi
  echo "$line | load average $(cut -d' ' -f1 /proc/loadavg)" | tee -a "$work/log.txt"
  echo "$row" >>"$results"
done
python3 - "$results" <<'PY' | tee -a "$work/log.txt"
import statistics, sys
rows = [list(map(float, line.split())) for line in open(sys.argv[1])]
names = ["in-process lookups/s", "in-process lookups/s, first pass", "in-process snapshot load s"]
whos = ["command", "baseline"][: (len(rows[0]) - 3) // 6]
for who in whos:
    names += [f"{who}, all queries s", f"{who}, all queries, CPU s", f"{who}, no queries (fixed) s",
              f"{who}, no queries, CPU s", f"{who} lookups/s", f"{who} lookups/s by CPU time"]
for i, name in enumerate(names):
    print(f"median {name}: {statistics.median(r[i] for r in rows):.4g}")
for k, who in enumerate(whos):
    base = 3 + 6 * k
    print(f"median ratio {who} / in-process lookups/s: {statistics.median(r[base + 4] / r[0] for r in rows):.3f}"
          f" (by CPU time {statistics.median(r[base + 5] / r[0] for r in rows):.3f});"
          f" / in-process first pass: {statistics.median(r[base + 4] / r[1] for r in rows):.3f}")
PY
if [ -n "${extra_loads:-}" ]; then
  echo "median baseline in-process snapshot load s: $(printf '%s\n' $extra_loads | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')" \
    | tee -a "$work/log.txt"
fi
