#!/usr/bin/env bash
# Whole-process hashing benchmark: times `countersignal hash` over a reproducible folder of 300
# photos of 1200x900 made from the conformance images, on one thread and on all cores.
# Usage: bench/hashing/run.sh [CONFORMANCE_IMAGES_DIR]
# In-process decoding per path (libjpeg-turbo, FFmpeg, ImageIO), after this script made the photos:
#   java -jar bench/target/benchmarks.jar PdqBenchmark.decode -jvmArgsAppend --enable-native-access=ALL-UNNAMED
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
. scripts/select-jdk.sh
images="${1:-$root/../shared/conformance/pdq/images}"
photos="$root/bench/work/photos"

./mvnw -B -q -Dmaven.test.skip=true -pl cli,bench -am package
if [ ! -f "$photos/photo-299.jpg" ]; then
  "$JAVA_HOME/bin/java" -cp bench/target/benchmarks.jar org.countersignal.bench.hashing.PhotoSet "$images" "$photos" 300
fi
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
native=$(ldconfig -p | grep -q libturbojpeg.so.0 && echo yes || echo no)
echo "libturbojpeg present: $native; $(nproc) cores; $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"

run() {  # label, extra JVM options, countersignal arguments...
  local label="$1" opts="$2"; shift 2
  hyperfine --warmup 1 --runs 5 --export-json "bench/work/hash-$label.json" \
    "COUNTERSIGNAL_JAVA_OPTS='$opts' taskset -c ${CORES:-0} ./countersignal hash $* $photos > /dev/null" >&2
  python3 - "bench/work/hash-$label.json" "$label" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print(f"{sys.argv[2]:<28} mean {r['mean']:.2f} s  (min {r['min']:.2f})  -> {300 / r['mean']:.1f} images/s")
PY
}

# The anchor, in the same run: libjpeg-turbo's own djpeg decoding each photo to grey, one process
# a photo, on the same core.
if command -v djpeg >/dev/null; then
  hyperfine --warmup 1 --runs 5 --export-json bench/work/hash-djpeg-loop.json \
    "taskset -c 0 sh -c 'for f in $photos/*.jpg; do djpeg -grayscale \"\$f\" > /dev/null; done'" >&2
  python3 - bench/work/hash-djpeg-loop.json <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print(f"{'djpeg loop (anchor)':<28} mean {r['mean']:.2f} s  (min {r['min']:.2f})")
PY
else
  echo "no djpeg: the anchor needs apt-get install libjpeg-turbo-progs" >&2
fi
CORES=0 run "1-thread-libjpeg-turbo" "" --threads 1
CORES=0 run "1-thread-ffmpeg" "-Dcountersignal.image.decoder=ffmpeg" --threads 1
CORES=0 run "1-thread-imageio" "-Dcountersignal.image.decoder=imageio" --threads 1
CORES=0,1 run "2-threads-libjpeg-turbo" "" --threads 2
