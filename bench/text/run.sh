#!/usr/bin/env bash
# Runs the text evaluation and benchmarks behind docs/BENCHMARKS.md; output goes to
# bench/work/text-results/. Everything runs pinned to core 1 (taskset -c 1).
# Needs JDK 25 and the corpora (bench/text/make-corpus.sh, run here if kjv.txt is missing).
# Runs the current signal and, as the anchor, the signal of commit b06129c (before the 3-word
# shingles), both with the evaluation and benchmark code of this tree, so both sides are measured
# the same way in the same run. Takes about 15 minutes and 4 GB of heap.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
. scripts/select-jdk.sh
out="$root/bench/work/text-results"
work="$root/bench/work/text"
mkdir -p "$out" "$work"
[ -f "$work/kjv.txt" ] || bench/text/make-corpus.sh
java="$JAVA_HOME/bin/java"
anchor=b06129c

./mvnw -B -q -o -pl bench -am package -DskipTests
cp bench/target/benchmarks.jar "$work/benchmarks.jar"

# The anchor: that commit's signal library with this tree's bench/.../text code, built apart.
before="$work/before-$anchor"
rm -rf "$before"
mkdir -p "$before"
git archive "$anchor" | tar -x -C "$before"
rm -rf "$before/bench/src/main/java/org/countersignal/bench/text"
cp -r bench/src/main/java/org/countersignal/bench/text "$before/bench/src/main/java/org/countersignal/bench/"
(cd "$before" && ./mvnw -B -q -o -pl bench -am package -DskipTests)
cp "$before/bench/target/benchmarks.jar" "$work/benchmarks-$anchor.jar"

handbook=/usr/share/doc/debian-handbook/html
corpora=(
  "bible $work/kjv.txt /usr/share/vim/vim90/doc"
  "debian $handbook/en-US /usr/share/debian-reference"
  "arabic $handbook/ar-MA $handbook/fa-IR"
)
# Precision and recall, with the threshold trade-off, 3 samples of each variant per document.
for corpus in "${corpora[@]}"; do
  name="${corpus%% *}"
  for side in after before; do
    jar="$work/benchmarks.jar"
    [ "$side" = before ] && jar="$work/benchmarks-$anchor.jar"
    # shellcheck disable=SC2086 # the corpus line is the three arguments
    taskset -c 1 "$java" -Xmx3g -cp "$jar" org.countersignal.bench.text.TextEvaluation $corpus 3 \
      | tee "$out/evaluation-$name-$side.md"
  done
done

# 50 KB document against 100,000 banked documents, before and after, one after the other.
for side in before after; do
  jar="$work/benchmarks.jar"
  [ "$side" = before ] && jar="$work/benchmarks-$anchor.jar"
  taskset -c 1 "$java" -Djmh.ignoreLock=true -Dcountersignal.kjv="$work/kjv.txt" -jar "$jar" \
    org.countersignal.bench.text.TextLookupBenchmark -rf json -rff "$out/lookup-$side.json" 2>&1 \
    | tee "$out/lookup-$side.txt"
done

# All signals of a 50 KB-text PDF and HTML document.
taskset -c 1 "$java" -Djmh.ignoreLock=true -jar "$work/benchmarks.jar" org.countersignal.bench.text.DocumentHashBenchmark \
  -rf json -rff "$out/documents.json" | tee "$out/documents.txt"

# How lookup time grows with the bank (lookup of a pre-sketched query only).
taskset -c 1 "$java" -Djmh.ignoreLock=true -Dcountersignal.kjv="$work/kjv.txt" -jar "$work/benchmarks.jar" \
  'org.countersignal.bench.text.TextLookupBenchmark.lookupOnly50k' \
  -p bankSize=1000,10000,100000 -wi 2 -i 3 -rf json -rff "$out/scaling.json" 2>&1 | tee "$out/scaling.txt"
