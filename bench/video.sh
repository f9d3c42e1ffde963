#!/usr/bin/env bash
# Video pipeline benchmark (issue: video). Prints one table; run on an idle machine.
#   1. Overhead: end-to-end fps of `upscale CLIP -o OUT` vs engine-only fps (`upscale bench`) on a
#      frame of the same clip, same model, tiles and threads: overhead = 1 - e2e / engine.
#   2. Memory: peak RSS of whole runs on a 5-second and a 1-minute 640x360 clip (lanczos, so that
#      the minute runs quickly: the pipeline's buffers, not the model, are what could grow).
# Usage: bench/video.sh [path/to/upscale]   (default .build/release/upscale)
# Needs the ffmpeg CLI to make the clips (from fixtures/photo-640x360.png) under bench/out/.
set -euo pipefail
bin=${1:-.build/release/upscale}
model=${MODEL:-realesr-animevideov3-x2}
seconds=${SECONDS_E2E:-2}
out=bench/out
mkdir -p "$out"
ff=(ffmpeg -hide_banner -loglevel error -y)
clip() {  # clip NAME SECONDS: 640x360 25 fps pan over the photo, H.264 + AAC
  [ -f "$out/$1" ] && return
  "${ff[@]}" -loop 1 -framerate 25 -i fixtures/photo-640x360.png -f lavfi -i "sine=frequency=440:sample_rate=48000" \
    -t "$2" -vf "scale=1280:-2,zoompan=z='1.2+0.002*on':x='(iw-iw/zoom)*on/($2*25)':y='(ih-ih/zoom)/2':d=1:s=640x360:fps=25,format=yuv420p" \
    -c:v libx264 -preset veryfast -crf 20 -c:a aac -b:a 96k "$out/$1"
}
clip e2e.mp4 "$seconds"
clip 5s.mp4 5
clip 60s.mp4 60
"${ff[@]}" -ss 1 -i "$out/e2e.mp4" -frames:v 1 "$out/e2e-frame.png"

# 1. End to end vs engine only, interleaved for ROUNDS rounds (default 3) so that drift in the
#    machine's speed (shared virtual machines vary by 10% or more) lands on both sides; medians.
rounds=${ROUNDS:-3}
engine() { "$bin" bench --model "$model" --input "$out/e2e-frame.png" --runs 3 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["median_ms"])'; }
engines=(); e2es=()
for _ in $(seq "$rounds"); do
  engines+=("$(engine)")
  /usr/bin/time -f "%e %M" -o "$out/e2e-time.txt" "$bin" "$out/e2e.mp4" -o "$out/e2e-x2.mp4" -y --model "$model" \
    --progress none 2> "$out/e2e-log.txt"
  e2e_line=$(tail -1 "$out/e2e-log.txt")
  e2es+=("$(sed -E 's/.* ([0-9.]+) fps$/\1/' <<<"$e2e_line")")
  frames=$(sed -E 's/.*: ([0-9]+) frames in.*/\1/' <<<"$e2e_line")
done
python3 - "$model" "$frames" "${engines[*]}" "${e2es[*]}" <<'PY'
import statistics, sys
model, frames = sys.argv[1], int(sys.argv[2])
engine_ms = [float(v) for v in sys.argv[3].split()]
e2e_fps = [float(v) for v in sys.argv[4].split()]
engine = 1000 / statistics.median(engine_ms)
e2e = statistics.median(e2e_fps)
print("| model | clip | frames | rounds | engine-only fps | end-to-end fps | overhead |")
print("|---|---|---|---|---|---|---|")
print(f"| {model} | 640x360 H.264+AAC -> 1280x720 x264 crf 18 medium | {frames} | {len(e2e_fps)} | {engine:.3f} | {e2e:.3f} | {100 * (1 - e2e / engine):.1f}% |")
print()
print("engine-only ms per round:", ", ".join(f"{v:.0f}" for v in engine_ms), "| end-to-end fps per round:", ", ".join(f"{v:.3f}" for v in e2e_fps))
PY

# 1b. The same overhead as CPU share, which does not depend on the machine's speed drifting
#     between runs: with perf installed, the share of the end-to-end run's CPU samples spent
#     outside the engine (our kernels and OpenBLAS): decode, colour conversion, encode, mux.
if command -v perf >/dev/null && perf record -q -o "$out/perf.data" "$bin" "$out/e2e.mp4" -o "$out/e2e-x2.mp4" -y \
     --model "$model" --progress none 2>/dev/null; then
  perf report -i "$out/perf.data" --no-children --sort dso 2>/dev/null | python3 -c '
import re, sys
engine = other = 0.0
for line in sys.stdin:
    m = re.match(r"\s+([0-9.]+)%\s+(\S+)", line)
    if not m: continue
    share, dso = float(m.group(1)), m.group(2)
    if dso == "upscale" or dso.startswith("libopenblas"): engine += share
    else: other += share
print(f"CPU outside the engine during the end-to-end run (perf): {other:.1f}% (engine {engine:.1f}%)")'
  echo
fi

# 2. Peak memory against clip length.
echo
echo "| clip | model | frames | wall s | peak RSS MiB |"
echo "|---|---|---|---|---|"
for c in 5s 60s; do
  /usr/bin/time -f "%e %M" -o "$out/time.txt" "$bin" "$out/$c.mp4" -o "$out/$c-x2.mp4" -y --model lanczos --progress none 2> "$out/log.txt"
  read -r wall kb < "$out/time.txt"
  n=$(tail -1 "$out/log.txt" | sed -E 's/.*: ([0-9]+) frames in.*/\1/')
  echo "| 640x360 $c | lanczos | $n | $wall | $((kb / 1024)) |"
done
read -r wall kb < "$out/e2e-time.txt"
echo "| 640x360 ${seconds}s | $model | $frames | $wall | $((kb / 1024)) |"
