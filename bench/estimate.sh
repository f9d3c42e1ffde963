#!/usr/bin/env bash
# Issue 23: how good the time estimate is. For a few clips and models, prints the time `--dry-run`
# predicts (sample frames spread over the file) next to the measured wall time of the real run,
# and the error. Each 2 s fixture clip is looped LOOPS times (default 5). Run on an idle machine.
# Usage: bench/estimate.sh [path/to/upscale]   (default .build/release/upscale)
set -euo pipefail
bin=${1:-.build/release/upscale}
loops=${LOOPS:-5}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cases=("reuse-pan|" "reuse-static|" "reuse-twos|" "reuse-pan|--reuse off" "h264-aac|--model upscale-fast-x4" "h264-aac|--model upscale-gan-x4")
rows=()
for c in "${cases[@]}"; do
  clip=${c%%|*}; flags=${c#*|}
  [ -f "$dir/$clip.mp4" ] || ffmpeg -hide_banner -loglevel error -stream_loop $((loops - 1)) -i "fixtures/clips/$clip.mp4" -c copy "$dir/$clip.mp4"
  # shellcheck disable=SC2086
  predicted=$("$bin" "$dir/$clip.mp4" -o "$dir/out.mp4" --dry-run $flags 2>&1 | sed -n 's/.*predicted about \([^f]*\) for.*/\1/p')
  t0=$(date +%s.%N)
  # shellcheck disable=SC2086
  "$bin" "$dir/$clip.mp4" -o "$dir/out.mp4" -y -q --no-resume $flags
  t1=$(date +%s.%N)
  rows+=("$clip ${flags:-(default)}|$predicted|$(python3 -c "print($t1 - $t0)")")
done
python3 - "$(lscpu | sed -n 's/^Model name: *//p')" "$(nproc)" "$loops" "${rows[@]}" <<'PY'
import sys, re
cpu, cores, loops, rows = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
def seconds(text):
    m = re.match(r"(\d+) h (\d+) min", text) or None
    if m: return int(m[1]) * 3600 + int(m[2]) * 60
    m = re.match(r"(\d+) min (\d+) s", text)
    if m: return int(m[1]) * 60 + int(m[2])
    return float(text.split()[0])
print(f"CPU: {cpu}, {cores} cores; fixture clips looped {loops}x; --dry-run prediction vs the real run (--no-resume)")
print("| clip, flags | predicted s | measured s | error |")
print("|---|---|---|---|")
for r in rows:
    name, pred, meas = r.split("|")
    p, m = seconds(pred.strip()), float(meas)
    print(f"| {name} | {p:.1f} | {m:.1f} | {100 * (p - m) / m:+.0f}% |")
PY
