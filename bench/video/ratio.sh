#!/usr/bin/env bash
# Whole-process vPDQ hashing against FFmpeg's own decoding, in one hyperfine run on core 0: each of
# the conformance sample videos hashed frame by frame (`--frames`), one `countersignal` process a
# video and all in one process, beside the anchor, one `ffmpeg -threads 1` process a video decoding
# it to RGB. Prints each median and its ratio to the anchor.
# Usage: bench/video/ratio.sh [SAMPLE_VIDEOS_DIR]    (RUNS=5 by default)
# Needs hyperfine and ffmpeg (apt-get install hyperfine ffmpeg). Results in bench/work/video-ratio.*
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
. scripts/select-jdk.sh
videos="$(cd "${1:-$root/../shared/conformance/vpdq/videos}" && pwd)"
for tool in hyperfine ffmpeg; do
  command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install $tool)" >&2; exit 1; }
done
frames="$root/bench/work/video-frames"
mkdir -p "$frames"
./mvnw -B -q -Dmaven.test.skip=true -pl cli -am package
./countersignal --version >/dev/null  # makes the launcher's start-up cache outside the timed runs
echo "$(ls "$videos"/*.mp4 | wc -l) videos; $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

each() {  # a command run once per video, $v the video
  echo "taskset -c 0 sh -c 'for v in $videos/*.mp4; do $1; done'"
}
hyperfine --warmup 1 --runs "${RUNS:-5}" --export-json bench/work/video-ratio.json \
  -n "ffmpeg -threads 1 to RGB, a process a video (anchor)" \
    "$(each 'ffmpeg -v error -threads 1 -i $v -f rawvideo -pix_fmt rgb24 -y /dev/null')" \
  -n "hash --frames, a process a video" \
    "$(each "./countersignal hash --threads 1 --frames $frames \$v > /dev/null")" \
  -n "hash --frames, one process" \
    "taskset -c 0 ./countersignal hash --threads 1 --frames $frames $videos > /dev/null" >&2
python3 - bench/work/video-ratio.json <<'PY' | tee bench/work/video-ratio.txt
import json, statistics, sys
results = json.load(open(sys.argv[1]))["results"]
anchor = statistics.median(results[0]["times"])
for r in results:
    m = statistics.median(r["times"])
    print(f"{r['command']:<52} median {m:.2f} s (min {r['min']:.2f}, CPU {r['user'] + r['system']:.2f} s)  / anchor {m / anchor:.2f}")
PY
