#!/usr/bin/env bash
# Issue 17: what resumable segments cost. Upscales the same clip with the default model in one
# pass (--no-resume) and in segments (the default), interleaved ROUNDS times, and prints the median
# wall time of each and the overhead (target: at most 3%). Run on an idle machine.
# The clip: SECONDS s of 320x180 at 25 fps, keyframe every 2 s (made with ffmpeg's testsrc2).
# Usage: bench/segments.sh [path/to/upscale]   (default .build/release/upscale)
set -euo pipefail
bin=${1:-.build/release/upscale}
rounds=${ROUNDS:-3}
secs=${SECONDS_OF_VIDEO:-12}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
ffmpeg -loglevel error -f lavfi -i "testsrc2=size=320x180:rate=25:duration=$secs" \
  -f lavfi -i "sine=frequency=440:duration=$secs" -c:v libx264 -g 50 -pix_fmt yuv420p -c:a aac -shortest "$dir/in.mp4"
run() {  # run MODE -> seconds
  local t0 t1
  t0=$(date +%s.%N)
  "$bin" "$dir/in.mp4" -o "$dir/out-$1.mp4" -y --progress none -q $([ "$1" = one ] && echo --no-resume)
  t1=$(date +%s.%N)
  python3 -c "print($t1 - $t0)"
}
one=(); seg=()
for _ in $(seq "$rounds"); do one+=("$(run one)"); seg+=("$(run seg)"); done
python3 - "${one[*]}" "${seg[*]}" "$secs" "$(lscpu | sed -n 's/^Model name: *//p')" "$(nproc)" <<'PY'
import sys, statistics as st
one = [float(x) for x in sys.argv[1].split()]; seg = [float(x) for x in sys.argv[2].split()]
secs, cpu, cores = sys.argv[3], sys.argv[4], sys.argv[5]
a, b = st.median(one), st.median(seg)
print(f"CPU: {cpu}, {cores} cores; {secs} s of 320x180 25 fps -> 640x360, default model, {len(one)} interleaved rounds")
print("| mode | median s | runs s |")
print("|---|---|---|")
print(f"| one pass (--no-resume) | {a:.2f} | {' '.join(f'{x:.2f}' for x in one)} |")
print(f"| segments (default) | {b:.2f} | {' '.join(f'{x:.2f}' for x in seg)} |")
print(f"overhead: {100 * (b - a) / a:+.1f}% (target <= 3%)")
PY
