#!/usr/bin/env bash
# Compares Countersignal's vPDQ hashing with the C++ vPDQ reference (vpdq-hash-video from
# facebook/ThreatExchange vpdq/cpp, built separately; see docs/BENCHMARKS.md, "Video"):
#   1. both hash every conformance sample video, every frame and one frame per second, and
#      their frame hashes are compared with each other and with the conformance files;
#   2. hyperfine times each whole process on one pinned core, per video and for the whole
#      set, the two tools' commands interleaved, ROUNDS times with the order swapped
#      between rounds, so background load falls on both alike.
# Prints frames hashed per second per core (frames / mean wall time) and the ratio.
# Nothing is downloaded or built here: give the reference binary, and build the cli jar
# first (./mvnw -q -Dmaven.test.skip=true -pl cli -am package).
# Usage: bench/video/compare-reference.sh VPDQ_HASH_VIDEO [SAMPLE_VIDEOS_DIR] [ROUNDS]
#   env: COUNTERSIGNAL_JAR (default cli/target/countersignal.jar), CORE (default 1),
#        RUNS (default 5), WARMUP (default 1)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
. scripts/select-jdk.sh
ref="$(realpath "${1:?usage: $0 VPDQ_HASH_VIDEO [SAMPLE_VIDEOS_DIR] [ROUNDS]}")"
videos="$(realpath "${2:-$root/../shared/conformance/vpdq/videos}")"
rounds="${3:-2}"
jar="$(realpath "${COUNTERSIGNAL_JAR:-cli/target/countersignal.jar}")"
core="${CORE:-1}"; runs="${RUNS:-5}"; warmup="${WARMUP:-1}"
[ -x "$ref" ] || { echo "not an executable: $ref" >&2; exit 1; }
[ -f "$jar" ] || { echo "no $jar: build it with ./mvnw -q -Dmaven.test.skip=true -pl cli -am package" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
conformance="$(dirname "$videos")/reference"
work="$root/bench/work/video-reference"
rm -rf "$work" && mkdir -p "$work"
ours="$JAVA_HOME/bin/java --enable-native-access=ALL-UNNAMED -jar $jar hash --threads 1"

echo "reference: $ref; ours: $jar; videos: $videos; core $core; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$("$JAVA_HOME/bin/java" -version 2>&1 | head -1); reference linked against libavcodec $(pkg-config --modversion libavcodec 2>/dev/null || echo '?')"

# 1. Same frame hashes?
for mode in every:0 1fps:1; do
  label="${mode%%:*}"; spf="${mode#*:}"
  mkdir -p "$work/$label/ref" "$work/$label/ours"
  for v in "$videos"/*; do
    "$ref" -i "$v" -o "$work/$label/ref/$(basename "${v%.*}").txt" -r "$spf" -t 1
  done
  if [ "$spf" = 0 ]; then
    $ours --frames "$work/$label/ours" "$videos" > /dev/null
  else
    $ours --seconds-per-frame "$spf" --frames "$work/$label/ours" "$videos" > /dev/null
  fi
done
python3 - "$work" "$conformance" <<'PY'
import os, sys
work, conformance = sys.argv[1], sys.argv[2]
def load(path):
    rows = {}
    for line in open(path):
        f = line.strip().split(",")
        rows[int(f[0])] = (int(f[1]), int(f[2], 16))
    return rows
for label in ("every", "1fps"):
    for name in sorted(os.listdir(f"{work}/{label}/ref")):
        stem = name[:-4]
        ref = load(f"{work}/{label}/ref/{name}")
        ours_file = [f for f in os.listdir(f"{work}/{label}/ours") if f.startswith(stem + ".")][0]
        ours = load(f"{work}/{label}/ours/{ours_file}")
        dist = [bin(ref[k][1] ^ ours[k][1]).count("1") for k in ref if k in ours]
        line = (f"{label:5} {stem:32} frames ref {len(ref):4} ours {len(ours):4}  identical "
                f"{sum(d == 0 for d in dist):4}  max distance {max(dist)}")
        conf = f"{conformance}/{name}"
        if label == "every" and os.path.exists(conf):
            c = load(conf)
            line += f"  | reference = conformance file: {all(c.get(k) == v for k, v in ref.items()) and len(c) == len(ref)}"
        print(line)
        open(f"{work}/{label}/{stem}.frames", "w").write(str(len(ref)))
PY

# 2. Timing. Every command is one whole process on one core.
for label in every 1fps; do
  spf=0; flag=""; [ "$label" = 1fps ] && { spf=1; flag="--seconds-per-frame 1"; }
  cmds=()
  for v in "$videos"/*; do
    cmds+=("taskset -c $core $ours $flag $v > /dev/null")
    cmds+=("taskset -c $core $ref -i $v -o $work/out.txt -r $spf -t 1")
  done
  cmds+=("taskset -c $core $ours $flag $videos > /dev/null")
  cmds+=("taskset -c $core sh -c 'for v in $videos/*; do $ref -i \$v -o $work/out.txt -r $spf -t 1; done'")
  # The reference's default thread count (0: one hashing thread per online CPU), still on one core.
  cmds+=("taskset -c $core sh -c 'for v in $videos/*; do $ref -i \$v -o $work/out.txt -r $spf; done'")
  for round in $(seq 1 "$rounds"); do
    ordered=("${cmds[@]}")
    if [ $((round % 2)) = 0 ]; then  # swap each pair so neither tool always runs first
      ordered=()
      for ((i = 0; i < ${#cmds[@]} - 1; i += 2)); do ordered+=("${cmds[i+1]}" "${cmds[i]}"); done
      [ $(( ${#cmds[@]} % 2 )) = 1 ] && ordered+=("${cmds[-1]}")
    fi
    hyperfine --warmup "$warmup" --runs "$runs" --style basic --export-json "$work/$label-round$round.json" \
      "${ordered[@]}" > "$work/$label-round$round.log" 2>&1
  done
done

python3 - "$work" "$videos" "$ref" <<'PY'
import glob, json, os, statistics, sys
work, videos, ref = sys.argv[1], sys.argv[2], sys.argv[3]
times, cpu = {}, {}
for path in sorted(glob.glob(f"{work}/*-round*.json")):
    label = os.path.basename(path).split("-round")[0]
    for r in json.load(open(path))["results"]:
        times.setdefault((label, r["command"]), []).extend(r["times"])
        cpu.setdefault((label, r["command"]), []).append(r["user"] + r["system"])
def frames(label, stem=None):
    if stem:
        return int(open(f"{work}/{label}/{stem}.frames").read())
    return sum(int(open(p).read()) for p in glob.glob(f"{work}/{label}/*.frames"))
def find(label, *needles):
    return next(k for k in times if k[0] == label and all(n in k[1] for n in needles))
def fmt(ts, n):
    m = statistics.mean(ts); s = statistics.stdev(ts) if len(ts) > 1 else 0
    return m, f"{m:6.3f} ± {s:5.3f} s  {n / m:7.0f} ± {n * s / m / m:4.0f}"
print("\nframes: frames hashed (every frame) or sampled (1fps); frames/s/core = frames / mean wall time;")
print("cpu: frames / (user + system CPU seconds), which background load on the core disturbs less.")
print(f"{'mode':5} {'video':32} {'frames':>6}  {'ours: wall mean ± sd, frames/s/core':>32}  {'reference -t 1':>32}  ours/ref  cpu: ours  ref  ours/ref")
for label in ("every", "1fps"):
    rows = [(os.path.splitext(v)[0], v) for v in sorted(os.listdir(videos))]
    for stem, v in rows + [("ALL (one process / loop)", None)]:
        if v:
            n = frames(label, stem)
            o = find(label, "countersignal.jar", f"/{v} ")
            r = find(label, ref, f"/{v} ", "-t 1")
        else:
            n = frames(label)
            o = find(label, "countersignal.jar", f"{videos} ")
            r = find(label, "for v in", "-t 1")
        om, os_ = fmt(times[o], n); rm, rs = fmt(times[r], n)
        oc, rc = statistics.mean(cpu[o]), statistics.mean(cpu[r])
        print(f"{label:5} {stem:32} {n:6}  {os_:>32}  {rs:>32}  {rm / om:5.2f}    {n / oc:6.0f} {n / rc:6.0f}  {rc / oc:5.2f}")
    d = next(k for k in times if k[0] == label and "for v in" in k[1] and "-t 1" not in k[1])
    print(f"{label:5} {'ALL, reference default threads':32} {frames(label):6}  {'':>32}  {fmt(times[d], frames(label))[1]:>32}         {'':>6} {frames(label) / statistics.mean(cpu[d]):6.0f}")
PY
