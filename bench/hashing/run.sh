#!/usr/bin/env bash
# Whole-process hashing benchmark: times `countersignal hash` over a reproducible folder of 300
# photos of 1200x900 made from the conformance images, on one thread and on all cores.
# Usage: bench/hashing/run.sh [CONFORMANCE_IMAGES_DIR]
# PDQ_PHOTO_HASHER=PATH adds Meta's C++ pdq-photo-hasher (facebook/ThreatExchange, pdq/cpp, built
# outside this repository with libjpeg: docs/BENCHMARKS.md, "Images") to the same run.
# In-process decoding per path (system libjpeg-turbo, Leptonica's, FFmpeg, ImageIO), once the photos exist:
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

# One hyperfine run, so every figure has its anchors beside it: libjpeg-turbo's own djpeg decoding
# each photo (one process a photo, to colour as the issue's anchor does, and to grey), then
# `countersignal hash` over the folder by each decoding path, all on core 0 (both cores for the
# two-thread run, and for one one-thread run, as a user runs it: the JVM's compiler threads then
# work beside the hashing thread). The path a fresh machine takes is Leptonica's libjpeg-turbo, which ships in a
# Maven artifact, through the shim the build compiles (and through Leptonica's reader without a C
# compiler): the system library is optional.
# DJPEG=PATH names another djpeg: Debian's package brings the system TurboJPEG library with it, which
# a fresh machine lacks; a copy of the binary keeps the anchor while the library is removed.
djpeg="${DJPEG:-djpeg}"
command -v "$djpeg" >/dev/null || { echo "the anchor needs djpeg (apt-get install libjpeg-turbo-progs)" >&2; exit 1; }
hash() {  # JVM options, cores, hash options
  echo "COUNTERSIGNAL_JAVA_OPTS='$1' taskset -c $2 ./countersignal hash $3 $photos > /dev/null"
}
reference=()
if [ -n "${PDQ_PHOTO_HASHER:-}" ]; then
  reference=(-n "Meta's C++ pdq-photo-hasher" "taskset -c 0 $PDQ_PHOTO_HASHER $photos/*.jpg > /dev/null")
fi
# The system library's row only where it is installed: elsewhere its path falls back to the next.
system=()
if [ "$native" = yes ]; then
  system=(-n "1 thread, system libjpeg-turbo" "$(hash -Dcountersignal.image.decoder=libjpeg-turbo 0 '--threads 1')")
fi
hyperfine --warmup 1 --runs "${RUNS:-5}" --export-json bench/work/hash-photos.json "${reference[@]}" "${system[@]}" \
  -n "djpeg loop (anchor)" "taskset -c 0 sh -c 'for f in $photos/*.jpg; do $djpeg \"\$f\" > /dev/null; done'" \
  -n "djpeg -grayscale loop" "taskset -c 0 sh -c 'for f in $photos/*.jpg; do $djpeg -grayscale \"\$f\" > /dev/null; done'" \
  -n "1 thread, Leptonica (fresh machine)" "$(hash -Dcountersignal.image.decoder=leptonica 0 '--threads 1')" \
  -n "1 thread, Leptonica, both cores free" "$(hash -Dcountersignal.image.decoder=leptonica 0,1 '--threads 1')" \
  -n "1 thread, Leptonica's reader (no C compiler), both cores free" \
    "$(hash '-Dcountersignal.image.decoder=leptonica -Dcountersignal.libjpeg-rgbx=false' 0,1 '--threads 1')" \
  -n "1 thread, FFmpeg" "$(hash -Dcountersignal.image.decoder=ffmpeg 0 '--threads 1')" \
  -n "1 thread, ImageIO" "$(hash -Dcountersignal.image.decoder=imageio 0 '--threads 1')" \
  -n "2 threads, default decoder" "$(hash '' 0,1 '--threads 2')" >&2
python3 - bench/work/hash-photos.json <<'PY' | tee bench/work/hash-photos.txt
import json, statistics, sys
results = json.load(open(sys.argv[1]))["results"]
median = {r["command"]: statistics.median(r["times"]) for r in results}
colour, grey = median["djpeg loop (anchor)"], median["djpeg -grayscale loop"]
for r in results:
    m = median[r["command"]]
    print(f"{r['command']:<34} median {m:.2f} s (min {r['min']:.2f})  {300 / m:6.1f} images/s"
          f"  / djpeg loop {m / colour:.2f}  / djpeg -grayscale loop {m / grey:.2f}")
PY
