# What the peering benchmarks share, sourced after they set root, rows, build and work: the build,
# the hash list and its import CSV, the summary, and starting, stopping and calling servers.
[ -n "${SKIP_BUILD:-}" ] || ./mvnw -B -q -Dbuild.folder="$build" -DskipTests -pl cli -am package
mkdir -p "$work"
cs=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -XX:MaxRAMPercentage=50 -jar "$root/cli/$build/countersignal.jar")
list="$root/bench/work/exchange/list-$rows.csv"
[ -f "$list" ] || "$JAVA_HOME/bin/java" bench/exchange/GenerateHashList.java "$rows" "$list"
csv="$work/import-$rows.csv"
[ -f "$csv" ] || { echo "signal_type,signal,labels,note,provenance,entities"; tail -n +2 "$list" | cut -d, -f1,2 | sed 's/$/,,,benchmark list,/'; } > "$csv"
summary="$work/summary.txt"
: > "$summary"
note() { echo "$*" | tee -a "$summary"; }
now() { date +%s.%N; }

declare -A pid=() key=()
start_server() { # port, data dir, log, [heap: the JVM's -Xmx instead of the launcher's default]; does not wait
  rm -rf "$2"
  if [ -n "${4:-}" ]; then
    "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED "-Xmx$4" -jar "$root/cli/$build/countersignal.jar" \
      serve --host 127.0.0.1 --port "$1" --data-dir "$2" 2>"$3" &
  else
    "${cs[@]}" serve --host 127.0.0.1 --port "$1" --data-dir "$2" 2>"$3" &
  fi
  pid[$1]=$!
}
await_ready() { # port, data dir, log
  until curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/health/ready" 2>/dev/null | grep -q 200; do
    kill -0 "${pid[$1]}" 2>/dev/null || { cat "$3"; exit 1; }
    sleep 0.1
  done
  key[$1]=$(cat "$2/initial-admin-key")
}
stop_server() { # port
  kill -TERM "${pid[$1]}"
  wait "${pid[$1]}" || true
}
api() { # port, method, path, [body]
  curl -sf -X "$2" -H "Authorization: Bearer ${key[$1]}" -H 'Content-Type: application/json' "http://127.0.0.1:$1$3" ${4:+-d "$4"}
}
