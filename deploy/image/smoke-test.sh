#!/usr/bin/env bash
# Runs the built image as an operator would and checks what they rely on: it becomes ready, runs
# as its own unprivileged user, hashes an image as the command line does, decodes a video (its
# native libraries are all in the image), keeps its state in the data volume across a restart,
# and takes its database settings from the environment.
#
# Usage: deploy/image/smoke-test.sh [IMAGE_TAR]   (default cli/target/countersignal-image.tar)
# Runs podman, or docker when there is no podman; CONTAINER overrides the command (with its global
# options) and CONTAINER_RUN_OPTIONS adds options to each `run` (docs/DEPLOY.md says which a
# machine without systemd or with cgroups v1 needs). Needs curl and python3. Listens on loopback only.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
tar="${1:-$root/cli/target/countersignal-image.tar}"
for tool in curl python3; do
  command -v "$tool" >/dev/null || { echo "smoke-test: needs $tool (apt-get install $tool)" >&2; exit 1; }
done
[ -f "$tar" ] || { echo "smoke-test: no $tar; build it: ./mvnw -Pimage -pl cli -am package -DskipTests" >&2; exit 1; }
# The tag Jib gave the image (the project's version), from the archive itself.
image="$(tar -xOf "$tar" manifest.json | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["RepoTags"][0])')"
port="${SMOKE_PORT:-18080}"
name="countersignal-smoke-$$"
volume="countersignal-smoke-$$"
jpeg="$root/signals/src/test/resources/images/shapes-ycck.jpg"
video="$root/fuzz/src/test/resources/org/countersignal/signals/vpdq/VideoDecoderFuzzTestInputs/decode/h264.mp4"

if [ -z "${CONTAINER:-}" ]; then
  if command -v podman >/dev/null; then CONTAINER=podman
  elif command -v docker >/dev/null; then CONTAINER=docker
  else echo "smoke-test: needs podman (apt-get install podman) or docker" >&2; exit 1; fi
fi
read -r -a ctr <<< "$CONTAINER"
read -r -a run_options <<< "${CONTAINER_RUN_OPTIONS:-}"

failures=0
check() { # check DESCRIPTION COMMAND...: runs the command, says ok or FAIL
  if "${@:2}"; then echo "ok: $1"; else echo "FAIL: $1" >&2; failures=$((failures + 1)); fi
}
json() { python3 -c 'import json, sys; v = json.load(sys.stdin)
for k in sys.argv[1].split("."): v = v[int(k)] if isinstance(v, list) else v.get(k) if v is not None else None
print("" if v is None else v)' "$1"; }
cleanup() {
  "${ctr[@]}" rm -f "$name" >/dev/null 2>&1 || true
  "${ctr[@]}" volume rm -f "$volume" >/dev/null 2>&1 || true
}
trap cleanup EXIT

start() { # the server on the smoke volume, published on loopback only
  "${ctr[@]}" rm -f "$name" >/dev/null 2>&1 || true
  "${ctr[@]}" run -d --name "$name" "${run_options[@]}" \
    -p "127.0.0.1:$port:8080" -v "$volume:/data" "$image" >/dev/null
}
wait_ready() { # wait_ready SECONDS: true once /health/ready answers 200
  local deadline=$((SECONDS + $1))
  while [ "$SECONDS" -lt "$deadline" ]; do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health/ready")" = 200 ] && return 0
    sleep 1
  done
  "${ctr[@]}" logs "$name" 2>&1 | tail -20 >&2
  return 1
}
api() { curl -s -H "Authorization: Bearer $key" "$@"; }

"${ctr[@]}" load -q -i "$tar" >/dev/null
start
check "ready within 120 s" wait_ready 120
check "runs as uid 65532, not root" test "$("${ctr[@]}" exec "$name" busybox id -u)" = 65532
check "the health check command the Compose file uses passes" \
  "${ctr[@]}" exec "$name" busybox wget -q -O /dev/null http://127.0.0.1:8080/health/ready
key="$("${ctr[@]}" exec "$name" busybox cat /data/initial-admin-key)"
check "the first admin key is in the data volume" test -n "$key"

expected="$(cd "$root" && ./countersignal hash "$jpeg" | json signals.pdq)"
got="$(api -H 'Content-Type: image/jpeg' --data-binary "@$jpeg" "http://127.0.0.1:$port/api/v1/hash" | json signals.pdq)"
check "an image hashes as the command line hashes it ($expected)" test -n "$got" -a "$got" = "$expected"

job="$(api -H 'Content-Type: video/mp4' --data-binary "@$video" "http://127.0.0.1:$port/api/v1/hash" | json id)"
status=
for _ in $(seq 60); do
  status="$(api "http://127.0.0.1:$port/api/v1/jobs/$job" | json status)"
  case "$status" in succeeded | failed) break ;; esac
  sleep 1
done
check "a video is decoded (job $job: $status)" test "$status" = succeeded

bank="$(api -H 'Content-Type: application/json' -d '{"name":"smoke-restart"}' "http://127.0.0.1:$port/api/v1/banks" | json id)"
"${ctr[@]}" stop -t 30 "$name" >/dev/null
start
check "ready again after a restart on the same volume" wait_ready 120
check "the bank made before the restart is still there" \
  test "$(api "http://127.0.0.1:$port/api/v1/banks/$bank" | json name)" = smoke-restart

# Database settings from the environment, as docs/SERVER.md documents them: a database that does
# not answer stops the start with exit code 1, naming it.
"${ctr[@]}" rm -f "$name" >/dev/null
"${ctr[@]}" run --name "$name" "${run_options[@]}" \
  -e COUNTERSIGNAL_DATABASE_URL=jdbc:postgresql://192.0.2.1:5432/countersignal \
  -e COUNTERSIGNAL_DATABASE_USER=countersignal -e COUNTERSIGNAL_DATABASE_PASSWORD=unused \
  -v "$volume:/data" "$image" >/dev/null 2>&1 || true
exit_code="$("${ctr[@]}" inspect -f '{{.State.ExitCode}}' "$name")"
check "COUNTERSIGNAL_DATABASE_URL is used: an unreachable database stops the start (exit $exit_code)" test "$exit_code" = 1
check "... and the reason names it" grep -q '192.0.2.1' <("${ctr[@]}" logs "$name" 2>&1)

if [ "$failures" -gt 0 ]; then echo "smoke-test: $failures failed" >&2; exit 1; fi
echo "smoke-test: all passed"
