#!/usr/bin/env bash
# Whole-process video hashing benchmark: times `countersignal hash` over the conformance sample
# videos (3,262 frames, SD and HD) on one pinned core: every frame, one frame per second, and
# decoding alone (the difference to every frame is RGB conversion plus PDQ).
# Usage: bench/video/run.sh [SAMPLE_VIDEOS_DIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
. scripts/select-jdk.sh
videos="${1:-$root/../shared/conformance/vpdq/videos}"
mkdir -p bench/work
./mvnw -B -q -Dmaven.test.skip=true -pl cli -am package
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
frames=$(./countersignal hash --threads 1 "$videos" | python3 -c '
import json, sys
print(sum(json.loads(l)["signals"]["vpdq"]["frames"] for l in sys.stdin))')
echo "$frames frames in $(ls "$videos" | wc -l) videos; $(nproc) cores; $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"

run() {  # label, countersignal arguments...
  local label="$1"; shift
  hyperfine --warmup 1 --runs 5 --export-json "bench/work/video-$label.json" \
    "taskset -c 0 ./countersignal hash --threads 1 $* $videos > /dev/null" >&2
  python3 - "bench/work/video-$label.json" "$label" "$frames" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
frames = int(sys.argv[3])
print(f"{sys.argv[2]:<22} mean {r['mean']:.2f} s (min {r['min']:.2f}) -> {frames / r['mean']:.0f} decoded frames/s on one core")
PY
}

run every-frame
run one-per-second --seconds-per-frame 1
# Decoding alone: every frame is decoded, but only frame 0 is converted and hashed.
run decode-only --seconds-per-frame 100000
