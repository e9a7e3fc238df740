#!/usr/bin/env bash
# Runs the index benchmarks behind docs/BENCHMARKS.md and writes their output to
# bench/work/index-results/. Single-thread figures run pinned to core 1 (taskset -c 1);
# the two-thread figures use cores 0 and 1. Needs a JDK 25 and, for the faiss comparison,
# Debian's python3-faiss:  apt-get install -y python3-faiss
# Usage: bench/index/run.sh [SIZES...]   (default: 100000 1000000 10000000 50000000)
# Takes about 20 minutes and up to 16 GB of heap.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
. scripts/select-jdk.sh
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000 10000000 50000000)
out="$root/bench/work/index-results"
data="$root/bench/work/index-data"
mkdir -p "$out" "$data"
if ! /usr/bin/python3 -c 'import faiss' 2>/dev/null; then
  # A fresh machine: Debian ships faiss 1.7.3 as python3-faiss.
  apt-get install -y python3-faiss
fi
./mvnw -B -q -pl bench -am package -DskipTests
jar="$root/bench/target/benchmarks.jar"
java=("$JAVA_HOME/bin/java" -XX:+UseTransparentHugePages -Xms16g -Xmx16g -cp "$jar")
report=org.countersignal.bench.index.IndexScaleReport

for size in "${sizes[@]}"; do
  log="$out/java-$size.txt"
  if [ "$size" -ge 50000000 ]; then
    # 50M: lookups at radius 31 only, no faiss (its multi-hash index would need ~13 GB).
    taskset -c 1 "${java[@]}" $report --size "$size" --queries 2000 --radii 31 --skip-inserts | tee "$log"
    continue
  fi
  radii=31
  [ "$size" -eq 10000000 ] && radii=15,31,47,63
  rm -rf "${data:?}/$size"
  taskset -c 1 "${java[@]}" $report --size "$size" --queries 2000 --radii "$radii" \
      --export "$data/$size" | tee "$log"
  taskset -c 1 /usr/bin/python3 bench/index/faiss_compare.py "$data/$size" --max-seconds 30 \
      | tee "$out/faiss-$size.txt"
  rm -rf "${data:?}/$size"
done

# Repeats of the headline figure, on one core and (scaling with threads) on both cores.
for i in 1 2 3; do
  taskset -c 1 "${java[@]}" $report --size 10000000 --queries 2000 --radii 31 \
      --skip-snapshot --skip-inserts | tee "$out/java-10000000-repeat$i.txt"
  taskset -c 0,1 "${java[@]}" $report --size 10000000 --queries 2000 --radii 31 --threads 2 \
      --skip-snapshot --skip-inserts | tee "$out/java-10000000-threads2-repeat$i.txt"
done

# Inserts into an empty index on one core (the add calls and the background merges share it).
taskset -c 1 "${java[@]}" $report --size 0 --inserts-only --seconds 3 | tee "$out/java-inserts.txt"

# Layout sweep at 10M: substring counts other than the default (11).
for m in 8 10 12 16; do
  taskset -c 1 "${java[@]}" $report --size 10000000 --queries 2000 --radii 31 --substrings "$m" \
      --seconds 3 --skip-snapshot --skip-inserts | tee "$out/java-10000000-m$m.txt"
done

# JMH cross-check of single-thread lookups at 1M and 10M.
taskset -c 1 "$JAVA_HOME/bin/java" -jar "$jar" 'org.countersignal.bench.index.HammingLookupBenchmark' \
    -p size=1000000,10000000 -f 1 -wi 2 -w 3s -i 3 -r 5s \
    -jvmArgs '-XX:+UseTransparentHugePages -Xmx12g' | tee "$out/jmh-lookup.txt"
