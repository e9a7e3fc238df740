#!/usr/bin/env bash
# The JVM options the launcher picks for the index commands, against the alternatives, on one
# core (taskset -c 1), for the files bench/index/cli-query.sh left in bench/work/index-cli/.
# An option set in COUNTERSIGNAL_JAVA_OPTS replaces the launcher's collector (and a later
# -XX:-UseTransparentHugePages its huge pages), so each line runs the command as a user would.
#   index query: with all 20,000 queries and with none, RUNS times each, interleaved over the
#     option sets; medians of wall and CPU seconds, and the lookups/s of the difference;
#   index build: once per option set, with the collector's pause total from its GC log.
# Usage: bench/index/cli-options.sh   (RUNS=5). Output in bench/work/index-cli/options/.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
. scripts/select-jdk.sh
runs="${RUNS:-5}"
work="$root/bench/work/index-cli"
out="$work/options"
index="$work/index-10000000.snap"
data="$work/data-10000000-20000"
mkdir -p "$out"
: >"$out/empty.txt"
./countersignal --version >/dev/null
query_sets=("" "-XX:+UseG1GC" "-XX:+UseSerialGC" "-XX:-UseTransparentHugePages")
build_sets=("" "-XX:+UseSerialGC -XX:PretenureSizeThreshold=1m" "-XX:+UseSerialGC")
default="the launcher's choice"

timed() {  # appends "WALL CPU" of a command (output discarded) to a file
  local file=$1
  shift
  /usr/bin/time -f '%e %U %S' -o "$out/time.txt" "$@" >/dev/null
  awk '{ printf "%s %.2f\n", $1, $2 + $3 }' "$out/time.txt" >>"$file"
}

echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); THP: $(cat /sys/kernel/mm/transparent_hugepage/enabled)"
for k in "${!query_sets[@]}"; do : >"$out/query-$k-all.txt"; : >"$out/query-$k-none.txt"; done
for i in $(seq "$runs"); do
  for k in "${!query_sets[@]}"; do
    COUNTERSIGNAL_JAVA_OPTS="${query_sets[$k]}" timed "$out/query-$k-all.txt" \
      taskset -c 1 ./countersignal index query "$index" "$data/queries.txt"
    COUNTERSIGNAL_JAVA_OPTS="${query_sets[$k]}" timed "$out/query-$k-none.txt" \
      taskset -c 1 ./countersignal index query "$index" "$out/empty.txt"
  done
done
for k in "${!query_sets[@]}"; do
  python3 - "${query_sets[$k]:-$default}" "$out/query-$k-all.txt" "$out/query-$k-none.txt" <<'PY'
import statistics, sys
name, all_file, none_file = sys.argv[1:]
full = [list(map(float, l.split())) for l in open(all_file)]
fixed = [list(map(float, l.split())) for l in open(none_file)]
med = lambda rows, i: statistics.median(r[i] for r in rows)
rates = [20000 / (a[0] - n[0]) for a, n in zip(full, fixed)]
print(f"index query, {name}: all queries {med(full, 0):.2f} s (CPU {med(full, 1):.2f}), none "
      f"{med(fixed, 0):.2f} s (CPU {med(fixed, 1):.2f}), {statistics.median(rates):.0f} lookups/s")
PY
done
for k in "${!build_sets[@]}"; do
  log="$out/build-$k-gc.log"
  : >"$out/build-$k.txt"
  COUNTERSIGNAL_JAVA_OPTS="${build_sets[$k]} -Xlog:gc:file=$log" timed "$out/build-$k.txt" \
    taskset -c 1 ./countersignal index build --out "$out/built.snap" "$data/hashes.txt"
  pauses=$(grep 'Pause' "$log" | sed -n 's/.* \([0-9.]*\)ms$/\1/p' | awk '{ s += $1; n++ } END { printf "%d pauses, %.0f ms", n, s }')
  echo "index build, ${build_sets[$k]:-$default}: $(cat "$out/build-$k.txt") (wall, CPU s), $pauses"
done
rm -f "$out/built.snap"
