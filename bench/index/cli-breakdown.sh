#!/usr/bin/env bash
# Where `countersignal index query`'s time goes, on one core (taskset -c 1), for the index file
# and query file bench/index/cli-query.sh left in bench/work/index-cli/:
#   - start: `countersignal index query --help` (the JVM, the launcher, picocli, no index);
#   - the run without queries and the run with all of them, each timed (wall, user, system) and
#     recorded with JFR's method timing (JDK 25) of the command, the snapshot load and its parts,
#     with a GC log and JFR's compiler statistics.
# JFR adds its own start (about 0.3 s) to the recorded runs; the methods' times are exact.
# Usage: bench/index/cli-breakdown.sh [LAUNCHER [INDEXFILE]]   (RUNS=3)
# Defaults: ./countersignal and bench/work/index-cli/index-10000000.snap. Output in
# bench/work/index-cli/breakdown/.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
. scripts/select-jdk.sh
cs="${1:-$root/countersignal}"
index="${2:-$root/bench/work/index-cli/index-10000000.snap}"
queries="$root/bench/work/index-cli/data-10000000-20000/queries.txt"
runs="${RUNS:-3}"
out="$root/bench/work/index-cli/breakdown"
mkdir -p "$out"
: >"$out/empty.txt"
"$cs" --version >/dev/null  # builds the jar and the start-up cache if due

timed() {  # prints "WALL USER SYSTEM" of a command, its output discarded
  /usr/bin/time -f '%e %U %S' -o "$out/time.txt" "$@" >/dev/null
  cat "$out/time.txt"
}

echo "launcher $cs, index $index ($(stat -c %s "$index") bytes), load average $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq "$runs"); do
  echo "start (index query --help): $(timed taskset -c 1 "$cs" index query --help)"
done
methods="org.countersignal.cli.index.IndexCommand\$Query::call"
for m in org.countersignal.index.hamming.HammingIndex::readSnapshot \
    org.countersignal.index.hamming.HammingSnapshot::read \
    org.countersignal.index.hamming.Segment::build \
    org.countersignal.index.hamming.Segment::withTables \
    org.countersignal.index.snapshot.SnapshotReader::finish \
    org.countersignal.cli.index.HashFile::read; do
  methods="$methods;$m"
done
for what in empty all; do
  file="$out/empty.txt"
  [ "$what" = all ] && file="$queries"
  for i in $(seq "$runs"); do
    echo "$what queries, plain: $(timed taskset -c 1 "$cs" index query "$index" "$file")"
  done
  jfr="$out/$what.jfr"
  COUNTERSIGNAL_JAVA_OPTS="${COUNTERSIGNAL_JAVA_OPTS:-} -Xlog:gc:file=$out/$what-gc.log -XX:StartFlightRecording:filename=$jfr,method-timing=$methods" \
    timed taskset -c 1 "$cs" index query "$index" "$file" >"$out/$what-recorded-time.txt"
  echo "$what queries, recorded: $(cat "$out/$what-recorded-time.txt")"
  "$JAVA_HOME/bin/jfr" view --width 160 method-timing "$jfr" | grep -v '^$'
  "$JAVA_HOME/bin/jfr" view --width 160 compiler-statistics "$jfr" | grep -E 'Compiled Methods|Peak Time|Total Time|OSR' || true
  echo "GC pauses: $(grep -c 'Pause' "$out/$what-gc.log"), $(grep 'Pause' "$out/$what-gc.log" | sed -n 's/.* \([0-9.]*\)ms$/\1/p' | awk '{ s += $1 } END { printf "%.0f ms", s }')"
done
