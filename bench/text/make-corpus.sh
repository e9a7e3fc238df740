#!/usr/bin/env bash
# Writes the text evaluation corpus to bench/work/text/: the King James Bible (public domain),
# one verse a line, dumped from Debian's bible-kjv package. Unrelated negatives are read in place
# from Vim's help files (/usr/share/vim/vim90/doc). Needs: apt-get install -y bible-kjv vim-runtime
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$root/bench/work/text"
mkdir -p "$out"
if ! command -v bible >/dev/null; then
  echo "bible-kjv missing: apt-get install -y bible-kjv" >&2
  exit 1
fi
bible -f "Gen1:1-Rev22:21" > "$out/kjv.txt"
echo "$(wc -l < "$out/kjv.txt") verses in $out/kjv.txt"
