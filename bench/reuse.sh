#!/usr/bin/env bash
# Issue 19: what temporal reuse buys. Upscales each reuse clip with the default model with
# --reuse off and --reuse auto (and exact), interleaved ROUNDS times, and prints the median wall
# time, the speed-up of auto over off, and the PSNR (Y, per frame: min and mean) of auto's output
# against off's. Each clip is looped LOOPS times (default 5: 10 s) so that start-up (model load)
# does not dominate; timed runs use the default encoder settings, and one more lossless run of each
# mode (libx264 --crf 0) gives the PSNR and the exact == off check, so they measure reuse alone.
# Clips (fixtures/clips, `make clips`): reuse-twos (animation on twos), reuse-static (static
# camera, small moving patch), reuse-pan (motion everywhere). Run on an idle machine.
# Usage: bench/reuse.sh [path/to/upscale] [extra upscale flags...]   (default .build/release/upscale)
set -euo pipefail
bin=${1:-.build/release/upscale}; shift || true
extra=("$@")
rounds=${ROUNDS:-3}
clips=${CLIPS:-"reuse-twos reuse-static reuse-pan"}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
loops=${LOOPS:-5}
for clip in $clips; do
  ffmpeg -hide_banner -loglevel error -stream_loop $((loops - 1)) -i "fixtures/clips/$clip.mp4" -c copy "$dir/$clip.mp4"
done
up() {  # up CLIP MODE OUT [flags]: one run
  local clip=$1 mode=$2 out=$3; shift 3
  "$bin" "$dir/$clip.mp4" -o "$out" -y --no-resume --progress none --reuse "$mode" "$@" ${extra[@]+"${extra[@]}"}
}
run() {  # run CLIP MODE -> seconds
  local t0 t1
  t0=$(date +%s.%N)
  up "$1" "$2" "$dir/$1-$2-timed.mkv" -q
  t1=$(date +%s.%N)
  python3 -c "print($t1 - $t0)"
}
psnr() {  # psnr CLIP -> "min mean" of per-frame PSNR-Y, auto vs off
  ffmpeg -hide_banner -loglevel error -i "$dir/$1-auto.mkv" -i "$dir/$1-off.mkv" \
    -lavfi "[0][1]psnr=stats_file=$dir/$1.psnr" -f null -
  python3 - "$dir/$1.psnr" <<'PY'
import sys, math
ys = []
for line in open(sys.argv[1]):
    f = dict(kv.split(":") for kv in line.split() if ":" in kv)
    ys.append(float(f["psnr_y"]) if f["psnr_y"] != "inf" else math.inf)
finite = [y for y in ys if math.isfinite(y)]
mean = 10 * math.log10(len(ys) / sum(10 ** (-y / 10) for y in finite)) if finite else math.inf
print(f"{min(ys):.2f} {mean:.2f}")
PY
}
rows=()
for clip in $clips; do
  off=(); auto=(); exact=()
  for _ in $(seq "$rounds"); do
    off+=("$(run "$clip" off)"); auto+=("$(run "$clip" auto)"); exact+=("$(run "$clip" exact)")
  done
  for m in off auto exact; do up "$clip" "$m" "$dir/$clip-$m.mkv" -q --crf 0; done
  same=$(cmp -s <(ffmpeg -loglevel error -i "$dir/$clip-off.mkv" -f framemd5 -) \
                <(ffmpeg -loglevel error -i "$dir/$clip-exact.mkv" -f framemd5 -) && echo yes || echo NO)
  summary=$(up "$clip" auto "$dir/$clip-s.mkv" 2>&1 | grep -o 'reused [^)]*$' || true)
  rows+=("$clip|${off[*]}|${auto[*]}|${exact[*]}|$(psnr "$clip")|$same|$summary")
done
python3 - "$rounds" "$(lscpu | sed -n 's/^Model name: *//p')" "$(nproc)" "$loops" "${rows[@]}" <<'PY'
import sys, statistics as st
rounds, cpu, cores, rows = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[5:]
print(f"CPU: {cpu}, {cores} cores; 320x180 24 fps, 2 s clips looped {sys.argv[4]}x -> 640x360, default model, {rounds} interleaved rounds, median s")
print("| clip | off s | auto s | speed-up | exact s | PSNR-Y auto vs off min / mean dB | exact == off | auto reuse |")
print("|---|---|---|---|---|---|---|---|")
for r in rows:
    clip, off, auto, exact, ps, same, summary = r.split("|")
    o = st.median(map(float, off.split())); a = st.median(map(float, auto.split())); e = st.median(map(float, exact.split()))
    lo, mean = ps.split()
    print(f"| {clip} | {o:.2f} | {a:.2f} | {o / a:.2f}x | {e:.2f} | {lo} / {mean} | {same} | {summary} |")
PY
