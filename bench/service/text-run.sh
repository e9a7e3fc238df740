#!/usr/bin/env bash
# The text matching-service benchmark behind docs/BENCHMARKS.md ("Text through the service"):
# banks POSTS posts of 2-5 KB and POSTS/100 pages of 50 KB (King James verses drawn at random,
# TextBankLoad) through POST /api/v1/banks/{id}/entries/batch, restarts the server and times its
# start to ready, measures its heap after a full GC and its RSS, then sends 50 KB plain texts to
# POST /api/v1/match/text one at a time (TextMatchDriver) and reports p50/p90/p99/max. The anchor
# is the same queries against a bank of 990 posts and 10 pages, in the same run.
# Usage: bench/service/text-run.sh [POSTS]     (default 1000000)
# Environment: HEAP (server -Xmx; default none, the launcher's default of half the RAM),
# SERVER_OPTS (more JVM options for the server), SERVER_CPU / CLIENT_CPU (taskset CPU lists,
# default 1 and 0), WARMUP / QUERIES (requests, default 10000 and 2000; on one core the JIT compiler
# is still at work 30 s after the start), DOC_ROUNDS (requests of
# each document kind, default 300), UNPINNED=1 (also a run with neither server nor client
# pinned), REPLAY=1 (also time a start that replays the whole change sequence), PORT (default
# 18491).
# Results: bench/work/text-service/POSTS/summary.txt and the logs beside it. A bank already
# loaded there is reused; delete the folder to load it again.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
. scripts/select-jdk.sh
posts="${1:-1000000}"
pages=$((posts / 100))
server_cpu="${SERVER_CPU-1}"
client_cpu="${CLIENT_CPU-0}"
warmup="${WARMUP:-10000}"
queries="${QUERIES:-2000}"
port="${PORT:-18491}"
url="http://127.0.0.1:$port"
work="$root/bench/work/text-service/$posts"
kjv="$root/bench/work/text/kjv.txt"
vimdoc=/usr/share/vim/vim90/doc
mkdir -p "$work"
[ -f "$kjv" ] && [ -d "$vimdoc" ] || bench/text/make-corpus.sh
./mvnw -B -o -q -DskipTests -pl bench,cli -am package
# Built now, and marked checked, so the launcher does not build again inside a timed start.
touch "$root/cli/target/countersignal.jar"
bench=("$JAVA_HOME/bin/java" -Xmx4g -cp "$root/bench/target/benchmarks.jar")
# Replaces the shell it runs in, so that "$!" of "pin ... &" is the process itself.
pin() { local cpus=$1; shift; if [ -n "$cpus" ]; then exec taskset -c "$cpus" "$@"; else exec "$@"; fi; }

summary="$work/summary.txt"
: > "$summary"
note() { echo "$*" | tee -a "$summary"; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
note "posts: $posts, pages: $pages; server ${HEAP:+-Xmx$HEAP }${SERVER_OPTS:-}on CPUs ${server_cpu:-any}, client on ${client_cpu:-any};" \
  "$(nproc) CPUs, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(free -g | awk '/Mem:/ {print $2}') GB;" \
  "$("$JAVA_HOME/bin/java" -version 2>&1 | head -1); $(date -u +%FT%TZ)"

start_server() { # cpus, data dir, log: sets server_pid, ready_seconds
  local t0
  # A server left on the port would answer for this one.
  if curl -s -o /dev/null "$url/health/live"; then echo "port $port is in use" >&2; exit 1; fi
  t0=$(date +%s.%N)
  # Started as a user starts it, through the launcher and its default JVM options.
  pin "$1" env COUNTERSIGNAL_JAVA_OPTS="${HEAP:+-Xmx$HEAP} ${SERVER_OPTS:-} -Xlog:gc:file=$3.gc" \
    "$root/countersignal" serve --host 127.0.0.1 --port "$port" --data-dir "$2" 2>"$3" &
  server_pid=$!
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "$url/health/ready" 2>/dev/null)" = 200 ]; do
    kill -0 "$server_pid" 2>/dev/null || { tail -20 "$3"; exit 1; }
    sleep 0.05
  done
  ready_seconds=$(echo "$(date +%s.%N) - $t0" | bc)
}
stop_server() { kill -TERM "$server_pid"; wait "$server_pid" || true; }
rss() { awk '/VmRSS/ {r=$2} /VmHWM/ {h=$2} END {printf "RSS %.0f MB (peak %.0f MB)", r/1024, h/1024}' "/proc/$server_pid/status"; }
heap_used_kb() { # after a full collection
  "$JAVA_HOME/bin/jcmd" "$server_pid" GC.run >/dev/null
  # G1 (the launcher's choice) prints one heap line ("total reserved ..., committed ..., used NK"),
  # Serial a young and an old generation ("total NK, used NK"); the metaspace lines have no total.
  "$JAVA_HOME/bin/jcmd" "$server_pid" GC.heap_info | awk '/total/ && match($0, /used [0-9]+K/) {kb += substr($0, RSTART + 5, RLENGTH - 6)} END {print kb}'
}
heap_limit() { "$JAVA_HOME/bin/jcmd" "$server_pid" VM.flags | grep -o -- '-XX:MaxHeapSize=[0-9]*' | awk -F= '{printf "%.0f MB", $2/1048576}'; }

bank() { # name, posts, pages: loads the bank once, then restarts and measures
  local name=$1 n_posts=$2 n_pages=$3 dir="$work/$1"
  mkdir -p "$dir"
  if [ ! -f "$dir/loaded" ]; then
    rm -rf "$dir/data"
    start_server "$server_cpu" "$dir/data" "$dir/first.log"
    cp "$dir/data/initial-admin-key" "$dir/admin.key"
    empty_kb=$(heap_used_kb)
    note "$name: empty server: heap after full GC $((empty_kb / 1024)) MB (max heap $(heap_limit)), $(rss)"
    echo "$empty_kb" > "$dir/empty-heap-kb"
    note "$name: load average before loading: $(load)"
    (pin "$client_cpu" "${bench[@]}" org.countersignal.bench.service.TextBankLoad "$url" "$(cat "$dir/admin.key")" "$kjv" \
      "$n_posts" "$n_pages" "$dir") | tee "$dir/load.out"
    note "$name: $(cat "$dir/load.out"); load average after: $(load); server $(rss)"
    stop_server
    touch "$dir/loaded"
  fi
  key="$(cat "$dir/admin.key")"
  note "$name: data directory $(du -sh "$dir/data" | cut -f1)"
  if [ -n "${REPLAY:-}" ]; then
    rm -rf "$dir/data/index-snapshot"
    start_server "$server_cpu" "$dir/data" "$dir/replay.log"
    note "$name: start to ready, whole change sequence replayed: ${ready_seconds} s; $(rss); load average $(load)"
    stop_server
  fi
  start_server "$server_cpu" "$dir/data" "$dir/serve.log"
  note "$name: start to ready from the index snapshot: ${ready_seconds} s; $(rss); load average $(load)"
  local used_kb docs=$((n_posts + n_pages))
  used_kb=$(heap_used_kb)
  note "$name: heap after full GC $((used_kb / 1024)) MB (max heap $(heap_limit)); over the empty server's" \
    "$(((used_kb - $(cat "$dir/empty-heap-kb")) * 1024 / docs)) bytes per banked document; $(rss)"
}

match() { # name, label, client cpus
  (pin "$3" "${bench[@]}" org.countersignal.bench.service.TextMatchDriver "$url" "$key" "$kjv" "$vimdoc" "$work/$1" \
    "$warmup" "$queries" "$work/$1/$2") > /dev/null
  note "$1, $2:"
  tee -a "$summary" < "$work/$1/$2.txt"
  note "$1, $2: after the run $(rss)"
}

documents() { # mode, cpus, more arguments
  (pin "$2" "${bench[@]}" --enable-native-access=ALL-UNNAMED org.countersignal.bench.service.DocumentMatchDriver "$1" "$kjv" "$vimdoc" \
    "$doc_rounds" "${@:3}") 2>/dev/null | tee -a "$summary"
}
doc_rounds="${DOC_ROUNDS:-300}"

bank anchor 990 10
match anchor pinned "$client_cpu"
stop_server
note "documents, extraction in one process on CPUs ${server_cpu:-any}:"
documents local "$server_cpu"
bank bank "$posts" "$pages"
match bank pinned "$client_cpu"
note "bank: documents through the service:"
documents http "$client_cpu" "$url" "$key" "$work/bank"
if [ -n "${UNPINNED:-}" ]; then
  stop_server
  start_server "" "$work/bank/data" "$work/bank/unpinned.log"
  match bank unpinned ""
fi
curl -s -H "Authorization: Bearer $key" "$url/metrics" | grep -E '^countersignal_(match_(queries|hits)_total|index_entries)' | tee -a "$summary"
stop_server
