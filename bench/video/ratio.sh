#!/usr/bin/env bash
# Whole-process vPDQ hashing against FFmpeg's own decoding, in one hyperfine run (core 0, then both
# cores, each against the anchor run the same way): each of
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

each() {  # a command run once per video, $v the video, on the cores $2
  echo "taskset -c $2 sh -c 'for v in $videos/*.mp4; do $1; done'"
}
anchor='ffmpeg -v error -threads 1 -i $v -f rawvideo -pix_fmt rgb24 -y /dev/null'
hash="./countersignal hash --threads 1 --frames $frames"
# Each run on core 0, then on both cores as a user runs it: the JVM's compiler threads then work
# beside the hashing thread (FFmpeg's is single-threaded either way).
hyperfine --warmup 1 --runs "${RUNS:-5}" --export-json bench/work/video-ratio.json \
  -n "ffmpeg -threads 1 to RGB, a process a video (anchor)" "$(each "$anchor" 0)" \
  -n "hash --frames, a process a video" "$(each "$hash \$v > /dev/null" 0)" \
  -n "hash --frames, one process" "taskset -c 0 $hash $videos > /dev/null" \
  -n "both cores: ffmpeg -threads 1 to RGB, a process a video (anchor)" "$(each "$anchor" 0,1)" \
  -n "both cores: hash --frames, a process a video" "$(each "$hash \$v > /dev/null" 0,1)" \
  -n "both cores: hash --frames, one process" "$hash $videos > /dev/null" >&2
python3 - bench/work/video-ratio.json <<'PY' | tee bench/work/video-ratio.txt
import json, statistics, sys
results = json.load(open(sys.argv[1]))["results"]
anchors = {r["command"].startswith("both cores"): statistics.median(r["times"]) for r in results if "anchor" in r["command"]}
for r in results:
    m = statistics.median(r["times"])
    anchor = anchors[r["command"].startswith("both cores")]
    print(f"{r['command']:<64} median {m:.2f} s (min {r['min']:.2f}, CPU {r['user'] + r['system']:.2f} s)  / anchor {m / anchor:.2f}")
PY
