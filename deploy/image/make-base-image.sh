#!/usr/bin/env bash
# Makes the container image's base layer, as a `docker save` archive that Jib builds FROM
# (tar://...): a Java runtime linked by the JDK's own jlink with only the modules the shipped jars
# use, and the few Debian libraries it and the bundled FFmpeg and Leptonica load, unpacked from
# their packages.
# No registry is pulled from and no root, daemon or user namespace is needed: packages are
# fetched with `apt-get download` and unpacked with dpkg-deb, as distroless images are made.
#
# Usage: deploy/image/make-base-image.sh OUT_DIR LIB_DIR APP_JAR   (the cli module's image
# profile runs it; LIB_DIR and APP_JAR are what `package` wrote to cli/target)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
if [ "$#" -ne 3 ]; then
  echo "usage: $0 OUT_DIR LIB_DIR APP_JAR" >&2
  exit 2
fi
mkdir -p "$1"
out="$(cd "$1" && pwd)" libs="$(cd "$2" && pwd)" jar="$(cd "$(dirname "$3")" && pwd)/$(basename "$3")"

missing=()
for tool in apt-get apt-cache dpkg-deb tar sha256sum; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "make-base-image: needs ${missing[*]}: build the image on Debian or Ubuntu (apt-get install apt dpkg tar coreutils)" >&2
  exit 1
fi
if [ "$(uname -m)" != x86_64 ]; then
  echo "make-base-image: makes an x86_64 (linux/amd64) image and must run on one; this is $(uname -m)" >&2
  exit 1
fi
. "$root/scripts/select-jdk.sh"

# Each entry is a package name, or alternatives where Debian releases renamed it (the 64-bit
# time_t transition); the first one this machine's package lists know is taken.
packages=(
  libc6 libgcc-s1 libstdc++6 zlib1g   # the JVM, and FFmpeg's libraries (C++)
  libudev1                             # FFmpeg's libavutil links it (hardware decoders' lookup)
  libturbojpeg0                        # the fast JPEG path (README: 2.7 times ImageIO)
  # Java2D draws the incident debrief's chart labels with a system font, found through fontconfig
  libfontconfig1 fontconfig-config fonts-dejavu-core libfreetype6 libexpat1
  'libpng16-16t64|libpng16-16' libbrotli1 'libbz2-1.0'
  # a shell for the launcher's JVM options, and wget for the container's health check
  busybox-static
)

rm -rf "$out"
rootfs="$out/rootfs"
mkdir -p "$out/debs" "$rootfs"/usr/{bin,lib,lib64,sbin} "$rootfs"/{etc,tmp,data,opt} "$rootfs/usr/local/bin"
# The merged-/usr layout current Debian has; unpacking keeps these links (--keep-directory-symlink)
# whether a release's packages install under /lib or /usr/lib.
for dir in bin lib lib64 sbin; do ln -s "usr/$dir" "$rootfs/$dir"; done
chmod 1777 "$rootfs/tmp"
chmod 0700 "$rootfs/data"

chosen=()
for entry in "${packages[@]}"; do
  pick=
  for name in ${entry//|/ }; do
    if [ -n "$(apt-cache show --no-all-versions "$name" 2>/dev/null | head -1)" ]; then pick="$name"; break; fi
  done
  if [ -z "$pick" ]; then
    echo "make-base-image: apt knows no package $entry; run apt-get update (as root) first" >&2
    exit 1
  fi
  chosen+=("$pick")
done
# As root, apt would hand the download to its own unprivileged user, who cannot write here.
sandbox=()
[ "$(id -u)" != 0 ] || sandbox=(-o APT::Sandbox::User=root)
(cd "$out/debs" && apt-get download -q "${sandbox[@]}" "${chosen[@]}" >/dev/null) || {
  echo "make-base-image: apt-get download ${chosen[*]} failed; run apt-get update (as root) first" >&2
  exit 1
}
for deb in "$out"/debs/*.deb; do
  dpkg-deb --fsys-tarfile "$deb" | tar -x --keep-directory-symlink --no-same-owner -C "$rootfs"
done
# Documentation, manuals and localisations are of no use in the image.
rm -rf "$rootfs"/usr/share/{doc,man,info,lintian,locale,bug}
if [ -z "$(find "$rootfs/usr/share/fonts" -name '*.ttf' -print -quit 2>/dev/null)" ]; then
  echo "make-base-image: the font packages installed no TrueType font; the debrief's charts need one" >&2
  exit 1
fi
ln -s busybox "$rootfs/bin/sh"

# The Java runtime: the modules the shipped jars use (jdeps), plus what is looked up by name at run
# time and so invisible to jdeps (character sets of uploaded documents). Desktop and sound
# libraries that would need X11 or ALSA are left out: the service draws only off-screen.
modules="$("$JAVA_HOME/bin/jdeps" --ignore-missing-deps --print-module-deps --multi-release 25 -q \
  --class-path "$libs/*" "$jar" "$libs"/*.jar),jdk.charsets,jdk.crypto.cryptoki,jdk.zipfs"
"$JAVA_HOME/bin/jlink" --add-modules "$modules" \
  --strip-debug --no-header-files --no-man-pages \
  --exclude-files='**/libawt_xawt.so,**/libjawt.so,**/libsplashscreen.so,**/libjsound.so' \
  --output "$rootfs/opt/java" >/dev/null

# Every shared library in the image must find what it links to inside the image: asked of the
# image's own dynamic loader, so a package renamed or split in another Debian release fails here
# rather than when a video or photo is first decoded in production. The loader run out here would
# fall back on this machine's libraries, so anything it finds outside the image counts as missing.
loader="$rootfs/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"
[ -x "$loader" ] || loader="$rootfs/usr/lib64/ld-linux-x86-64.so.2"
bundled="$out/bundled-natives"
mkdir -p "$bundled"
for native in "$libs"/ffmpeg-*-linux-x86_64.jar "$libs"/leptonica-*-linux-x86_64.jar "$libs"/javacpp-*-linux-x86_64.jar; do
  (cd "$bundled" && "$JAVA_HOME/bin/jar" xf "$native")
done
bundled_libs="$(find "$bundled" -name '*.so*' -type f -printf '%h\n' | sort -u | paste -sd:)"
search="$rootfs/usr/lib/x86_64-linux-gnu:$rootfs/opt/java/lib:$rootfs/opt/java/lib/server:$bundled_libs"
unresolved=0
while IFS= read -r library; do
  # libavdevice (capture devices: X11, PulseAudio, ALSA) is never loaded: the service only reads files.
  case "$library" in */libjniavdevice.so | */libavdevice.so.*) continue ;; esac
  outside="$("$loader" --inhibit-cache --library-path "$search" --list "$library" 2>&1 \
    | awk -v image="$rootfs/" -v bundled="$bundled/" \
        '/not found/ { print $1; next }
         $2 == "=>" && index($3, image) != 1 && index($3, bundled) != 1 { print $1 }')"
  if [ -n "$outside" ]; then
    echo "make-base-image: ${library#"$out/"} needs $(echo "$outside" | paste -sd' '), which the image lacks" >&2
    unresolved=1
  fi
done < <(find "$rootfs/opt/java" "$rootfs/usr/lib" "$bundled" \( -name '*.so' -o -name '*.so.*' -o -path '*/bin/java' \) -type f)
rm -rf "$bundled"
[ "$unresolved" = 0 ] || exit 1

cat > "$rootfs/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/sbin/nologin
countersignal:x:65532:65532:countersignal:/data:/sbin/nologin
EOF
cat > "$rootfs/etc/group" <<'EOF'
root:x:0:
countersignal:x:65532:
EOF
# Without this file glibc asks DNS before /etc/hosts, which breaks names a container runtime writes there.
printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$rootfs/etc/nsswitch.conf"

# The layer: everything root's, but the data directory the server's user owns (a new named volume
# takes its owner and 0700 from the image). Fixed times and order make the same packages give the same layer.
layer="$out/layer.tar"
tar -c -f "$layer" -C "$rootfs" --sort=name --mtime=@0 --numeric-owner --owner=0 --group=0 \
  --exclude=./data .
tar -r -f "$layer" -C "$rootfs" --mtime=@0 --numeric-owner --owner=65532 --group=65532 --no-recursion ./data
diff_id="sha256:$(sha256sum "$layer" | cut -d' ' -f1)"
cat > "$out/config.json" <<EOF
{"architecture":"amd64","os":"linux",
 "config":{"Env":["PATH=/usr/local/bin:/opt/java/bin:/usr/bin:/bin","JAVA_HOME=/opt/java","LANG=C.UTF-8"]},
 "rootfs":{"type":"layers","diff_ids":["$diff_id"]},
 "history":[{"created_by":"deploy/image/make-base-image.sh: ${chosen[*]}; jlink $modules"}]}
EOF
cat > "$out/manifest.json" <<'EOF'
[{"Config":"config.json","RepoTags":["countersignal-base:local"],"Layers":["layer.tar"]}]
EOF
tar -c -f "$out/base.tar" -C "$out" --mtime=@0 --owner=0 --group=0 manifest.json config.json layer.tar
rm "$layer"
echo "make-base-image: $out/base.tar ($(du -m "$out/base.tar" | cut -f1) MB): ${chosen[*]}; Java modules $modules" >&2
