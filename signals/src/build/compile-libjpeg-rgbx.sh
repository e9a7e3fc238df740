#!/usr/bin/env bash
# Compiles the JPEG decoding shim (src/main/c/libjpeg_rgbx.c) against the libjpeg-turbo headers and
# the library that ship in Leptonica's platform jar, which the build unpacks first, and the JDK's
# JNI headers.
# Usage: compile-libjpeg-rgbx.sh LEPTONICA_PLATFORM_DIR JAVA_HOME SOURCE OUTPUT
# Optional: without a C compiler ($CC, else gcc), or off Linux x86-64 (the only platform whose
# Leptonica jar the build takes), it says so and the build goes on; JPEGs are then decoded through
# Leptonica's own reader, to the same pixels, a little slower.
set -euo pipefail
leptonica="$1" java_home="$2" source="$3" output="$4"
cc="${CC:-gcc}"
if [ "$(uname -s)-$(uname -m)" != Linux-x86_64 ]; then
  echo "libjpeg shim: not built on $(uname -s)-$(uname -m); JPEGs are decoded through Leptonica's reader" >&2
  exit 0
fi
if ! command -v "$cc" >/dev/null; then
  echo "libjpeg shim: no C compiler ($cc); JPEGs are decoded through Leptonica's reader" >&2
  exit 0
fi
if [ -f "$output" ] && [ "$output" -nt "$source" ] && [ "$output" -nt "$leptonica/libleptonica.so.6" ]; then
  exit 0
fi
mkdir -p "$(dirname "$output")"
# Linked to the library by its file: the shim then names it as libleptonica.so.6, which the
# dynamic linker finds among the libraries JavaCPP has already loaded.
"$cc" -O2 -fPIC -shared -Wall -Wextra -Werror -I"$leptonica/include" \
  -I"$java_home/include" -I"$java_home/include/linux" "$source" \
  "$leptonica/libleptonica.so.6" -o "$output.tmp"
mv -f "$output.tmp" "$output"
