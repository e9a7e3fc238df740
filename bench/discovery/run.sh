#!/usr/bin/env bash
# Variant discovery (docs/BENCHMARKS.md, "Variant discovery"): ClusterScale times the clustering of
# N PDQ hashes (copies and edits of ORIGINALS originals, then uniformly random hashes) against one
# lookup per hash; VariantPrecision measures what the near-miss band proposes on pixel edits of
# the conformance photos and generated ones. The default heap (a quarter of the RAM) is enough.
# Environment: N (default 1000000), ORIGINALS (default 3000), SEED (default 42),
# IMAGES (default ../shared/conformance/pdq/images), PARTS (default "scale precision"), SKIP_BUILD=1.
# Results: bench/work/discovery/scale.txt, precision.txt and variant-precision.csv.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
. scripts/select-jdk.sh
parts="${PARTS:-scale precision}"
work="$root/bench/work/discovery"
mkdir -p "$work"
jar=bench/target/benchmarks.jar
if [ -z "${SKIP_BUILD:-}" ]; then
  ./mvnw -B -q -o -DskipTests -pl cli,bench -am package || ./mvnw -B -q -DskipTests -pl cli,bench -am package
fi
summary=/dev/null
note() { echo "$*" | tee -a "$summary"; }
machine() { note "$(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')); $(date -u +%FT%TZ); load $(cut -d' ' -f1-3 /proc/loadavg)"; }
run() { "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$jar" "$@" 2>>"$work/stderr.txt" | tee -a "$summary"; }
if [[ " $parts " == *" scale "* ]]; then
  summary="$work/scale.txt"; : >"$summary"; machine
  run org.countersignal.bench.discovery.ClusterScale "${N:-1000000}" "${ORIGINALS:-3000}" "${SEED:-42}"
  note "load $(cut -d' ' -f1-3 /proc/loadavg)"
fi
if [[ " $parts " == *" precision "* ]]; then
  summary="$work/precision.txt"; : >"$summary"; machine
  run org.countersignal.bench.discovery.VariantPrecision "${IMAGES:-../shared/conformance/pdq/images}" "$work/variant-precision.csv"
  note "load $(cut -d' ' -f1-3 /proc/loadavg)"
fi
