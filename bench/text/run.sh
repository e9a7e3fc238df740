#!/usr/bin/env bash
# Runs the text evaluation and benchmarks behind docs/BENCHMARKS.md; output goes to
# bench/work/text-results/. Everything runs pinned to core 1 (taskset -c 1).
# Needs JDK 25 and the corpus: bench/text/make-corpus.sh (Debian bible-kjv; Vim help files).
# Takes about 5 minutes and 4 GB of heap.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
. scripts/select-jdk.sh
out="$root/bench/work/text-results"
mkdir -p "$out"
[ -f bench/work/text/kjv.txt ] || bench/text/make-corpus.sh
./mvnw -B -q -pl bench -am package -DskipTests
jar="$root/bench/work/text/benchmarks.jar"
cp bench/target/benchmarks.jar "$jar"
java="$JAVA_HOME/bin/java"

# Precision and recall, with the threshold trade-off, 3 samples of each variant per document.
taskset -c 1 "$java" -Xmx2g -cp "$jar" org.countersignal.bench.text.TextEvaluation \
  bench/work/text/kjv.txt /usr/share/vim/vim90/doc 3 | tee "$out/evaluation.md"

# 50 KB document against 100,000 banked documents; hashing and URL extraction throughput.
taskset -c 1 "$java" -Djmh.ignoreLock=true -jar "$jar" org.countersignal.bench.text.TextLookupBenchmark \
  -rf json -rff "$out/lookup.json" | tee "$out/lookup.txt"

# All signals of a 50 KB-text PDF and HTML document.
taskset -c 1 "$java" -Djmh.ignoreLock=true -jar "$jar" org.countersignal.bench.text.DocumentHashBenchmark \
  -rf json -rff "$out/documents.json" | tee "$out/documents.txt"

# How lookup time grows with the bank (lookup of a pre-sketched query only).
taskset -c 1 "$java" -Djmh.ignoreLock=true -jar "$jar" 'org.countersignal.bench.text.TextLookupBenchmark.lookupOnly50k' \
  -p bankSize=1000,10000,100000 -wi 2 -i 3 -rf json -rff "$out/scaling.json" | tee "$out/scaling.txt"
