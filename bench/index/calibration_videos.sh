#!/usr/bin/env bash
# Makes the generated videos whose frame hashes calibrate the clustered benchmark bank
# (ClusterCalibration), and hashes every frame with the product. Videos are made with ffmpeg
# (Debian's `ffmpeg` package) from the conformance photos, 30 s at 25 fps, 640x360, in five
# kinds that banks hold besides moving footage (the conformance videos are moving footage):
#   still       one photo held, with temporal sensor noise (a recording over a still image)
#   captions    one photo held, a caption box whose text changes every 3 s
#   kenburns    a slow zoom into a photo
#   handheld    a drifting, wobbling crop of a photo, with noise (a camera over a scene)
#   slideshow   six photos, 5 s each, joined by 1 s cross-fades
# Usage: bench/index/calibration_videos.sh OUT_DIR [CONFORMANCE_DIR]
#   (writes OUT_DIR/videos and OUT_DIR/frames; CONFORMANCE_DIR defaults to ../shared/conformance)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:?usage: calibration_videos.sh OUT_DIR}"
photos="${2:-$root/../shared/conformance}/pdq/images"
font=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
mkdir -p "$out/videos" "$out/frames"
ff=(ffmpeg -v error -y)
enc=(-t 30 -r 25 -c:v libx264 -preset veryfast -crf 26 -pix_fmt yuv420p)
fit="scale=640:360:force_original_aspect_ratio=increase,crop=640:360"
pick=(aaa-orig.jpg synthetic-img-002.jpg synthetic-img-007.jpg synthetic-img-012.jpg
      exif-rotn-1.jpg exif-rotn-6.jpg c.png synthetic-img-017.jpg)
for i in 0 1 2 3; do
  a="$photos/${pick[$i]}"
  b="$photos/${pick[$((i + 4))]}"
  "${ff[@]}" -loop 1 -i "$a" -vf "$fit,noise=alls=5:allf=t" "${enc[@]}" "$out/videos/still-$i.mp4"
  "${ff[@]}" -loop 1 -i "$b" -vf "$fit,drawtext=fontfile=$font:fontsize=26:fontcolor=white:box=1:boxcolor=black@0.6:x=(w-tw)/2:y=h-60:text='caption %{eif\:floor(t/3)\:d} of the statement read out here'" \
      "${enc[@]}" "$out/videos/captions-$i.mp4"
  "${ff[@]}" -loop 1 -i "$a" -vf "scale=2560:1440:force_original_aspect_ratio=increase,crop=2560:1440,zoompan=z='1+0.0006*on':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=750:s=640x360:fps=25" \
      "${enc[@]}" "$out/videos/kenburns-$i.mp4"
  "${ff[@]}" -loop 1 -i "$b" -vf "scale=1280:720:force_original_aspect_ratio=increase,crop=1280:720,crop=w=960:h=540:x='160+150*sin(t*0.4)+8*sin(t*9)':y='90+80*sin(t*0.3)+6*sin(t*11)',scale=640:360,noise=alls=6:allf=t" \
      "${enc[@]}" "$out/videos/handheld-$i.mp4"
  # Six photos from the set, starting at a different one for each slideshow.
  inputs=()
  for k in 0 1 2 3 4 5; do
    inputs+=(-loop 1 -t 5 -i "$photos/synthetic-img-$(printf %03d $(( (i * 5 + k * 3) % 20 ))).jpg")
  done
  chain="[0:v]$fit,setsar=1,fps=25[v0];"
  for k in 1 2 3 4 5; do chain+="[$k:v]$fit,setsar=1,fps=25[v$k];"; done
  chain+="[v0][v1]xfade=duration=1:offset=4[x1];"
  for k in 2 3 4 5; do chain+="[x$((k - 1))][v$k]xfade=duration=1:offset=$((4 * k))[x$k];"; done
  "${ff[@]}" "${inputs[@]}" -filter_complex "${chain%;}" -map "[x5]" -t 24 -r 25 -c:v libx264 \
      -preset veryfast -crf 26 -pix_fmt yuv420p "$out/videos/slideshow-$i.mp4"
done
"$root/countersignal" hash --frames "$out/frames" "$out/videos" > "$out/hash.jsonl"
ls "$out/frames" | wc -l
