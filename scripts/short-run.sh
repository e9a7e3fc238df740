# Sourced by the launcher: countersignal_short_run ARGS... succeeds when the command line is one
# that finishes in a few hundred milliseconds: the help, the version, `compare` of two hashes, and
# `hash` of a text, of URLs or of one image file of at most 8 MB. Such a run is better off with the
# JVM's quick compiler (C1) alone: C2's compilations only pay off after about half a second of
# work, and until then they take the second core from the command (docs/BENCHMARKS.md, "Start-up";
# a JPEG of 24 megapixels, 7 MB, takes as long either way). Anything else, or anything it cannot
# tell (a video, a folder, several files, an option it does not know), is not a short run: that
# costs only speed, never a result.

# Whether the file starts like an image: JPEG, PNG, GIF, WebP, BMP or TIFF.
countersignal_is_image() {
  local signature
  signature="$(od -An -N12 -tx1 "$1" 2>/dev/null | tr -d ' \n')" || return 1
  case "$signature" in
    ffd8ff* | 89504e47* | 47494638* | 52494646????????57454250 | 424d* | 49492a00* | 4d4d002a*) return 0 ;;
    *) return 1 ;;
  esac
}

countersignal_short_run() {
  case "${1:-}" in
    "" | -h | --help | -V | --version | help | compare) return 0 ;;
    hash) shift ;;
    *) return 1 ;;
  esac
  local paths=0 path=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --frames | --frames=*) return 1 ;;
      # The options that take a value as the next argument.
      --text | --url | --threads | --max-pixels | --max-file-size | --seconds-per-frame | --max-video-seconds) shift ;;
      -*) ;;
      *) paths=$((paths + 1)) path="$1" ;;
    esac
    [ $# -gt 0 ] && shift
  done
  [ "$paths" -eq 0 ] || { [ "$paths" -eq 1 ] && [ -f "$path" ] && [ "$(wc -c <"$path")" -le 8000000 ] \
    && countersignal_is_image "$path"; }
}
