#!/usr/bin/env bash
# Prepares the text evaluation corpora, all from Debian packages (installed here if missing):
#   bible-kjv           the King James Bible (public domain), dumped one verse a line to
#                       bench/work/text/kjv.txt; negatives beside it: Vim's help files
#                       (vim-runtime, /usr/share/vim/vim90/doc), read in place
#   debian-handbook     the Debian Administrator's Handbook, HTML in English, Arabic and Persian
#                       (/usr/share/doc/debian-handbook/html/{en-US,ar-MA,fa-IR}), read in place
#   debian-reference-en the Debian Reference, HTML (/usr/share/debian-reference), read in place
# Nothing of them is committed.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$root/bench/work/text"
mkdir -p "$out"
packages=(bible-kjv vim-runtime debian-handbook debian-reference-en)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get install -y "${missing[@]}"
fi
bible -f "Gen1:1-Rev22:21" > "$out/kjv.txt"
echo "$(wc -l < "$out/kjv.txt") verses in $out/kjv.txt"
