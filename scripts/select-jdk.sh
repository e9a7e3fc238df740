# Sourced by the launch and test scripts: points JAVA_HOME at a JDK 25 or newer.
# Keeps a JAVA_HOME that is already new enough; otherwise looks for one under /usr/lib/jvm.
java_feature_version() {
  # The JDK's release file says it without starting a JVM, which cost every command a JVM start
  # of its own; a JDK without one is asked.
  local line
  if [ -r "$1/release" ]; then
    while IFS= read -r line; do
      case "$line" in
        JAVA_VERSION=*) line="${line#JAVA_VERSION=\"}"; line="${line%%\"*}"; line="${line#1.}"; echo "${line%%[.+-]*}"; return ;;
      esac
    done <"$1/release"
  fi
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | awk -F'= ' '/java.specification.version/ {print $2}'
}

countersignal_select_jdk() {
  local candidate
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25* /usr/lib/jvm/*-25* /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
    if [ "$(java_feature_version "$candidate")" -ge 25 ] 2>/dev/null; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  done
  echo "countersignal: needs a JDK 25 or newer; set JAVA_HOME to one" >&2
  return 1
}

countersignal_select_jdk
