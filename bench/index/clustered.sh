#!/usr/bin/env bash
# Runs the clustered-bank comparison behind docs/BENCHMARKS.md ("Clustered banks"): N uniformly
# random hashes, N hashes shaped like a real bank (ClusteredBank) and the same without the
# measured bit bias, measured side by side in one process (ClusteredBankReport), then faiss on
# exactly the same exported uniform and clustered data, side by side likewise. Every step is
# pinned to core 1. Output goes to bench/work/index-results/clustered-N*.txt.
# Needs a JDK 25 and Debian's python3-faiss (apt-get install -y python3-faiss).
# Usage: bench/index/clustered.sh [N]   (default 10000000; about 15 minutes, 12 GB of heap,
# then about 7 GB for faiss's two multi-hash indexes)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
. scripts/select-jdk.sh
size="${1:-10000000}"
out="$root/bench/work/index-results"
data="$root/bench/work/index-data/clustered-$size"
mkdir -p "$out"
rm -rf "${data:?}"
./mvnw -B -q -o -pl bench -am package -DskipTests
jar="$root/bench/target/benchmarks.jar"

{ date -u; uptime; } | tee "$out/clustered-$size.txt"
taskset -c 1 "$JAVA_HOME/bin/java" -XX:+UseTransparentHugePages -Xms12g -Xmx12g -cp "$jar" \
    org.countersignal.bench.index.ClusteredBankReport --data uniform,clustered-unbiased,clustered \
    --size "$size" --queries 2000 --rounds 8 --slice 1 --export "$data" | tee -a "$out/clustered-$size.txt"
{ date -u; uptime; } | tee "$out/clustered-$size-faiss.txt"
taskset -c 1 /usr/bin/python3 bench/index/faiss_compare.py "$data/uniform" "$data/clustered" \
    --rounds 6 --max-seconds 30 | tee -a "$out/clustered-$size-faiss.txt"
{ date -u; uptime; } | tee -a "$out/clustered-$size-faiss.txt"
rm -rf "${data:?}"
